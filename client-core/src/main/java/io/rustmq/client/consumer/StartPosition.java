package io.rustmq.client.consumer;

/**
 * Where a consumer starts reading a partition for which its group has no committed offset.
 */
public sealed interface StartPosition {
    /** The first offset still stored. */
    record Earliest() implements StartPosition {
    }

    /** The partition's end: only messages produced from now on. */
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
         * @throws IllegalArgumentException if negative
         */
        public Offset {
            if (offset < 0) {
                throw new IllegalArgumentException("offset must be >= 0, got " + offset);
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
     */
    static StartPosition offset(long offset) {
        return new Offset(offset);
    }
}
