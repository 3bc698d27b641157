package io.rustmq.messaging.fault;

import io.rustmq.messaging.impl.Problems;

import java.util.Locale;

/** What a nacked incoming message does. */
public enum FailureStrategy {
    /** The channel stops and its liveness reports the cause (the default). */
    FAIL("fail"),
    /** The record is acknowledged and consumption goes on. */
    IGNORE("ignore"),
    /** The record goes to the dead-letter topic with the {@code rustmq-dlq-*} headers, then is acknowledged. */
    DEAD_LETTER_QUEUE("dead-letter-queue"),
    /** The record is delivered again after a backoff, a limited number of times. */
    DELAYED_RETRY("delayed-retry");

    private final String attributeValue;

    FailureStrategy(String attributeValue) {
        this.attributeValue = attributeValue;
    }

    /**
     * The attribute value naming this strategy.
     *
     * @return for example {@code dead-letter-queue}
     */
    public String attributeValue() {
        return attributeValue;
    }

    /**
     * Parses the {@code failure-strategy} attribute.
     *
     * @param channel the channel, for errors
     * @param value the value
     * @return the strategy
     * @throws IllegalArgumentException naming the channel and attribute for an unknown value
     */
    public static FailureStrategy parse(String channel, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (FailureStrategy s : values()) {
            if (s.attributeValue.equals(v)) {
                return s;
            }
        }
        throw Problems.badAttribute(channel, "failure-strategy", value,
                "must be fail, ignore, dead-letter-queue or delayed-retry");
    }
}
