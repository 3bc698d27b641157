package io.rustmq.client.stream;

import io.rustmq.client.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamConfigTest {
    private static StreamConfig.Builder valid() {
        return StreamConfig.builder().inputTopics("in").outputTopic("out").consumerGroup("g");
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        StreamConfig c = valid().build();
        assertThat(c.parallelism()).isEqualTo(1);
        assertThat(c.maxInFlight()).isEqualTo(100);
        assertThat(c.processingTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.mode()).isEqualTo(StreamConfig.Mode.INDIVIDUAL);
        assertThat(c.ordering()).isEqualTo(StreamConfig.Ordering.KEY);
        assertThat(c.errorStrategy().kind()).isEqualTo(ErrorStrategy.Kind.RETRY);
        assertThat(c.errorStrategy().maxAttempts()).isEqualTo(3);
        assertThat(StreamConfig.builder().inputTopics("a").consumerGroup("g").build().outputTopic()).isNull();
    }

    @Test
    void everyRuleNamesItsFieldAndValue() {
        assertRejected(StreamConfig.builder().consumerGroup("g"), "inputTopics = null");
        assertRejected(StreamConfig.builder().inputTopics(List.of("a", " ")).consumerGroup("g"), "inputTopics");
        assertRejected(valid().outputTopic(" "), "outputTopic = ' '");
        assertRejected(valid().consumerGroup(""), "consumerGroup = ''");
        assertRejected(valid().parallelism(0), "parallelism = 0");
        assertRejected(valid().maxInFlight(0), "maxInFlight = 0");
        assertRejected(valid().processingTimeout(Duration.ZERO), "processingTimeout = PT0S");
        assertRejected(valid().batch(0, Duration.ofMillis(10)), "batchSize = 0");
        assertRejected(valid().batch(10, Duration.ZERO), "batchTimeout = PT0S");
        assertRejected(valid().errorStrategy(null), "errorStrategy = null");
        assertRejected(valid().ordering(null), "ordering = null");
    }

    @Test
    void retryStrategyValidatesAndComputesItsBackoff() {
        ErrorStrategy s = ErrorStrategy.retry(5, Duration.ofMillis(100), Duration.ofMillis(350), 2.0);
        assertThat(s.backoffBefore(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(s.backoffBefore(3)).isEqualTo(Duration.ofMillis(200));
        assertThat(s.backoffBefore(4)).isEqualTo(Duration.ofMillis(350));
        assertThat(s.withDeadLetter("dead").deadLetterTopic()).isEqualTo("dead");
        assertThat(s.withDeadLetter("dead").kind()).isEqualTo(ErrorStrategy.Kind.RETRY);
        assertThatThrownBy(() -> ErrorStrategy.retry(0, Duration.ZERO, Duration.ZERO, 1))
                .hasMessageContaining("errorStrategy.maxAttempts = 0");
        assertThatThrownBy(() -> ErrorStrategy.retry(2, Duration.ofSeconds(2), Duration.ofSeconds(1), 2))
                .hasMessageContaining("errorStrategy.maxBackoff = PT1S");
        assertThatThrownBy(() -> ErrorStrategy.retry(2, Duration.ZERO, Duration.ZERO, 0.5))
                .hasMessageContaining("errorStrategy.multiplier = 0.5");
        assertThatThrownBy(() -> ErrorStrategy.deadLetter(" ")).hasMessageContaining("errorStrategy.deadLetterTopic");
    }

    private static void assertRejected(StreamConfig.Builder b, String expected) {
        assertThatThrownBy(b::build).isInstanceOf(ConfigurationException.class).hasMessageContaining(expected);
    }
}
