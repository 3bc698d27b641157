package io.rustmq.client.internal.producer;

import io.rustmq.client.producer.Producer;
import io.rustmq.client.metrics.ProducerMetrics;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The producer's counters as Producer.metrics() reports them. */
class ProducerStatsTest {
    @Test
    void startsAtZeroWithNoLastSendTime() {
        ProducerMetrics m = new ProducerStats().snapshot();
        assertThat(m.messagesSent()).isZero();
        assertThat(m.messagesFailed()).isZero();
        assertThat(m.batchesSent()).isZero();
        assertThat(m.lastSendTime()).isNull();
    }

    @Test
    void countsBatchesFailuresRetriesAndTheAverageBatchSize() {
        ProducerStats stats = new ProducerStats();
        stats.attemptStarted();
        stats.attemptFinished(TimeUnit.MILLISECONDS.toNanos(2));
        stats.batchSent(3, 300);
        stats.batchSent(1, 100);
        stats.failed(2);
        stats.retried();
        ProducerMetrics m = stats.snapshot();
        assertThat(m.messagesSent()).isEqualTo(4);
        assertThat(m.bytesSent()).isEqualTo(400);
        assertThat(m.batchesSent()).isEqualTo(2);
        assertThat(m.averageBatchSize()).isEqualTo(2.0);
        assertThat(m.messagesFailed()).isEqualTo(2);
        assertThat(m.retries()).isEqualTo(1);
        assertThat(m.lastSendTime()).isNotNull();
        assertThat(m.requestLatencyP50Micros()).isPositive();
    }
}
