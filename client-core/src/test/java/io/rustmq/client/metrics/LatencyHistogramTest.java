package io.rustmq.client.metrics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LatencyHistogramTest {
    @Test
    void percentilesOfAUniformSpreadAreWithinTheBucketPrecision() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 1; v <= 10_000; v++) {
            h.recordMicros(v);
        }
        assertThat(h.count()).isEqualTo(10_000);
        assertThat((double) h.percentileMicros(50)).isCloseTo(5_000, within(5_000 * 0.07));
        assertThat((double) h.percentileMicros(99)).isCloseTo(9_900, within(9_900 * 0.07));
        assertThat((double) h.percentileMicros(100)).isCloseTo(10_000, within(10_000 * 0.07));
    }

    @Test
    void smallValuesAreExactAndNanosAreConverted() {
        LatencyHistogram h = new LatencyHistogram();
        h.recordNanos(TimeUnit.MICROSECONDS.toNanos(7));
        h.recordMicros(7);
        h.recordMicros(-3);
        assertThat(h.percentileMicros(50)).isEqualTo(7);
        assertThat(h.percentileMicros(1)).isZero();
    }

    @Test
    void aSkewedDistributionShowsItsTail() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 990; i++) {
            h.recordMicros(100);
        }
        for (int i = 0; i < 10; i++) {
            h.recordMicros(50_000);
        }
        assertThat((double) h.percentileMicros(50)).isCloseTo(100, within(7.0));
        assertThat((double) h.percentileMicros(99)).isCloseTo(100, within(7.0));
        assertThat((double) h.percentileMicros(99.5)).isCloseTo(50_000, within(50_000 * 0.07));
    }

    @Test
    void everyBucketHoldsExactlyTheValuesBetweenItsBounds() {
        for (long v : new long[] {0, 1, 31, 32, 33, 63, 64, 100, 1_000, 123_456, 1L << 30, (1L << 41) - 1}) {
            int b = LatencyHistogram.bucket(v);
            assertThat(v).as("value %d in bucket %d", v, b)
                    .isBetween(LatencyHistogram.lowerBound(b), LatencyHistogram.upperBound(b));
        }
        for (int b = 1; b < 600; b++) {
            assertThat(LatencyHistogram.lowerBound(b)).isEqualTo(LatencyHistogram.upperBound(b - 1) + 1);
        }
        assertThat(LatencyHistogram.bucket(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.bucket(1L << 50));
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
    }

    @Test
    void emptyHistogramReportsZeroAndPercentileIsChecked() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.percentileMicros(99)).isZero();
        assertThatThrownBy(() -> h.percentileMicros(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.percentileMicros(100.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
