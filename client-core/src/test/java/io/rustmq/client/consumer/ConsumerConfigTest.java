package io.rustmq.client.consumer;

import io.rustmq.client.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ConsumerConfigTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        ConsumerConfig c = ConsumerConfig.defaults();
        assertThat(c.consumerGroup()).isNull();
        assertThat(c.topics()).isNull();
        assertThat(c.startPosition()).isEqualTo(StartPosition.latest());
        assertThat(c.enableAutoCommit()).isTrue();
        assertThat(c.autoCommitInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.fetchSize()).isEqualTo(100);
        assertThat(c.maxFetchBytes()).isEqualTo(1024 * 1024);
        assertThat(c.pollInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.sessionTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.handoverDelay()).isEqualTo(Duration.ofSeconds(6));
        assertThat(c.maxBufferedBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(c.maxDeadLetterAttempts()).isEqualTo(5);
        assertThat(c.deadLetterFailureListener()).isSameAs(DeadLetterFailureListener.NONE);
        assertThat(c.maxRedeliveries()).isEqualTo(3);
        assertThat(c.redeliveryBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.deadLetterTopic()).isNull();
        assertThat(c.rebalanceListener()).isSameAs(RebalanceListener.NONE);
    }

    @Test
    void theHeartbeatDefaultsToAThirdOfTheSessionAndFollowsItThroughToBuilder() {
        ConsumerConfig c = ConsumerConfig.builder().sessionTimeout(Duration.ofSeconds(3)).build();
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.toBuilder().sessionTimeout(Duration.ofSeconds(9)).build().heartbeatInterval())
                .isEqualTo(Duration.ofSeconds(3));
        ConsumerConfig explicit = c.toBuilder().heartbeatInterval(Duration.ofMillis(300)).build();
        assertThat(explicit.toBuilder().sessionTimeout(Duration.ofSeconds(9)).build().heartbeatInterval())
                .isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void theHandOverDelayIsTwoHeartbeatsCappedAtTheSessionUnlessSet() {
        ConsumerConfig c = ConsumerConfig.builder().sessionTimeout(Duration.ofSeconds(3)).build();
        assertThat(c.handoverDelay()).isEqualTo(Duration.ofSeconds(2));
        ConsumerConfig tight = c.toBuilder().heartbeatInterval(Duration.ofMillis(2_000)).build();
        assertThat(tight.handoverDelay()).isEqualTo(Duration.ofSeconds(3));
        ConsumerConfig set = c.toBuilder().handoverDelay(Duration.ofMillis(500)).build();
        assertThat(set.handoverDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(set.toBuilder().build().handoverDelay()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void everyFieldSurvivesToBuilder() {
        RebalanceListener listener = new RebalanceListener() {
        };
        ConsumerConfig c = ConsumerConfig.builder().consumerGroup("g").topics("a", "b")
                .startPosition(StartPosition.timestamp(Instant.ofEpochMilli(5))).enableAutoCommit(false)
                .autoCommitInterval(Duration.ofSeconds(2)).fetchSize(7).maxFetchBytes(9)
                .pollInterval(Duration.ofMillis(3))
                .sessionTimeout(Duration.ofSeconds(4)).heartbeatInterval(Duration.ofSeconds(1)).maxRedeliveries(0)
                .redeliveryBackoff(Duration.ZERO).deadLetterTopic("dlq").rebalanceListener(listener)
                .handoverDelay(Duration.ofMillis(10)).maxBufferedBytes(99).maxDeadLetterAttempts(2)
                .deadLetterFailureListener((m, r, f) -> { }).build();
        assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
        assertThat(c.topics()).containsExactly("a", "b");
        assertThat(c.toString()).contains("consumerGroup=g", "deadLetterTopic=dlq", "maxRedeliveries=0");
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                rule("consumerGroup", "''", b -> b.consumerGroup("")),
                rule("consumerGroup", "' '", b -> b.consumerGroup(" ")),
                rule("topics", "[]", b -> b.topics(List.of())),
                rule("topics", "[a, ]", b -> b.topics("a", "")),
                rule("topics", "[a, null]", b -> b.topics(Arrays.asList("a", null))),
                rule("topics", "[a, a]", b -> b.topics("a", "a")),
                rule("startPosition", "null", b -> b.startPosition(null)),
                rule("autoCommitInterval", "PT0S", b -> b.autoCommitInterval(Duration.ZERO)),
                rule("autoCommitInterval", "PT-1S", b -> b.autoCommitInterval(Duration.ofSeconds(-1))),
                rule("autoCommitInterval", "null", b -> b.autoCommitInterval(null)),
                rule("fetchSize", "0", b -> b.fetchSize(0)),
                rule("maxFetchBytes", "0", b -> b.maxFetchBytes(0)),
                rule("maxFetchBytes", "-1", b -> b.maxFetchBytes(-1)),
                rule("pollInterval", "PT0S", b -> b.pollInterval(Duration.ZERO)),
                rule("pollInterval", "null", b -> b.pollInterval(null)),
                rule("sessionTimeout", "PT0S", b -> b.sessionTimeout(Duration.ZERO)),
                rule("sessionTimeout", "PT0.0005S", b -> b.sessionTimeout(Duration.ofNanos(500_000))),
                rule("sessionTimeout", "PT1193H2M47.296S", b -> b.sessionTimeout(Duration.ofMillis(1L << 32))),
                rule("heartbeatInterval", "PT0S", b -> b.heartbeatInterval(Duration.ZERO)),
                rule("heartbeatInterval", "PT30S", b -> b.heartbeatInterval(Duration.ofSeconds(30))),
                rule("maxRedeliveries", "-1", b -> b.maxRedeliveries(-1)),
                rule("redeliveryBackoff", "PT-0.001S", b -> b.redeliveryBackoff(Duration.ofMillis(-1))),
                rule("redeliveryBackoff", "null", b -> b.redeliveryBackoff(null)),
                rule("deadLetterTopic", "''", b -> b.deadLetterTopic("")),
                rule("deadLetterTopic", "'orders'", b -> b.topics("orders").deadLetterTopic("orders")),
                rule("rebalanceListener", "null", b -> b.rebalanceListener(null)),
                rule("handoverDelay", "PT-1S", b -> b.handoverDelay(Duration.ofSeconds(-1))),
                rule("handoverDelay", "PT31S", b -> b.handoverDelay(Duration.ofSeconds(31))),
                rule("maxBufferedBytes", "1000", b -> b.maxFetchBytes(1001).maxBufferedBytes(1000)),
                rule("maxDeadLetterAttempts", "0", b -> b.maxDeadLetterAttempts(0)),
                rule("deadLetterFailureListener", "null", b -> b.deadLetterFailureListener(null)));
    }

    private static Arguments rule(String field, String shownValue, UnaryOperator<ConsumerConfig.Builder> change) {
        return arguments(field, shownValue, change);
    }

    @ParameterizedTest(name = "{0} = {1} is rejected at build()")
    @MethodSource("invalidValues")
    void anInvalidValueFailsAtBuildNamingTheFieldAndTheValue(String field, String shownValue,
                                                             UnaryOperator<ConsumerConfig.Builder> change) {
        ConsumerConfig.Builder b = change.apply(ConsumerConfig.builder());
        assertThatThrownBy(b::build)
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining(field + " = " + shownValue);
    }

    @Test
    void invalidStartPositionsFailNamingStartPosition() {
        assertThatThrownBy(() -> StartPosition.offset(-1))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.field()).isEqualTo("startPosition"))
                .hasMessageContaining("startPosition = 'offset(-1)'");
        assertThatThrownBy(() -> StartPosition.timestamp(null))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.field()).isEqualTo("startPosition"))
                .hasMessageContaining("timestamp(null)");
    }

    @Test
    void boundaryValuesAreAccepted() {
        ConsumerConfig c = ConsumerConfig.builder().fetchSize(1).maxFetchBytes(1).maxRedeliveries(0)
                .redeliveryBackoff(Duration.ZERO).sessionTimeout(Duration.ofMillis(0xFFFF_FFFFL))
                .heartbeatInterval(Duration.ofMillis(0xFFFF_FFFEL)).startPosition(StartPosition.offset(0))
                .deadLetterTopic("dlq").topics("orders").build();
        assertThat(c.sessionTimeout().toMillis()).isEqualTo(0xFFFF_FFFFL);
        assertThat(c.deadLetterTopic()).isEqualTo("dlq");
    }
}
