package io.rustmq.client.internal.consumer;

/**
 * Finds the first offset whose record timestamp is at or after a target, by binary search over single-record
 * fetches (the broker has no timestamp index; a Fetch with {@code max_bytes = 0} returns exactly the record at its
 * offset). Assumes the broker's timestamps do not decrease along a partition, which holds while its clock does not
 * go back. Takes {@code ceil(log2(end - from)) } lookups at most.
 */
final class TimestampSearch {
    /** What a lookup returns when no record is stored at the offset (below the earliest retained one). */
    static final long NO_RECORD = Long.MIN_VALUE;

    private TimestampSearch() {
    }

    /** Reads the timestamp of the record at an offset. */
    @FunctionalInterface
    interface TimestampAt {
        /**
         * The timestamp of one record.
         *
         * @param offset an offset in the searched range
         * @return its epoch milliseconds, or {@link #NO_RECORD} if none is stored there
         */
        long timestampAt(long offset);
    }

    /**
     * The first offset in {@code [from, end)} whose timestamp is at or after {@code targetMillis}.
     *
     * @param from the first offset to consider
     * @param end the end of the range (the high watermark)
     * @param targetMillis the target, epoch milliseconds
     * @param lookup reads one record's timestamp; a missing record counts as older than the target
     * @return that offset, or {@code end} when every record is older
     */
    static long firstOffsetAtOrAfter(long from, long end, long targetMillis, TimestampAt lookup) {
        long lo = from;
        long hi = end;
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            long ts = lookup.timestampAt(mid);
            if (ts == NO_RECORD || ts < targetMillis) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
