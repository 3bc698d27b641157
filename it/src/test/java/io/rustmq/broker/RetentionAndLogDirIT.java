package io.rustmq.broker;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.Producer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The client against a broker with retention, and against a broker restarted on its log directory. */
class RetentionAndLogDirIT {
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    static RustMQClient client(EmbeddedBroker broker) {
        return RustMQClient.create(ClientConfig.builder().brokers(broker.bootstrap()).clientId("retention-it")
                .tls(TlsConfig.builder().caCert(broker.certificatePem()).serverName("localhost").build()).build());
    }

    static ConsumerConfig.Builder consumerConfig() {
        return ConsumerConfig.builder().startPosition(StartPosition.earliest()).sessionTimeout(Duration.ofSeconds(3))
                .heartbeatInterval(Duration.ofMillis(300)).pollInterval(Duration.ofMillis(20));
    }

    static void produce(RustMQClient client, String topic, int from, int to, int valueBytes) {
        try (Producer producer = client.createProducer(topic)) {
            for (int i = from; i < to; i++) {
                String v = "m" + i + "-";
                producer.sendAsync(Message.builder().partition(0).payload(v + "x".repeat(valueBytes - v.length()))
                        .build());
            }
            producer.flush();
        }
    }

    @Test
    void aConsumerAtEarliestBeginsAtTheLogStartRetentionLeft() {
        long limit = 64 * 1024;
        try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).topic("bounded", 1).retentionBytes(limit)
                .build().start();
             RustMQClient client = client(broker)) {
            produce(client, "bounded", 0, 600, 300); // about 3 x the limit
            long start = broker.logStartOffset("bounded", 0);
            assertThat(start).isPositive();
            assertThat(broker.retainedBytes()).isLessThanOrEqualTo(limit);
            try (Consumer c = client.createConsumer("bounded", "bounded-group", consumerConfig().build())) {
                ConsumerMessage m = c.receive(WAIT);
                assertThat(m).isNotNull();
                assertThat(m.offset()).isEqualTo(start);
                assertThat(m.payloadAsString()).startsWith("m" + start + "-");
            }
        }
    }

    @Test
    void aConsumerGroupResumesFromItsCommittedOffsetsAfterTheBrokerRestartsOnItsLogDirectory() {
        int port;
        try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).topic("kept", 1).logDir(dir).build().start();
             RustMQClient client = client(broker)) {
            port = broker.address().getPort();
            produce(client, "kept", 0, 20, 50);
            try (Consumer c = client.createConsumer("kept", "kept-group",
                    consumerConfig().enableAutoCommit(false).build())) {
                for (int i = 0; i < 8; i++) {
                    ConsumerMessage m = c.receive(WAIT);
                    assertThat(m.offset()).isEqualTo(i);
                    m.ack();
                }
                c.commit();
            }
        }
        AtomicReference<EmbeddedBroker> restarted = new AtomicReference<>();
        await().atMost(WAIT).ignoreExceptionsInstanceOf(EmbeddedBrokerException.class).until(() -> {
            restarted.set(EmbeddedBroker.builder().port(port).logDir(dir).build().start());
            return true;
        });
        try (EmbeddedBroker broker = restarted.get(); RustMQClient client = client(broker)) {
            List<String> rest = new ArrayList<>();
            try (Consumer c = client.createConsumer("kept", "kept-group", consumerConfig().build())) {
                for (int i = 8; i < 20; i++) {
                    ConsumerMessage m = c.receive(WAIT);
                    assertThat(m).isNotNull();
                    assertThat(m.offset()).isEqualTo(i);
                    rest.add(m.payloadAsString());
                    m.ack();
                }
            }
            assertThat(rest).hasSize(12).allMatch(p -> p.length() == 50);
            assertThat(rest.get(0)).startsWith("m8-");
            assertThat(rest.get(11)).startsWith("m19-");
        }
    }
}
