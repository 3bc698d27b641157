package io.rustmq.client.consumer;

/**
 * The headers a consumer or a stream adds to a message it sends to its dead-letter topic (both build it the same
 * way). All values are UTF-8 text. The message keeps its key, value and other headers; a previous set of these headers (a message dead-lettered twice)
 * and the producer-idempotence headers ({@code rustmq-producer-id}, {@code rustmq-sequence}, which belong to the
 * original partition) are removed.
 */
public final class DeadLetterHeaders {
    /** Why the message was dead-lettered: the last nack's reason ({@code Throwable.toString()}, at most 1000 chars). */
    public static final String REASON = "rustmq-dlq-reason";
    /** The topic the message was read from. */
    public static final String TOPIC = "rustmq-dlq-topic";
    /** The partition it was read from, in decimal. */
    public static final String PARTITION = "rustmq-dlq-partition";
    /** Its offset there, in decimal. */
    public static final String OFFSET = "rustmq-dlq-offset";
    /** How many times it was delivered before it was dead-lettered, in decimal (0 for a corrupt record). */
    public static final String DELIVERY_COUNT = "rustmq-dlq-delivery-count";
    /** The consumer group that gave up on it. */
    public static final String GROUP = "rustmq-dlq-group";
    /** The class name of the failure that caused it ({@code Throwable.getClass().getName()}); absent without one. */
    public static final String EXCEPTION = "rustmq-dlq-exception";
    /**
     * How many processing attempts were made before it was dead-lettered, in decimal: a stream's attempts, or a
     * consumer's deliveries.
     */
    public static final String ATTEMPTS = "rustmq-dlq-attempts";

    /** Prefix of all of these headers. */
    public static final String PREFIX = "rustmq-dlq-";
    /** Longest reason text kept. */
    static final int MAX_REASON_CHARS = 1000;

    private DeadLetterHeaders() {
    }

    /**
     * The {@link #REASON} text for a failure: its {@code toString()}, cut to 1000 characters.
     *
     * @param failure why the message is dead-lettered, or {@code null}
     * @return the text, "nacked without a reason" for {@code null}
     */
    public static String reason(Throwable failure) {
        String why = failure == null ? "nacked without a reason" : failure.toString();
        return why.length() > MAX_REASON_CHARS ? why.substring(0, MAX_REASON_CHARS) : why;
    }
}
