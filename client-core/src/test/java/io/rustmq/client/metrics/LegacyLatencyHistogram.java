package io.rustmq.client.metrics;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The client's hand-written histogram before HdrHistogram replaced it, kept in the tests only as the reference that
 * {@link LatencyHistogramTest} compares the new one with. A small lock-free latency histogram in microseconds: log-linear buckets (16 per power of two, so a reported
 * percentile is within about 6 % of the true value), exact below 32 µs, up to about 2<sup>40</sup> µs (12 days;
 * larger values count in the last bucket). Recording is one array increment, safe from any number of threads;
 * reading percentiles walks 600 counters and sees each recording either fully or not at all.
 */
final class LegacyLatencyHistogram {
    private static final int SUB_BITS = 4;
    private static final int SUB_COUNT = 1 << SUB_BITS;
    /** Values below this are their own bucket. */
    private static final int LINEAR = 2 * SUB_COUNT;
    private static final int MAX_EXPONENT = 40;
    private static final int BUCKETS = LINEAR + (MAX_EXPONENT - SUB_BITS) * SUB_COUNT;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** Creates an empty histogram. */
    LegacyLatencyHistogram() {
    }

    /**
     * Records one latency.
     *
     * @param nanos the latency in nanoseconds; negative values count as 0
     */
    public void recordNanos(long nanos) {
        recordMicros(TimeUnit.NANOSECONDS.toMicros(Math.max(0, nanos)));
    }

    /**
     * Records one latency.
     *
     * @param micros the latency in microseconds; negative values count as 0
     */
    public void recordMicros(long micros) {
        counts.incrementAndGet(bucket(Math.max(0, micros)));
    }

    static int bucket(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v); // >= SUB_BITS + 1
        if (exponent > MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        int shift = exponent - SUB_BITS;
        int sub = (int) ((v >>> shift) & (SUB_COUNT - 1));
        int index = LINEAR + (exponent - SUB_BITS - 1) * SUB_COUNT + sub;
        return Math.min(index, BUCKETS - 1);
    }

    /** The largest value that falls into a bucket. */
    static long upperBound(int bucket) {
        if (bucket < LINEAR) {
            return bucket;
        }
        int exponent = (bucket - LINEAR) / SUB_COUNT + SUB_BITS + 1;
        int sub = (bucket - LINEAR) % SUB_COUNT;
        int shift = exponent - SUB_BITS;
        return (((long) (SUB_COUNT + sub) + 1) << shift) - 1;
    }

    /** The smallest value that falls into a bucket. */
    static long lowerBound(int bucket) {
        if (bucket < LINEAR) {
            return bucket;
        }
        int exponent = (bucket - LINEAR) / SUB_COUNT + SUB_BITS + 1;
        int sub = (bucket - LINEAR) % SUB_COUNT;
        return (long) (SUB_COUNT + sub) << (exponent - SUB_BITS);
    }

    /**
     * The number of recorded values.
     *
     * @return the count
     */
    public long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /**
     * A percentile of the recorded values: the middle of the bucket holding the value at that rank.
     *
     * @param percentile in (0, 100]
     * @return the latency in microseconds, or 0 if nothing was recorded
     * @throws IllegalArgumentException if {@code percentile} is outside (0, 100]
     */
    public long percentileMicros(double percentile) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + percentile);
        }
        long[] snapshot = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts.get(i);
            total += snapshot[i];
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(percentile / 100.0 * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return (lowerBound(i) + upperBound(i)) / 2;
            }
        }
        return (lowerBound(BUCKETS - 1) + upperBound(BUCKETS - 1)) / 2;
    }
}
