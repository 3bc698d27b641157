package io.rustmq.client.metrics;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A thread-safe latency histogram backed by HdrHistogram: values are kept in nanoseconds with two significant
 * decimal digits, so every reported percentile is within 1 % of the recorded value (the maximum is exact to the
 * same precision), whatever the range; memory grows only with the largest value recorded (about 40 KiB up to an
 * hour). Recording is wait-free and allocation-free once the range is reached, safe from any number of threads;
 * readers see a consistent snapshot. The one latency histogram of the project: the producer's metrics and the
 * {@code rustmq-perf} tool both use it.
 */
public final class LatencyHistogram {
    /** Significant decimal digits kept: 2 means a relative error of at most 1 %. */
    public static final int SIGNIFICANT_DIGITS = 2;

    private final ConcurrentHistogram histogram = new ConcurrentHistogram(SIGNIFICANT_DIGITS);

    /** Creates an empty histogram. */
    public LatencyHistogram() {
    }

    /**
     * Records one latency.
     *
     * @param nanos the latency in nanoseconds; negative values count as 0
     */
    public void recordNanos(long nanos) {
        histogram.recordValue(Math.max(0, nanos));
    }

    /**
     * Records one latency.
     *
     * @param micros the latency in microseconds; negative values count as 0
     */
    public void recordMicros(long micros) {
        recordNanos(TimeUnit.MICROSECONDS.toNanos(Math.max(0, micros)));
    }

    /**
     * The number of recorded values.
     *
     * @return the count
     */
    public long count() {
        return histogram.getTotalCount();
    }

    /**
     * A percentile of the recorded values (nearest rank), to within 1 %.
     *
     * @param percentile in (0, 100]
     * @return the latency in nanoseconds, or 0 if nothing was recorded
     * @throws IllegalArgumentException if {@code percentile} is outside (0, 100]
     */
    public long percentileNanos(double percentile) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + percentile);
        }
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile);
    }

    /**
     * A percentile of the recorded values (nearest rank), to within 1 %.
     *
     * @param percentile in (0, 100]
     * @return the latency in microseconds, or 0 if nothing was recorded
     * @throws IllegalArgumentException if {@code percentile} is outside (0, 100]
     */
    public long percentileMicros(double percentile) {
        return TimeUnit.NANOSECONDS.toMicros(percentileNanos(percentile));
    }

    /**
     * The largest value recorded, to within 1 %.
     *
     * @return nanoseconds, 0 if none
     */
    public long maxNanos() {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getMaxValue();
    }

    /**
     * The mean of the recorded values, to within 1 %.
     *
     * @return nanoseconds, 0 if none
     */
    public double meanNanos() {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getMean();
    }

    /**
     * The percentile distribution as HdrHistogram reports it: one point per step, with the steps halving the
     * distance to 100 % {@code ticksPerHalfDistance} times each (the x axis of HdrHistogram's log-scale plots).
     *
     * @param ticksPerHalfDistance points per halving of the distance to 100 %, at least 1
     * @return the points in increasing percentile order, empty if nothing was recorded
     * @throws IllegalArgumentException if {@code ticksPerHalfDistance} is below 1
     */
    public List<Percentile> distribution(int ticksPerHalfDistance) {
        if (ticksPerHalfDistance < 1) {
            throw new IllegalArgumentException("ticksPerHalfDistance must be at least 1, got " + ticksPerHalfDistance);
        }
        Histogram copy = snapshot();
        if (copy.getTotalCount() == 0) {
            return Collections.emptyList();
        }
        List<Percentile> points = new ArrayList<>();
        for (HistogramIterationValue v : copy.percentiles(ticksPerHalfDistance)) {
            points.add(new Percentile(v.getPercentileLevelIteratedTo(), v.getValueIteratedTo(),
                    v.getTotalCountToThisValue()));
        }
        return points;
    }

    /**
     * Writes the standard HdrHistogram percentile-distribution text (the {@code .hgrm} format that HdrHistogram's
     * plotter reads), five ticks per half distance.
     *
     * @param out where to write
     * @param unitNanos the unit of the written values in nanoseconds, e.g. {@code 1_000_000} for milliseconds
     * @throws IllegalArgumentException if {@code unitNanos} is not positive
     */
    public void writePercentileDistribution(PrintStream out, double unitNanos) {
        if (!(unitNanos > 0)) {
            throw new IllegalArgumentException("unitNanos must be positive, got " + unitNanos);
        }
        snapshot().outputPercentileDistribution(out, 5, unitNanos);
    }

    private Histogram snapshot() {
        return histogram.copy();
    }

    /**
     * One point of a percentile distribution.
     *
     * @param percentile the percentile level, in [0, 100]
     * @param nanos the value at that level, in nanoseconds
     * @param count how many values are at or below it
     */
    public record Percentile(double percentile, long nanos, long count) {
    }
}
