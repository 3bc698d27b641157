package io.rustmq.client;

import io.rustmq.broker.group.GroupCoordinator;
import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.producer.ProducerConfig;
import io.rustmq.client.stream.MessageStream;
import io.rustmq.client.stream.StreamConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Issue 10 item 3: {@link RustMQClient#close()} shuts streams, consumers, producers and the pool down in order. */
class ClientCloseIT {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true)
            .topic("close-group", 2).build();

    private static ClientConfig.Builder config(String clientId) {
        return ClientConfig.builder().brokers(BROKER.bootstrap()).clientId(clientId)
                .tls(TlsConfig.builder().caCert(BROKER.certificatePem()).serverName("localhost").build());
    }

    @Test
    void aMessageSentJustBeforeCloseIsStored() throws Exception {
        RustMQClient client = RustMQClient.create(config("close-stored").build());
        Producer producer = client.createProducer("close-stored",
                ProducerConfig.builder().lingerTime(Duration.ofSeconds(30)).build());
        List<CompletableFuture<SendResult>> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(producer.sendAsync(Message.builder().payload("last words " + i).build()));
        }
        client.close();
        assertThat(sent).allSatisfy(f -> assertThat(f).isCompleted().isNotCompletedExceptionally());
        try (TopicReader reader = new TopicReader(config("close-stored-reader").build())) {
            assertThat(reader.readAll("close-stored", 0)).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactly("last words 0", "last words 1", "last words 2", "last words 3", "last words 4",
                            "last words 5", "last words 6", "last words 7", "last words 8", "last words 9");
        }
        assertThatThrownBy(() -> producer.send(Message.builder().payload("after close").build()))
                .isInstanceOf(RustMQException.class);
    }

    @Test
    void sendsThatCannotBeDeliveredWithinTheCloseTimeoutFailInsteadOfHanging() {
        // nothing listens on this port: the messages can never be delivered
        RustMQClient client = RustMQClient.create(ClientConfig.builder().brokers("127.0.0.1:9").clientId("close-dead")
                .tls(TlsConfig.builder().caCert(BROKER.certificatePem()).serverName("localhost").build())
                .connectTimeout(Duration.ofMillis(500)).closeTimeout(Duration.ofMillis(200)).build());
        Producer producer = client.createProducer("close-dead");
        List<CompletableFuture<SendResult>> pending = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pending.add(producer.sendAsync(Message.builder().payload("undeliverable " + i).build()));
        }
        client.close();
        assertThat(pending).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
    }

    @Test
    void aConsumerClosedByItsClientCommitsWhatWasAckedAndLeavesItsGroupAtOnce() throws Exception {
        String group = "close-leavers";
        ConsumerConfig slowSession = ConsumerConfig.builder().startPosition(StartPosition.earliest())
                .sessionTimeout(Duration.ofSeconds(60)).heartbeatInterval(Duration.ofMillis(300))
                .autoCommitInterval(Duration.ofMinutes(10)).build();
        try (RustMQClient producing = RustMQClient.create(config("close-producer").build());
             Producer producer = producing.createProducer("close-group")) {
            for (int i = 0; i < 10; i++) {
                producer.sendAsync(Message.builder().partition(i % 2).payload("m" + i).build());
            }
            producer.flush();
        }
        RustMQClient leaving = RustMQClient.create(config("close-leaving").build());
        try (RustMQClient staying = RustMQClient.create(config("close-staying").build())) {
            Consumer a = leaving.createConsumer("close-group", group, slowSession);
            Consumer b = staying.createConsumer("close-group", group, slowSession);
            GroupCoordinator coordinator = BROKER.broker().groupCoordinator();
            await().atMost(Duration.ofSeconds(30)).until(() -> a.assignment().size() == 1
                    && b.assignment().size() == 1 && coordinator.describe(group).members().size() == 2);

            Map<Object, Long> acked = new HashMap<>();
            while (acked.values().stream().mapToLong(Long::longValue).sum() < 5) {
                ConsumerMessage m = a.receive(Duration.ofSeconds(30));
                assertThat(m).as("a message for the leaving member").isNotNull();
                m.ack();
                acked.merge(m.partition(), 1L, Long::sum);
            }
            int partition = (Integer) acked.keySet().iterator().next();

            leaving.close();

            GroupCoordinator.GroupSnapshot after = coordinator.describe(group);
            assertThat(after.members()).as("members right after the client closed").hasSize(1);
            assertThat(after.committedOffsets()).anySatisfy((tp, offset) -> {
                assertThat(tp.partition()).isEqualTo(partition);
                assertThat(offset).isEqualTo(5L);
            });
            // the session timeout is 60 s: taking over both partitions well before it proves the member left
            await().atMost(Duration.ofSeconds(30)).until(() -> b.assignment().size() == 2);
        } finally {
            leaving.close();
        }
    }

    @Test
    void closeAsyncStopsStreamsAndCompletesOnceAndClosingTwiceIsHarmless() throws Exception {
        RustMQClient client = RustMQClient.create(config("close-async").build());
        try (Producer producer = client.createProducer("close-async-in")) {
            for (int i = 0; i < 50; i++) {
                producer.sendAsync(Message.builder().key("k" + i % 5).payload("in " + i).build());
            }
            producer.flush();
        }
        ConsumerConfig fast = ConsumerConfig.builder().startPosition(StartPosition.earliest())
                .sessionTimeout(Duration.ofSeconds(3)).heartbeatInterval(Duration.ofMillis(300)).build();
        MessageStream stream = client.createStream(StreamConfig.builder().inputTopics("close-async-in")
                .outputTopic("close-async-out").consumerGroup("close-async").consumerConfig(fast).build())
                .map(m -> Message.builder().key(m.key()).payload(m.payloadAsString().toUpperCase()).build()).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> stream.metrics().processed() >= 50);

        CompletableFuture<Void> closing = client.closeAsync();
        assertThat(client.closeAsync()).isSameAs(closing);
        closing.get(60, TimeUnit.SECONDS);
        client.close();
        assertThat(stream.awaitTermination(Duration.ZERO)).as("the stream stopped with its client").isTrue();
        assertThat(stream.failure()).isNull();
        assertThat(BROKER.broker().groupCoordinator().describe("close-async").members()).isEmpty();
        try (TopicReader reader = new TopicReader(config("close-async-reader").build())) {
            assertThat(reader.readAll("close-async-out", 0)).hasSize(50);
        }
        assertThatThrownBy(() -> client.createProducer("close-async-in")).isInstanceOf(RustMQException.class);
    }
}
