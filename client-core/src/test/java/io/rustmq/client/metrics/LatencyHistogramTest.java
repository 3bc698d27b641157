package io.rustmq.client.metrics;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LatencyHistogramTest {
    private static final double[] PERCENTILES = {1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100};

    /** Nearest-rank percentile of sorted values. */
    private static long exact(long[] sorted, double percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(1, rank) - 1];
    }

    /** Latencies as a client sees them: mostly sub-millisecond, a long tail to a second. */
    private static long[] recordedMicros(int n, long seed) {
        Random r = new Random(seed);
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            double x = Math.exp(r.nextGaussian() * 1.5 + 5.5);
            v[i] = Math.min(1_000_000, (long) x);
        }
        return v;
    }

    @Test
    void percentilesAreWithinOnePercentOfTheExactValues() {
        long[] micros = recordedMicros(200_000, 7);
        LatencyHistogram h = new LatencyHistogram();
        for (long m : micros) {
            h.recordNanos(m * 1000);
        }
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        for (double p : PERCENTILES) {
            double truth = exact(sorted, p) * 1000.0;
            assertThat((double) h.percentileNanos(p)).as("p%s", p).isCloseTo(truth, within(truth * 0.01 + 1));
        }
        assertThat((double) h.maxNanos()).isCloseTo(sorted[sorted.length - 1] * 1000.0,
                within(sorted[sorted.length - 1] * 10.0));
        assertThat(h.count()).isEqualTo(micros.length);
    }

    @Test
    void givesTheSamePercentilesAsTheOldHistogramWithinItsPrecision() {
        long[] micros = recordedMicros(100_000, 42);
        LatencyHistogram h = new LatencyHistogram();
        LegacyLatencyHistogram old = new LegacyLatencyHistogram();
        for (long m : micros) {
            h.recordMicros(m);
            old.recordMicros(m);
        }
        for (double p : PERCENTILES) {
            long before = old.percentileMicros(p);
            // the old histogram's documented precision: about 6 % (16 buckets per power of two), exact below 32 us
            assertThat((double) h.percentileMicros(p)).as("p%s", p).isCloseTo(before, within(before * 0.0625 + 1));
        }
    }

    @Test
    void concurrentRecordingLosesNothing() throws Exception {
        LatencyHistogram h = new LatencyHistogram();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    h.recordMicros(i % 1000);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(h.count()).isEqualTo(200_000);
        assertThat(h.percentileMicros(100)).isBetween(990L, 1000L);
    }

    @Test
    void emptyHistogramReportsZeroAndArgumentsAreChecked() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.percentileMicros(99)).isZero();
        assertThat(h.maxNanos()).isZero();
        assertThat(h.meanNanos()).isZero();
        assertThat(h.distribution(5)).isEmpty();
        assertThatThrownBy(() -> h.percentileMicros(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.percentileMicros(100.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.distribution(0)).hasMessageContaining("ticksPerHalfDistance");
        assertThatThrownBy(() -> h.writePercentileDistribution(System.out, 0)).hasMessageContaining("unitNanos");
    }

    @Test
    void negativeValuesCountAsZero() {
        LatencyHistogram h = new LatencyHistogram();
        h.recordNanos(-5);
        h.recordMicros(-1);
        assertThat(h.count()).isEqualTo(2);
        assertThat(h.maxNanos()).isZero();
    }

    @Test
    void distributionClimbsToTheMaximumOnALogScale() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 10_000; i++) {
            h.recordMicros(i);
        }
        List<LatencyHistogram.Percentile> d = h.distribution(5);
        assertThat(d).hasSizeGreaterThan(40);
        assertThat(d.get(d.size() - 1).percentile()).isEqualTo(100.0);
        assertThat(d.get(d.size() - 1).count()).isEqualTo(10_000);
        for (int i = 1; i < d.size(); i++) {
            assertThat(d.get(i).percentile()).isGreaterThanOrEqualTo(d.get(i - 1).percentile());
            assertThat(d.get(i).nanos()).isGreaterThanOrEqualTo(d.get(i - 1).nanos());
        }
    }

    @Test
    void writesTheStandardHgrmFormat() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 1000; i++) {
            h.recordNanos(i * 1_000_000L);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        h.writePercentileDistribution(new PrintStream(bytes, true, StandardCharsets.UTF_8), 1_000_000);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("Value     Percentile TotalCount 1/(1-Percentile)");
        assertThat(text).contains("#[Mean    =");
        assertThat(text).contains("#[Max     =");
        assertThat(text).contains("Total count    =         1000");
    }
}
