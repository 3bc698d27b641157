package io.rustmq.client.consumer;

import io.rustmq.client.ConfigurationException;

import java.time.Instant;

/**
 * Where a consumer starts reading a partition for which its group has no committed offset. A committed offset
 * always wins: the start position applies only to partitions the group has never committed.
 */
public sealed interface StartPosition {
    /** Offset 0, the first offset the broker assigns (a broker that dropped old data returns nothing below it). */
    record Earliest() implements StartPosition {
    }

    /** The partition's end (its high watermark when the position is resolved): only messages produced from then on. */
    record Latest() implements StartPosition {
    }

    /**
     * A given offset.
     *
     * @param offset the offset, at least 0
     */
    record Offset(long offset) implements StartPosition {
        /**
         * Checks the offset.
         *
         * @throws ConfigurationException naming {@code startPosition} if negative
         */
        public Offset {
            if (offset < 0) {
                throw new ConfigurationException("startPosition", "offset(" + offset + ")", "must be at least 0");
            }
        }
    }

    /**
     * The first message whose broker timestamp is at or after an instant (found by binary search over single-record
     * fetches, since the broker keeps no timestamp index), or the end if every message is older.
     *
     * @param instant the instant, not null
     */
    record Timestamp(Instant instant) implements StartPosition {
        /**
         * Checks the instant.
         *
         * @throws ConfigurationException naming {@code startPosition} if null
         */
        public Timestamp {
            if (instant == null) {
                throw new ConfigurationException("startPosition", "timestamp(null)", "needs an instant");
            }
        }
    }

    /**
     * Start from the earliest offset.
     *
     * @return the position
     */
    static StartPosition earliest() {
        return new Earliest();
    }

    /**
     * Start from the end.
     *
     * @return the position
     */
    static StartPosition latest() {
        return new Latest();
    }

    /**
     * Start from an offset.
     *
     * @param offset the offset, at least 0
     * @return the position
     * @throws ConfigurationException if negative
     */
    static StartPosition offset(long offset) {
        return new Offset(offset);
    }

    /**
     * Start from the first message stamped at or after an instant.
     *
     * @param instant the instant, not null
     * @return the position
     * @throws ConfigurationException if null
     */
    static StartPosition timestamp(Instant instant) {
        return new Timestamp(instant);
    }
}
