package io.rustmq.messaging.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.Message;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.DeadLetterHeaders;
import io.rustmq.messaging.IncomingRustMQMetadata;
import io.rustmq.messaging.Order;
import io.rustmq.messaging.TestApp;
import io.smallrye.reactive.messaging.health.HealthReport;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

class FailureStrategyTest {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true).build();

    /** Throws on payloads starting with "bad". */
    @ApplicationScoped
    public static class Picky {
        final List<String> processed = new CopyOnWriteArrayList<>();

        @Incoming("in")
        public void consume(String payload) {
            if (payload.startsWith("bad")) {
                throw new IllegalStateException("refusing " + payload);
            }
            processed.add(payload);
        }

        List<String> processed() {
            return processed;
        }
    }

    /** Takes orders; a negative amount is refused. */
    @ApplicationScoped
    public static class OrderTaker {
        final List<Order> processed = new CopyOnWriteArrayList<>();

        @Incoming("in")
        public void consume(Order order) {
            if (order.amount() < 0) {
                throw new IllegalArgumentException("negative amount in " + order);
            }
            processed.add(order);
        }

        List<Order> processed() {
            return processed;
        }
    }

    /** Fails the first two deliveries of "flaky" records, recording each delivery count. */
    @ApplicationScoped
    public static class Flaky {
        final List<Integer> deliveries = new CopyOnWriteArrayList<>();
        final List<String> processed = new CopyOnWriteArrayList<>();

        @Incoming("in")
        public java.util.concurrent.CompletionStage<Void> consume(
                org.eclipse.microprofile.reactive.messaging.Message<String> m) {
            int delivery = m.getMetadata(IncomingRustMQMetadata.class).orElseThrow().getDeliveryCount();
            if (m.getPayload().startsWith("flaky")) {
                deliveries.add(delivery);
                if (delivery < 3) {
                    return m.nack(new IllegalStateException("attempt " + delivery + " failed"));
                }
            }
            processed.add(m.getPayload());
            return m.ack();
        }

        List<Integer> deliveries() {
            return deliveries;
        }

        List<String> processed() {
            return processed;
        }
    }

    private static TestApp.Props config(String topic, String strategy) {
        return TestApp.props(TestApp.connectorConfig(BROKER))
                .incoming("in", "topic", topic)
                .incoming("in", "start-position", "earliest")
                .incoming("in", "consumer-group", topic + "-group")
                .incoming("in", "auto-commit-interval", "200ms")
                .incoming("in", "failure-strategy", strategy);
    }

    @Test
    void failStopsTheChannelAndLivenessReportsTheCause() {
        try (TestApp app = TestApp.start(config("fail-topic", "fail").build(), Picky.class)) {
            Broker.produceStrings("fail-topic", List.of("ok-0", "bad-1", "ok-2"));
            await().atMost(Duration.ofSeconds(30)).until(() -> !app.health().getLiveness().isOk());
            HealthReport liveness = app.health().getLiveness();
            assertThat(liveness.getChannels()).anySatisfy(c -> {
                assertThat(c.getChannel()).isEqualTo("in");
                assertThat(c.isOk()).isFalse();
                assertThat(c.getMessage()).contains("fail-topic-0@1").contains("refusing bad-1");
            });
            assertThat(app.bean(Picky.class).processed()).containsExactly("ok-0");
            assertThat(app.connector().getIncomingMetrics("in").orElseThrow().acked()).isEqualTo(1);
        }
    }

    @Test
    void ignoreCommitsTheFailedRecordAndConsumptionGoesOn() {
        try (TestApp app = TestApp.start(config("ignore-topic", "ignore").build(), Picky.class)) {
            Broker.produceStrings("ignore-topic", List.of("ok-0", "bad-1", "ok-2", "bad-3", "ok-4"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(app.bean(Picky.class).processed()).containsExactly("ok-0", "ok-2", "ok-4"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(Broker.committed("ignore-topic-group").values()).containsExactly(5L));
            assertThat(app.health().getLiveness().isOk()).isTrue();
        }
    }

    @Test
    void deadLetterQueueReceivesFailedAndUnconvertibleRecordsWithHeaders() {
        Map<String, String> config = config("dlq-topic", "dead-letter-queue")
                .incoming("in", "dead-letter-queue.topic", "dlq-topic-dead").build();
        try (TestApp app = TestApp.start(config, OrderTaker.class)) {
            Broker.produce("dlq-topic", List.of(
                    Message.builder().topic("dlq-topic").key("a").payloadJson(new Order("a", 0, 10)).build(),
                    Message.builder().topic("dlq-topic").key("b").payloadJson(new Order("b", 0, -5))
                            .header("trace", "t-1").build(),
                    Message.builder().topic("dlq-topic").key("c").payload("this is not JSON").build(),
                    Message.builder().topic("dlq-topic").key("d").payloadJson(new Order("d", 0, 7)).build()));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(app.bean(OrderTaker.class)
                    .processed()).containsExactly(new Order("a", 0, 10), new Order("d", 0, 7)));
            List<ConsumerMessage> dead = Broker.read("dlq-topic-dead", 2);
            assertThat(dead).hasSize(2);
            ConsumerMessage refused = dead.get(0);
            assertThat(refused.keyAsString()).isEqualTo("b");
            assertThat(refused.headers().lastString("trace")).isEqualTo("t-1");
            assertThat(refused.headers().lastString(DeadLetterHeaders.REASON))
                    .contains(IllegalArgumentException.class.getName()).contains("negative amount");
            assertThat(refused.headers().lastString(DeadLetterHeaders.TOPIC)).isEqualTo("dlq-topic");
            assertThat(refused.headers().lastString(DeadLetterHeaders.PARTITION)).isEqualTo("0");
            assertThat(refused.headers().lastString(DeadLetterHeaders.OFFSET)).isEqualTo("1");
            assertThat(refused.headers().lastString(DeadLetterHeaders.GROUP)).isEqualTo("dlq-topic-group");
            ConsumerMessage garbage = dead.get(1);
            assertThat(garbage.payloadAsString()).isEqualTo("this is not JSON");
            assertThat(garbage.headers().lastString(DeadLetterHeaders.OFFSET)).isEqualTo("2");
            assertThat(garbage.headers().lastString(DeadLetterHeaders.REASON))
                    .contains("channel 'in'").contains(Order.class.getName());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(Broker.committed("dlq-topic-group").values()).containsExactly(4L));
            assertThat(app.health().getLiveness().isOk()).isTrue();
        }
    }

    @Test
    void delayedRetryRedeliversUntilProcessingSucceeds() {
        Map<String, String> config = config("retry-topic", "delayed-retry")
                .incoming("in", "retry.max-attempts", 3)
                .incoming("in", "retry.backoff", "100ms").build();
        try (TestApp app = TestApp.start(config, Flaky.class)) {
            Broker.produceStrings("retry-topic", List.of("ok-0", "flaky-1", "ok-2"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(app.bean(Flaky.class)
                    .processed()).containsExactlyInAnyOrder("ok-0", "flaky-1", "ok-2"));
            assertThat(app.bean(Flaky.class).deliveries()).containsExactly(1, 2, 3);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(Broker.committed("retry-topic-group").values()).containsExactly(3L));
        }
    }

    /** Shorthands bound to this class's broker. */
    private static final class Broker {
        static void produceStrings(String topic, List<String> payloads) {
            produce(topic, payloads.stream().map(p -> Message.builder().topic(topic).payload(p).build()).toList());
        }

        static void produce(String topic, List<Message> messages) {
            io.rustmq.messaging.Records.produce(BROKER, topic, messages);
        }

        static List<ConsumerMessage> read(String topic, int count) {
            return io.rustmq.messaging.Records.read(BROKER, topic, count);
        }

        static Map<io.rustmq.client.protocol.TopicPartition, Long> committed(String group) {
            return io.rustmq.messaging.Records.committed(BROKER, group);
        }
    }
}
