package io.rustmq.benchmarks.perf;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed-size, thread-safe, log-linear histogram of durations in nanoseconds: exact below 128 ns, then 64 buckets
 * per power of two, so a reported percentile is within 1.6 % of the true value (the maximum and the mean are exact).
 * Recording is lock-free and allocation-free; memory is constant (about 30 KiB) whatever the number of values.
 */
public final class LatencyHistogram {
    private static final int LINEAR = 128;
    private static final int SUB = 64;
    private static final int SUB_BITS = 6;
    private static final int BUCKETS = LINEAR + 56 * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder total = new LongAdder();
    private final LongAdder sum = new LongAdder();
    private final AtomicLong max = new AtomicLong();

    /**
     * Records one duration.
     *
     * @param nanos the duration; negative values count as 0
     */
    public void record(long nanos) {
        long v = Math.max(0, nanos);
        counts.incrementAndGet(index(v));
        total.increment();
        sum.add(v);
        max.accumulateAndGet(v, Math::max);
    }

    static int index(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int msb = 63 - Long.numberOfLeadingZeros(v);
        int shift = msb - SUB_BITS;
        long mantissa = v >>> shift;
        return LINEAR + (shift - 1) * SUB + (int) (mantissa - SUB);
    }

    /** The middle of a bucket's range of values. */
    static long valueOf(int index) {
        if (index < LINEAR) {
            return index;
        }
        int shift = (index - LINEAR) / SUB + 1;
        long mantissa = SUB + (index - LINEAR) % SUB;
        long low = mantissa << shift;
        return low + ((1L << shift) >>> 1);
    }

    /**
     * How many values were recorded.
     *
     * @return the count
     */
    public long count() {
        return total.sum();
    }

    /**
     * The largest value recorded.
     *
     * @return nanoseconds, 0 if none
     */
    public long max() {
        return max.get();
    }

    /**
     * The mean.
     *
     * @return nanoseconds, 0 if none
     */
    public double mean() {
        long n = total.sum();
        return n == 0 ? 0 : (double) sum.sum() / n;
    }

    /**
     * The value at or below which {@code percent} of the values lie (nearest rank).
     *
     * @param percent between 0 (exclusive) and 100
     * @return nanoseconds (within 1.6 %, never above the maximum), 0 if no value was recorded
     */
    public long percentile(double percent) {
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent must be in (0, 100], got " + percent);
        }
        long n = 0;
        long[] snapshot = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts.get(i);
            n += snapshot[i];
        }
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * n));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return Math.min(valueOf(i), max.get());
            }
        }
        return max.get();
    }
}
