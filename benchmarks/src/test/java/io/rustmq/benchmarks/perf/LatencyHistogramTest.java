package io.rustmq.benchmarks.perf;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyHistogramTest {
    @Test
    void emptyHistogramReportsZero() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.count()).isZero();
        assertThat(h.percentile(99)).isZero();
        assertThat(h.max()).isZero();
    }

    @Test
    void smallValuesAreExact() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 100; i++) {
            h.record(i);
        }
        assertThat(h.percentile(50)).isEqualTo(50);
        assertThat(h.percentile(99)).isEqualTo(99);
        assertThat(h.percentile(100)).isEqualTo(100);
        assertThat(h.mean()).isEqualTo(50.5);
        assertThat(h.max()).isEqualTo(100);
    }

    @Test
    void bucketsAreContiguousAndCoverTheRange() {
        for (int i = 0; i < 3000; i++) {
            long v = LatencyHistogram.valueOf(i);
            assertThat(LatencyHistogram.index(v)).as("bucket %d", i).isEqualTo(i);
        }
        assertThat(LatencyHistogram.index(Long.MAX_VALUE)).isLessThan(128 + 56 * 64);
        assertThat(LatencyHistogram.index(127)).isEqualTo(127);
        assertThat(LatencyHistogram.index(128)).isEqualTo(128);
        assertThat(LatencyHistogram.index(256)).isEqualTo(192);
    }

    @Test
    void percentilesMatchSortedValuesWithinTheBucketError() {
        Random r = new Random(3);
        long[] values = new long[100_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.exp(8 + 5 * r.nextDouble()); // 3 us .. 1.3 s, log-uniform
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {50, 90, 99, 99.9}) {
            long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
            assertThat((double) h.percentile(p)).as("p%s", p).isCloseTo(exact, within(exact * 0.016 + 1));
        }
        assertThat(h.max()).isEqualTo(values[values.length - 1]);
        assertThat(h.percentile(100)).isLessThanOrEqualTo(h.max());
    }
}
