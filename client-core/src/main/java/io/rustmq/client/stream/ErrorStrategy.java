package io.rustmq.client.stream;

import io.rustmq.client.ConfigurationException;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link MessageStream} does when processing a message fails (the processor threw, exceeded
 * {@code processingTimeout}, or its output could not be sent). Immutable.
 * <ul>
 *   <li>{@link #skip()}: count the failure, acknowledge the input, go on;</li>
 *   <li>{@link #stop()}: stop the stream and report the error ({@link MessageStream#failure()});</li>
 *   <li>{@link #retry(int, Duration, Duration, double)}: process again with exponential backoff, up to
 *   {@code maxAttempts} attempts in all; if every attempt fails the stream stops, unless a dead-letter topic is set;</li>
 *   <li>{@link #deadLetter(String)}: send the input to a topic with headers saying why, then acknowledge it;
 *   combined with retry as {@code retry(...).withDeadLetter(topic)}: dead-letter after the retries.</li>
 * </ul>
 */
public final class ErrorStrategy {
    /** The basic reaction to a failure. */
    public enum Kind {
        /** Acknowledge and go on. */
        SKIP,
        /** Stop the stream. */
        STOP,
        /** Process again with backoff. */
        RETRY,
        /** Send to a dead-letter topic. */
        DEAD_LETTER
    }

    private final Kind kind;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double multiplier;
    private final String deadLetterTopic;

    private ErrorStrategy(Kind kind, int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier,
                          String deadLetterTopic) {
        this.kind = kind;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.multiplier = multiplier;
        this.deadLetterTopic = deadLetterTopic;
    }

    /**
     * Skip failed messages.
     *
     * @return the strategy
     */
    public static ErrorStrategy skip() {
        return new ErrorStrategy(Kind.SKIP, 1, Duration.ZERO, Duration.ZERO, 1, null);
    }

    /**
     * Stop the stream on the first failure.
     *
     * @return the strategy
     */
    public static ErrorStrategy stop() {
        return new ErrorStrategy(Kind.STOP, 1, Duration.ZERO, Duration.ZERO, 1, null);
    }

    /**
     * Retry with exponential backoff.
     *
     * @param maxAttempts attempts in all, at least 1
     * @param initialBackoff the wait before the second attempt, zero or positive
     * @param maxBackoff the longest wait, not below initialBackoff
     * @param multiplier the growth factor per attempt, at least 1.0
     * @return the strategy
     * @throws ConfigurationException naming the bad argument
     */
    public static ErrorStrategy retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier) {
        if (maxAttempts < 1) {
            throw new ConfigurationException("errorStrategy.maxAttempts", maxAttempts, "must be at least 1");
        }
        if (initialBackoff == null || initialBackoff.isNegative()) {
            throw new ConfigurationException("errorStrategy.initialBackoff", initialBackoff, "must be zero or positive");
        }
        if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new ConfigurationException("errorStrategy.maxBackoff", maxBackoff,
                    "must not be shorter than initialBackoff = " + initialBackoff);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new ConfigurationException("errorStrategy.multiplier", multiplier, "must be a finite number >= 1.0");
        }
        return new ErrorStrategy(Kind.RETRY, maxAttempts, initialBackoff, maxBackoff, multiplier, null);
    }

    /**
     * Send failed messages to a dead-letter topic.
     *
     * @param topic the topic, not blank
     * @return the strategy
     * @throws ConfigurationException if the topic is blank
     */
    public static ErrorStrategy deadLetter(String topic) {
        return new ErrorStrategy(Kind.DEAD_LETTER, 1, Duration.ZERO, Duration.ZERO, 1, checkTopic(topic));
    }

    /**
     * This retry strategy, dead-lettering the message once its attempts are used up.
     *
     * @param topic the dead-letter topic
     * @return a new strategy
     * @throws ConfigurationException if the topic is blank
     */
    public ErrorStrategy withDeadLetter(String topic) {
        return new ErrorStrategy(kind == Kind.RETRY ? Kind.RETRY : Kind.DEAD_LETTER, maxAttempts, initialBackoff,
                maxBackoff, multiplier, checkTopic(topic));
    }

    private static String checkTopic(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new ConfigurationException("errorStrategy.deadLetterTopic", topic, "must not be blank");
        }
        return topic;
    }

    /**
     * The basic reaction.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Attempts in all (1 unless retrying).
     *
     * @return at least 1
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * The dead-letter topic, or {@code null}.
     *
     * @return the topic or null
     */
    public String deadLetterTopic() {
        return deadLetterTopic;
    }

    /**
     * The wait before attempt {@code attempt} (2 for the first retry).
     *
     * @param attempt the attempt about to be made, at least 2
     * @return the backoff
     */
    public Duration backoffBefore(int attempt) {
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 2));
        return Duration.ofMillis((long) Math.min(maxBackoff.toMillis(), millis));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorStrategy e && kind == e.kind && maxAttempts == e.maxAttempts
                && initialBackoff.equals(e.initialBackoff) && maxBackoff.equals(e.maxBackoff)
                && multiplier == e.multiplier && Objects.equals(deadLetterTopic, e.deadLetterTopic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, maxAttempts, initialBackoff, maxBackoff, multiplier, deadLetterTopic);
    }

    @Override
    public String toString() {
        return "ErrorStrategy{" + kind + (kind == Kind.RETRY ? ", maxAttempts=" + maxAttempts + ", initialBackoff="
                + initialBackoff + ", maxBackoff=" + maxBackoff + ", multiplier=" + multiplier : "")
                + (deadLetterTopic != null ? ", deadLetterTopic=" + deadLetterTopic : "") + "}";
    }
}
