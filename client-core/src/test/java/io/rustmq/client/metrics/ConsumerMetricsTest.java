package io.rustmq.client.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rustmq.client.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsumerMetricsTest {
    @Test
    void toJsonHasEveryFieldWithLagKeyedByTopicPartitionInOrder() throws Exception {
        Map<TopicPartition, Long> lag = new HashMap<>();
        lag.put(new TopicPartition("b", 0), 5L);
        lag.put(new TopicPartition("a", 10), 2L);
        lag.put(new TopicPartition("a", 2), 1L);
        ConsumerMetrics m = new ConsumerMetrics("g", 10, 8, 3, 1, lag, 8, Instant.parse("2026-01-02T03:04:05Z"),
                2, 1);
        String json = m.toJson();
        assertThat(json).isEqualTo("{\"group\":\"g\",\"messagesReceived\":10,\"messagesProcessed\":8,"
                + "\"messagesNacked\":3,\"messagesDeadLettered\":1,\"lag\":{\"a-2\":1,\"a-10\":2,\"b-0\":5},"
                + "\"totalLag\":8,\"lastReceiveTime\":\"2026-01-02T03:04:05Z\",\"positionResets\":2,"
                + "\"deadLetterFailures\":1}");
        JsonNode parsed = new ObjectMapper().readTree(json);
        assertThat(parsed.get("lag").get("b-0").asLong()).isEqualTo(5);
    }

    @Test
    void aConsumerThatNeverReceivedHasANullLastReceiveTime() {
        ConsumerMetrics m = new ConsumerMetrics("g", 0, 0, 0, 0, Map.of(), 0, null);
        assertThat(m.toJson()).contains("\"lag\":{}", "\"lastReceiveTime\":null");
        assertThat(m.lagOf(new TopicPartition("t", 0))).isEqualTo(-1);
    }

    @Test
    void theLagMapIsACopyAndImmutable() {
        Map<TopicPartition, Long> lag = new HashMap<>(Map.of(new TopicPartition("t", 0), 4L));
        ConsumerMetrics m = new ConsumerMetrics("g", 0, 0, 0, 0, lag, 4, null);
        lag.put(new TopicPartition("t", 1), 1L);
        assertThat(m.lag()).hasSize(1);
        assertThat(m.lagOf(new TopicPartition("t", 0))).isEqualTo(4);
        assertThatThrownBy(() -> m.lag().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
