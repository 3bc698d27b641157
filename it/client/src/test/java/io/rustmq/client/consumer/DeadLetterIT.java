package io.rustmq.client.consumer;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.Message;
import io.rustmq.client.ProtocolException;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.compression.Compression;
import io.rustmq.client.metrics.ConsumerMetrics;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.TopicPartition;
import io.rustmq.client.protocol.WireHeader;
import io.rustmq.client.protocol.WireRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.rustmq.client.consumer.ConsumerItSupport.WAIT;
import static io.rustmq.client.consumer.ConsumerItSupport.fast;
import static io.rustmq.client.consumer.ConsumerItSupport.fetchAll;
import static io.rustmq.client.consumer.ConsumerItSupport.produceRaw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Negative acknowledgments, redelivery, the dead-letter topic, and compressed values end to end. */
class DeadLetterIT {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true).build();

    private static final byte[] LONG_TEXT = "a value long enough to be worth compressing; ".repeat(100)
            .getBytes(StandardCharsets.UTF_8);

    private static RustMQClient client;

    @BeforeAll
    static void connect() {
        client = ConsumerItSupport.client(BROKER, "dead-letter");
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    private static Map<String, String> headers(WireRecord r) {
        return r.headers().stream().collect(Collectors.toMap(WireHeader::key,
                h -> new String(h.value(), StandardCharsets.UTF_8), (a, b) -> b));
    }

    private static long storedIn(String topic) {
        return BROKER.broker().logEndOffset(topic, 0);
    }

    @Test
    void aMessageNackedThreeTimesIsDeadLetteredOnceWithItsOriginAndReasonAndThenAcknowledged() throws Exception {
        String topic = "payments";
        String dlt = "payments-dlq";
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Producer producer = client.createProducer(topic)) {
            producer.send(Message.builder().partition(0).key("k-poison").payload("poison")
                    .header("trace", "t-1").build());
            producer.send(Message.builder().partition(0).payload("fine").build());
        }
        ConsumerConfig config = fast().enableAutoCommit(false).maxRedeliveries(2)
                .redeliveryBackoff(Duration.ofMillis(200)).deadLetterTopic(dlt).build();
        List<Integer> deliveries = new ArrayList<>();
        List<Long> deliveredAt = new ArrayList<>();
        try (Consumer c = client.createConsumer(topic, "payments-group", config)) {
            while (deliveries.size() < 3) {
                ConsumerMessage m = c.receive(WAIT);
                assertThat(m).isNotNull();
                if (m.payloadAsString().equals("fine")) {
                    m.ack();
                    // offset 1 is acknowledged but offset 0 is not: the commit stays at the gap
                    c.commit();
                    assertThat(c.committed(tp)).hasValue(0);
                    continue;
                }
                assertThat(m.offset()).isZero();
                deliveries.add(m.deliveryCount());
                deliveredAt.add(System.nanoTime());
                m.nack(new IllegalStateException("cannot parse poison"));
            }
            assertThat(deliveries).containsExactly(1, 2, 3);
            for (int i = 1; i < deliveredAt.size(); i++) {
                assertThat(Duration.ofNanos(deliveredAt.get(i) - deliveredAt.get(i - 1)))
                        .as("redelivery backoff").isGreaterThanOrEqualTo(Duration.ofMillis(150));
            }
            await().atMost(WAIT).until(() -> c.metrics().messagesDeadLettered() == 1);
            assertThat(c.receive(Duration.ofMillis(500))).as("no fourth delivery").isNull();
            c.commit();
            assertThat(c.committed(tp)).as("dead-lettered, so acknowledged: the gap closed").hasValue(2);
            ConsumerMetrics metrics = c.metrics();
            assertThat(metrics.messagesNacked()).isEqualTo(3);
            assertThat(metrics.messagesProcessed()).isEqualTo(1);
            assertThat(metrics.messagesReceived()).isEqualTo(4);
        }
        List<WireRecord> dead = fetchAll(BROKER, dlt, 0);
        assertThat(dead).hasSize(1);
        assertThat(storedIn(dlt)).as("the dead-letter topic holds it once").isEqualTo(1);
        WireRecord r = dead.get(0);
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("k-poison");
        assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("poison");
        Map<String, String> h = headers(r);
        assertThat(h).containsEntry("trace", "t-1")
                .containsEntry(DeadLetterHeaders.TOPIC, topic)
                .containsEntry(DeadLetterHeaders.PARTITION, "0")
                .containsEntry(DeadLetterHeaders.OFFSET, "0")
                .containsEntry(DeadLetterHeaders.DELIVERY_COUNT, "3")
                .containsEntry(DeadLetterHeaders.GROUP, "payments-group");
        assertThat(h.get(DeadLetterHeaders.REASON))
                .isEqualTo("java.lang.IllegalStateException: cannot parse poison");
    }

    @Test
    void withoutADeadLetterTopicANackedMessageKeepsBeingRedelivered() {
        String topic = "retry-forever";
        try (Producer producer = client.createProducer(topic)) {
            producer.send(Message.builder().partition(0).payload("again").build());
        }
        try (Consumer c = client.createConsumer(topic, "retry-group", fast().maxRedeliveries(1)
                .redeliveryBackoff(Duration.ZERO).build())) {
            for (int delivery = 1; delivery <= 5; delivery++) {
                ConsumerMessage m = c.receive(WAIT);
                assertThat(m).isNotNull();
                assertThat(m.deliveryCount()).isEqualTo(delivery);
                if (delivery < 5) {
                    m.nack(null);
                } else {
                    m.ack();
                }
            }
            assertThat(c.receive(Duration.ofMillis(300))).isNull();
        }
    }

    @Test
    void compressedValuesArriveDecompressedWithoutTheCompressionHeader() throws Exception {
        String topic = "compressed";
        List<WireRecord> records = new ArrayList<>();
        for (Compression codec : List.of(Compression.LZ4, Compression.ZSTD, Compression.GZIP)) {
            records.add(new WireRecord(null, codec.compress(LONG_TEXT, codec.defaultLevel()),
                    List.of(WireHeader.of("codec", codec.headerValue()),
                            WireHeader.of(Compression.HEADER, codec.headerValue())), 0));
        }
        records.add(new WireRecord(null, "plain".getBytes(StandardCharsets.UTF_8), List.of(), 0));
        produceRaw(BROKER, topic, 0, records);
        try (Consumer c = client.createConsumer(topic, "compressed-group", fast().build())) {
            for (String codec : List.of("lz4", "zstd", "gzip")) {
                ConsumerMessage m = c.receive(WAIT);
                assertThat(m.payload()).isEqualTo(LONG_TEXT);
                assertThat(m.headers().lastString(Compression.HEADER)).isNull();
                assertThat(m.headers().lastString("codec")).isEqualTo(codec);
                m.ack();
            }
            assertThat(c.receive(WAIT).payloadAsString()).isEqualTo("plain");
        }
    }

    private static List<WireRecord> withCorruptSecond() {
        byte[] good = Compression.LZ4.compress(LONG_TEXT, 1);
        byte[] corrupt = Compression.ZSTD.compress(LONG_TEXT, 3);
        corrupt = Arrays.copyOf(corrupt, corrupt.length);
        corrupt[corrupt.length / 2] ^= 0x5A;
        return List.of(
                new WireRecord(null, "before".getBytes(StandardCharsets.UTF_8), List.of(), 0),
                new WireRecord(null, good, List.of(WireHeader.of(Compression.HEADER, "lz4")), 0),
                new WireRecord("bad".getBytes(StandardCharsets.UTF_8), corrupt,
                        List.of(WireHeader.of(Compression.HEADER, "zstd")), 0),
                new WireRecord(null, "after".getBytes(StandardCharsets.UTF_8), List.of(), 0));
    }

    @Test
    void aCorruptCompressedValueGoesToTheDeadLetterTopicAsStoredAndIsNeverDelivered() throws Exception {
        String topic = "corrupt-dlq";
        String dlt = "corrupt-dlq-dead";
        List<WireRecord> records = withCorruptSecond();
        produceRaw(BROKER, topic, 0, records);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Consumer c = client.createConsumer(topic, "corrupt-dlq-group",
                fast().enableAutoCommit(false).deadLetterTopic(dlt).build())) {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ConsumerMessage m = c.receive(WAIT);
                seen.add(m.offset() + ":" + (m.payload().length == LONG_TEXT.length ? "long" : m.payloadAsString()));
                m.ack();
            }
            assertThat(seen).containsExactly("0:before", "1:long", "3:after");
            await().atMost(WAIT).until(() -> c.metrics().messagesDeadLettered() == 1);
            c.commit();
            assertThat(c.committed(tp)).hasValue(4);
        }
        List<WireRecord> dead = fetchAll(BROKER, dlt, 0);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).value()).isEqualTo(records.get(2).value());
        Map<String, String> h = headers(dead.get(0));
        assertThat(h).containsEntry(Compression.HEADER, "zstd").containsEntry(DeadLetterHeaders.OFFSET, "2")
                .containsEntry(DeadLetterHeaders.DELIVERY_COUNT, "0");
        assertThat(h.get(DeadLetterHeaders.REASON)).contains("ProtocolException", "corrupt-dlq-0@2");
    }

    @Test
    void withoutADeadLetterTopicACorruptValueIsReportedOnceAndSkipped() throws Exception {
        String topic = "corrupt-skip";
        produceRaw(BROKER, topic, 0, withCorruptSecond());
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Consumer c = client.createConsumer(topic, "corrupt-skip-group", fast().enableAutoCommit(false)
                .build())) {
            c.receive(WAIT).ack();
            c.receive(WAIT).ack();
            assertThatThrownBy(() -> c.receive(WAIT)).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("corrupt-skip-0@2").hasMessageContaining("rustmq-compression: zstd");
            ConsumerMessage after = c.receive(WAIT);
            assertThat(after.payloadAsString()).isEqualTo("after");
            after.ack();
            c.commit();
            assertThat(c.committed(tp)).hasValue(4);
            assertThat(c.metrics().messagesNacked()).isEqualTo(1);
        }
    }
}
