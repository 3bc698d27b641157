package io.rustmq.client;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.compression.Compression;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.producer.ProducerConfig;
import io.rustmq.client.protocol.FetchRequest;
import io.rustmq.client.protocol.FetchResponse;
import io.rustmq.client.protocol.Response;
import io.rustmq.client.protocol.WireRecord;
import io.rustmq.client.internal.transport.ConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The first end-to-end path: the client against the embedded broker over real QUIC and verified TLS on loopback. */
class RoundTripIT {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true).build();

    private static ClientConfig.Builder config() {
        return ClientConfig.builder().brokers(BROKER.bootstrap()).clientId("round-trip-it")
                .tls(TlsConfig.builder().caCert(BROKER.certificatePem()).serverName("localhost").build());
    }

    private static List<Message> variedMessages() {
        byte[] allBytes = new byte[256];
        for (int i = 0; i < 256; i++) {
            allBytes[i] = (byte) i;
        }
        return List.of(
                Message.builder().key("user-123").payload("plain").header("source", "auth").build(),
                Message.builder().payload("no key").build(),
                Message.builder().key(new byte[0]).payload(new byte[0]).build(),
                Message.builder().key(allBytes).payload(allBytes).header("bin", allBytes).build(),
                Message.builder().key("clé-日本").payload("événements ✓ 😀 日本語")
                        .header("trace-é😀", "ü").header("dup", "1").header("dup", "2").build());
    }

    @Test
    void producesAndFetchesKeysHeadersEmptyBinaryAndNonAsciiValuesWithDenseOffsets() throws Exception {
        List<Message> messages = variedMessages();
        try (RustMQClient client = RustMQClient.create(config().build());
             Producer producer = client.createProducer("round-trip")) {
            List<Message> toPartitionZero = new ArrayList<>();
            for (Message m : messages) {
                toPartitionZero.add(m.toBuilder().partition(0).build());
            }
            List<SendResult> results = producer.sendBatch(toPartitionZero);
            assertThat(results).extracting(SendResult::offset).containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThat(results).allSatisfy(r -> assertThat(r.partition()).isZero());

            try (ConnectionPool pool = ConnectionPool.create(config().build())) {
                FetchResponse fetched = (FetchResponse) pool.send(new FetchRequest("round-trip", 0, 0, 1 << 20, 0))
                        .get();
                assertThat(fetched.highWatermark()).isEqualTo(5);
                assertThat(fetched.records()).hasSize(5);
                for (int i = 0; i < messages.size(); i++) {
                    WireRecord r = fetched.records().get(i);
                    Message m = messages.get(i);
                    assertThat(r.key()).isEqualTo(m.key());
                    assertThat(r.value()).isEqualTo(m.payload());
                    // The producer's own idempotence headers (rustmq-producer-id, rustmq-sequence) come last.
                    assertThat(r.headers()).filteredOn(h -> !h.key().startsWith("rustmq-"))
                            .extracting(h -> h.key() + "=" + new String(h.value(), StandardCharsets.ISO_8859_1))
                            .containsExactlyElementsOf(m.headers().asList().stream()
                                    .map(h -> h.key() + "=" + new String(h.value(), StandardCharsets.ISO_8859_1)).toList());
                }
            }
        }
    }

    @Test
    void aConsumerInAGroupReadsWhatWasProducedAndANewMemberResumesAfterTheCommit() {
        try (RustMQClient client = RustMQClient.create(config().build())) {
            try (Producer producer = client.createProducer("resume")) {
                for (int i = 0; i < 20; i++) {
                    producer.sendAsync(Message.builder().key("k" + i).payload("m" + i).build());
                }
                producer.flush();
            }
            ConsumerConfig earliest = ConsumerConfig.builder().startPosition(StartPosition.earliest())
                    .enableAutoCommit(false).build();
            List<String> first = new ArrayList<>();
            try (Consumer consumer = client.createConsumer("resume", "resume-group", earliest)) {
                while (first.size() < 10) {
                    ConsumerMessage m = consumer.receive(Duration.ofSeconds(10));
                    assertThat(m).as("message %d", first.size()).isNotNull();
                    first.add(m.payloadAsString());
                    m.ack();
                }
                consumer.commit();
            }
            assertThat(first).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
            List<String> second = new ArrayList<>();
            try (Consumer consumer = client.createConsumer("resume", "resume-group", earliest)) {
                while (second.size() < 10) {
                    ConsumerMessage m = consumer.receive(Duration.ofSeconds(10));
                    assertThat(m).isNotNull();
                    second.add(m.payloadAsString());
                    m.ack();
                }
                assertThat(consumer.receive(Duration.ofMillis(300))).isNull();
            }
            assertThat(second).containsExactly("m10", "m11", "m12", "m13", "m14", "m15", "m16", "m17", "m18", "m19");
        }
    }

    @Test
    void thousandConcurrentRequestsOnOneConnectionAreEachMatchedToTheirResponse() throws Exception {
        try (RustMQClient client = RustMQClient.create(config().build());
             Producer producer = client.createProducer("concurrent",
                     ProducerConfig.builder().lingerTime(Duration.ZERO).build())) {
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                batch.add(Message.builder().partition(0).payload("record-" + i).build());
            }
            producer.sendBatch(batch);
        }
        try (ConnectionPool pool = ConnectionPool.create(config().build())) {
            List<CompletableFuture<Response>> futures = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                futures.add(pool.send(new FetchRequest("concurrent", 0, i, 0, 0)));
            }
            for (int i = 0; i < 1000; i++) {
                FetchResponse r = (FetchResponse) futures.get(i).get();
                assertThat(r.records()).hasSize(1);
                assertThat(new String(r.records().get(0).value(), StandardCharsets.UTF_8)).isEqualTo("record-" + i);
            }
            assertThat(pool.transportStats().connectionsOpened()).isEqualTo(1);
            assertThat(pool.transportStats().responsesReceived()).isGreaterThanOrEqualTo(1000);
        }
    }

    @Test
    void aMessageOverMaxRequestBytesIsRefusedBeforeSendingAndTheProducerStaysUsable() {
        ClientConfig small = config().maxRequestBytes(ClientConfig.SHIPPED_BROKER_MAX_REQUEST_BYTES).build();
        try (RustMQClient client = RustMQClient.create(small);
             Producer producer = client.createProducer("too-large")) {
            producer.send(Message.builder().payload("warm-up").build());
            long requestsBefore = client.stats().requestsSent();
            assertThatThrownBy(() -> producer.send(Message.builder().payload(new byte[10 * 1024]).build()))
                    .isInstanceOf(MessageTooLargeException.class)
                    .hasMessageContaining("maxRequestBytes = 8192");
            assertThat(client.stats().requestsSent()).isEqualTo(requestsBefore);
            SendResult after = producer.send(Message.builder().payload(new byte[8000]).build());
            assertThat(after.offset()).isEqualTo(1);
        }
    }

    @Test
    void anUncompressedProducerWhoseMaxMessageSizeCannotFitOneRequestIsRefusedAtCreation() {
        ClientConfig small = config().maxRequestBytes(ClientConfig.SHIPPED_BROKER_MAX_REQUEST_BYTES).build();
        try (RustMQClient client = RustMQClient.create(small)) {
            assertThatThrownBy(() -> client.createProducer("never-fits", ProducerConfig.builder()
                    .maxMessageSize(ClientConfig.SHIPPED_BROKER_MAX_REQUEST_BYTES + 1).build()))
                    .isInstanceOfSatisfying(ConfigurationException.class,
                            e -> assertThat(e.field()).isEqualTo("maxMessageSize"))
                    .hasMessageContaining("maxMessageSize = 8193")
                    .hasMessageContaining("maxRequestBytes = 8192");
            try (Producer compressed = client.createProducer("never-fits", ProducerConfig.builder()
                    .maxMessageSize(64 * 1024).compression(Compression.LZ4).build())) {
                assertThat(compressed.send(Message.builder().payload(new byte[32 * 1024]).build()).offset())
                        .as("a zero-filled 32 KiB value compresses into one 8 KiB request").isZero();
            }
        }
    }
}
