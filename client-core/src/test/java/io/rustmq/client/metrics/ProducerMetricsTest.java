package io.rustmq.client.metrics;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ProducerMetricsTest {
    @Test
    void producerMetricsExportAsJson() {
        ProducerMetrics m = new ProducerMetrics(10, 1, 2048, 2, 5.0, Instant.parse("2024-01-02T03:04:05Z"), 3, 250, 900);
        assertThat(m.toJson()).isEqualTo("{\"messagesSent\":10,\"messagesFailed\":1,\"bytesSent\":2048,"
                + "\"batchesSent\":2,\"averageBatchSize\":5.0,\"lastSendTime\":\"2024-01-02T03:04:05Z\","
                + "\"retries\":3,\"requestLatencyP50Micros\":250,\"requestLatencyP99Micros\":900}");
        assertThat(new ProducerMetrics(0, 0, 0, 0, 0, null, 0, 0, 0).toJson()).contains("\"lastSendTime\":null");
    }
}
