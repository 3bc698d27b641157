package io.rustmq.client.metrics.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.stream.MessageStream;
import io.rustmq.client.stream.StreamConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16, meters: after a produce/consume/stream run against the embedded broker a {@link SimpleMeterRegistry}
 * holds every {@code rustmq.*} meter with the right tags and values, and the meters of closed objects are removed.
 */
class RustMQClientMetricsIT {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().topic("meters", 2)
            .topic("meters-out", 1).topic("meters-bg", 1).topic("meters-rebalance", 2).autoCreateTopics(true).build();

    private static ClientConfig config(String clientId) {
        return ClientConfig.builder().brokers(BROKER.bootstrap()).clientId(clientId)
                .tls(TlsConfig.builder().caCert(BROKER.certificatePem()).serverName("localhost").build()).build();
    }

    private static ConsumerConfig earliest() {
        return ConsumerConfig.builder().startPosition(StartPosition.earliest())
                .sessionTimeout(Duration.ofSeconds(3)).heartbeatInterval(Duration.ofMillis(300)).build();
    }

    private static List<Meter> rustmq(MeterRegistry registry, String prefix) {
        return registry.getMeters().stream().filter(m -> m.getId().getName().startsWith(prefix)).toList();
    }

    private static double value(MeterRegistry registry, String name, String... tags) {
        Meter m = registry.find(name).tags(tags).meter();
        assertThat(m).as("meter %s %s in %s", name, List.of(tags), names(registry)).isNotNull();
        return m.measure().iterator().next().getValue();
    }

    private static String names(MeterRegistry registry) {
        return registry.getMeters().stream().map(m -> m.getId().getName() + m.getId().getTags())
                .sorted().collect(Collectors.joining("\n"));
    }

    @Test
    void registrySeesEveryMeterWithTagsAndValuesAfterARunAndNoneAfterClose() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RustMQClient client = RustMQClient.create(config("meters-it"))) {
            RustMQClientMetrics metrics = new RustMQClientMetrics(client, Tags.of("app", "test"), Duration.ZERO);
            metrics.bindTo(registry);
            Producer producer = client.createProducer("meters");
            for (int i = 0; i < 10; i++) {
                producer.send(Message.builder().key("k" + i).payload("value-" + i).partition(i % 2).build());
            }
            Consumer consumer = client.createConsumer("meters", "meters-group", earliest());
            for (int i = 0; i < 10; i++) {
                ConsumerMessage m = consumer.receive(Duration.ofSeconds(30));
                assertThat(m).as("message %d", i).isNotNull();
                m.ack();
            }
            MessageStream stream = client.createStream(StreamConfig.builder().inputTopics(List.of("meters"))
                    .outputTopic("meters-out").consumerGroup("meters-stream").consumerConfig(earliest()).build())
                    .map(m -> Message.builder().key(m.key()).payload(m.payload()).build()).start();
            await("the stream processed the 10 inputs").atMost(Duration.ofSeconds(60))
                    .until(() -> stream.metrics().processed() == 10);
            metrics.refresh();

            // client meters
            assertThat(value(registry, "rustmq.client.requests.sent", "client.id", "meters-it", "app", "test"))
                    .isGreaterThanOrEqualTo(10);
            assertThat(value(registry, "rustmq.client.bytes.sent", "client.id", "meters-it")).isPositive();
            assertThat(value(registry, "rustmq.client.bytes.received", "client.id", "meters-it")).isPositive();
            assertThat(value(registry, "rustmq.client.connections.active", "client.id", "meters-it"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(value(registry, "rustmq.client.brokers", "client.id", "meters-it")).isGreaterThanOrEqualTo(1);
            for (String n : List.of("connections.total", "responses.received", "request.errors", "health.checks",
                    "health.check.errors", "reconnect.attempts", "last.heartbeat.age")) {
                assertThat(registry.find("rustmq.client." + n).tags("client.id", "meters-it").meter())
                        .as("rustmq.client.%s", n).isNotNull();
            }

            // the producer's meters (the stream's producer to meters-out has its own)
            String[] producerTags = {"client.id", "meters-it", "topic", "meters"};
            assertThat(value(registry, "rustmq.producer.messages.sent", producerTags)).isEqualTo(10);
            assertThat(value(registry, "rustmq.producer.messages.failed", producerTags)).isZero();
            assertThat(value(registry, "rustmq.producer.batches.sent", producerTags)).isEqualTo(10);
            assertThat(value(registry, "rustmq.producer.bytes.sent", producerTags)).isPositive();
            assertThat(value(registry, "rustmq.producer.batch.size.avg", producerTags)).isEqualTo(1.0);
            assertThat(value(registry, "rustmq.producer.retries", producerTags)).isZero();
            assertThat(value(registry, "rustmq.producer.request.latency.p50", producerTags)).isPositive();
            assertThat(value(registry, "rustmq.producer.request.latency.p99", producerTags)).isPositive();
            assertThat(value(registry, "rustmq.producer.last.send.age", producerTags)).isNotNaN();
            assertThat(registry.find("rustmq.producer.messages.sent").tags("topic", "meters").meter().getId()
                    .getTag("producer.id")).isNotBlank();

            // the consumer's meters, lag per partition
            String[] consumerTags = {"client.id", "meters-it", "group", "meters-group", "topic", "meters"};
            assertThat(value(registry, "rustmq.consumer.messages.received", consumerTags)).isEqualTo(10);
            await("acknowledgments counted").atMost(Duration.ofSeconds(30))
                    .until(() -> value(registry, "rustmq.consumer.messages.processed", consumerTags) == 10);
            assertThat(value(registry, "rustmq.consumer.messages.nacked", consumerTags)).isZero();
            assertThat(value(registry, "rustmq.consumer.messages.dead.lettered", consumerTags)).isZero();
            assertThat(value(registry, "rustmq.consumer.position.resets", consumerTags)).isZero();
            assertThat(value(registry, "rustmq.consumer.dead.letter.failures", consumerTags)).isZero();
            assertThat(value(registry, "rustmq.consumer.last.receive.age", consumerTags)).isNotNaN();
            await("lag of both partitions is measured and zero").atMost(Duration.ofSeconds(30)).until(() -> {
                metrics.refresh();
                Meter p0 = registry.find("rustmq.consumer.lag").tags("group", "meters-group", "topic", "meters",
                        "partition", "0").meter();
                Meter p1 = registry.find("rustmq.consumer.lag").tags("group", "meters-group", "topic", "meters",
                        "partition", "1").meter();
                return p0 != null && p1 != null && p0.measure().iterator().next().getValue() == 0
                        && p1.measure().iterator().next().getValue() == 0
                        && value(registry, "rustmq.consumer.lag.total", consumerTags) == 0;
            });

            // the stream's meters
            String[] streamTags = {"client.id", "meters-it", "group", "meters-stream", "topic", "meters"};
            assertThat(value(registry, "rustmq.stream.processed", streamTags)).isEqualTo(10);
            assertThat(value(registry, "rustmq.stream.failed", streamTags)).isZero();
            assertThat(value(registry, "rustmq.stream.retried", streamTags)).isZero();
            assertThat(value(registry, "rustmq.stream.dead.lettered", streamTags)).isZero();
            assertThat(value(registry, "rustmq.stream.skipped", streamTags)).isZero();
            // StreamMetrics.inFlight counts the permit the idle dispatcher holds while it polls for the next input
            await("the stream's inputs are all acknowledged").atMost(Duration.ofSeconds(30))
                    .until(() -> value(registry, "rustmq.stream.in.flight", streamTags) <= 1);
            assertThat(value(registry, "rustmq.stream.processing.time.avg", streamTags)).isPositive();

            // closing the consumer removes its meters, lag gauges included; the others stay
            consumer.close();
            metrics.refresh();
            assertThat(registry.find("rustmq.consumer.messages.received").tags("group", "meters-group").meters())
                    .isEmpty();
            assertThat(registry.find("rustmq.consumer.lag").tags("group", "meters-group").meters()).isEmpty();
            assertThat(registry.find("rustmq.consumer.messages.received").tags("group", "meters-stream").meters())
                    .as("the stream's consumer is still open").hasSize(1);
            producer.close();
            stream.stop(Duration.ofSeconds(10));
            metrics.refresh();
            assertThat(rustmq(registry, "rustmq.producer")).isEmpty();
            assertThat(rustmq(registry, "rustmq.consumer")).isEmpty();
            assertThat(rustmq(registry, "rustmq.stream")).isEmpty();
            assertThat(rustmq(registry, "rustmq.client")).hasSize(12);

            metrics.close();
            assertThat(rustmq(registry, "rustmq.")).as("nothing left after the binder closes").isEmpty();
        }
    }

    private static Set<String> lagPartitions(MeterRegistry registry, Consumer consumer, String consumerId) {
        return registry.find("rustmq.consumer.lag").tags("group", consumer.group(), "consumer.id", consumerId)
                .meters().stream().map(m -> m.getId().getTag("partition")).collect(Collectors.toSet());
    }

    @Test
    void lagGaugesFollowTheAssignmentWhenASecondMemberTakesAPartition() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RustMQClient client = RustMQClient.create(config("meters-rebalance-it"));
             RustMQClientMetrics metrics = new RustMQClientMetrics(client, Tags.empty(), Duration.ZERO)) {
            metrics.bindTo(registry);
            Consumer first = client.createConsumer("meters-rebalance", "meters-rebalance-group", earliest());
            await("the only member has both partitions' lag gauges").atMost(Duration.ofSeconds(30)).until(() -> {
                metrics.refresh();
                return lagPartitions(registry, first, "1").equals(Set.of("0", "1"));
            });
            try (Consumer second = client.createConsumer("meters-rebalance", "meters-rebalance-group",
                    earliest())) {
                await("after the rebalance each member has one partition's gauge").atMost(Duration.ofSeconds(60))
                        .until(() -> {
                            metrics.refresh();
                            Set<String> a = lagPartitions(registry, first, "1");
                            Set<String> b = lagPartitions(registry, second, "2");
                            return a.size() == 1 && b.size() == 1 && !a.equals(b);
                        });
            }
            await("the remaining member gets both gauges back").atMost(Duration.ofSeconds(60)).until(() -> {
                metrics.refresh();
                return lagPartitions(registry, first, "1").equals(Set.of("0", "1"))
                        && registry.find("rustmq.consumer.lag").tags("consumer.id", "2").meters().isEmpty();
            });
            first.close();
        }
    }

    @Test
    void backgroundRefreshRemovesTheMetersOfAClosedConsumerAndOfAClosedClient() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RustMQClient client = RustMQClient.create(config("meters-bg-it"));
        try (RustMQClientMetrics metrics = new RustMQClientMetrics(client, Tags.empty(), Duration.ofMillis(100))) {
            metrics.bindTo(registry);
            Consumer consumer = client.createConsumer("meters-bg", "meters-bg-group", earliest());
            await("the consumer's lag gauge appears with the assignment").atMost(Duration.ofSeconds(30))
                    .until(() -> registry.find("rustmq.consumer.lag").tags("group", "meters-bg-group",
                            "topic", "meters-bg", "partition", "0").meter() != null);
            consumer.close();
            await("the closed consumer's meters are removed").atMost(Duration.ofSeconds(30))
                    .until(() -> rustmq(registry, "rustmq.consumer").isEmpty());
            assertThat(rustmq(registry, "rustmq.client")).isNotEmpty();
            client.close();
            await("the closed client's meters are removed").atMost(Duration.ofSeconds(30))
                    .until(() -> rustmq(registry, "rustmq.").isEmpty());
        } finally {
            client.close();
        }
    }
}
