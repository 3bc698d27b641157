package io.rustmq.client.internal.consumer;

import io.rustmq.client.protocol.FetchResponse;

/**
 * Classifies a Fetch answer that says the fetch offset is below the partition's log start (the project profile:
 * {@code error_code = 1}, Kafka's OFFSET_OUT_OF_RANGE, with the text
 * {@code "OffsetOutOfRange: log start N, high watermark M"}). Error code 1 with any other text (the shipped broker's
 * {@code "Failed to fetch records"}) is not this: it stays a retriable storage error. Stateless.
 */
public final class OffsetOutOfRange {
    /** Kafka's OFFSET_OUT_OF_RANGE error number, used by the profile. */
    public static final int ERROR_CODE = 1;
    /** The prefix of the error text that marks the answer. */
    public static final String PREFIX = "OffsetOutOfRange:";
    /** Returned when an answer is not an offset-out-of-range answer. */
    public static final long NOT_OUT_OF_RANGE = -1;

    private OffsetOutOfRange() {
    }

    /**
     * The partition's log start offset named by an out-of-range answer.
     *
     * @param r a Fetch response
     * @return the log start {@code N}, or {@link #NOT_OUT_OF_RANGE} if the answer is not an offset-out-of-range one
     *     (another code, another text, or a text whose log start does not parse)
     */
    public static long logStart(FetchResponse r) {
        return logStart(r.errorCode(), r.errorMessage());
    }

    /**
     * The log start offset named by an error code and text.
     *
     * @param errorCode the answer's error code
     * @param message its error text, possibly {@code null}
     * @return the log start, or {@link #NOT_OUT_OF_RANGE}
     */
    public static long logStart(int errorCode, String message) {
        if (errorCode != ERROR_CODE || message == null || !message.startsWith(PREFIX)) {
            return NOT_OUT_OF_RANGE;
        }
        String key = "log start ";
        int at = message.indexOf(key, PREFIX.length());
        if (at < 0) {
            return NOT_OUT_OF_RANGE;
        }
        int from = at + key.length();
        int to = from;
        while (to < message.length() && Character.isDigit(message.charAt(to))) {
            to++;
        }
        if (to == from) {
            return NOT_OUT_OF_RANGE;
        }
        try {
            return Long.parseUnsignedLong(message.substring(from, to));
        } catch (NumberFormatException e) {
            return NOT_OUT_OF_RANGE;
        }
    }
}
