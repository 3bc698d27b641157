package io.rustmq.messaging.commit;

import io.rustmq.messaging.impl.Problems;

import java.util.Locale;

/**
 * How an incoming channel commits acknowledged offsets. Every strategy commits at most the first unacknowledged
 * offset of a partition (the consumer tracks acknowledgments per offset), so a commit never passes an unacknowledged
 * record.
 */
public enum CommitStrategy {
    /** Commits on an interval ({@code auto-commit-interval}): the default. */
    THROTTLED("throttled"),
    /** Commits after each acknowledgment; commits in flight coalesce. */
    LATEST("latest"),
    /** The connector never commits. */
    IGNORE("ignore");

    private final String attributeValue;

    CommitStrategy(String attributeValue) {
        this.attributeValue = attributeValue;
    }

    /**
     * The attribute value naming this strategy.
     *
     * @return for example {@code throttled}
     */
    public String attributeValue() {
        return attributeValue;
    }

    /**
     * Parses the {@code commit-strategy} attribute.
     *
     * @param channel the channel, for errors
     * @param value the value
     * @return the strategy
     * @throws IllegalArgumentException naming the channel and attribute for an unknown value
     */
    public static CommitStrategy parse(String channel, String value) {
        for (CommitStrategy s : values()) {
            if (s.attributeValue.equals(value.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw Problems.badAttribute(channel, "commit-strategy", value, "must be throttled, latest or ignore");
    }
}
