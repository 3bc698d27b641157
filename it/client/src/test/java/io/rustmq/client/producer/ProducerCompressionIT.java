package io.rustmq.client.producer;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.Message;
import io.rustmq.client.ProtocolException;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.SendResult;
import io.rustmq.client.compression.Compression;
import io.rustmq.client.protocol.WireRecord;
import io.rustmq.client.internal.transport.ConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.rustmq.client.producer.ProducerItSupport.config;
import static io.rustmq.client.producer.ProducerItSupport.fetchAll;
import static io.rustmq.client.producer.ProducerItSupport.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Per-record compression on the producer side, checked on what the broker stores (DESIGN §4). */
class ProducerCompressionIT {
    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;

    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true).build();

    private static RustMQClient client;
    private static ConnectionPool reader;

    @BeforeAll
    static void connect() {
        client = RustMQClient.create(config(BROKER, "compression-it").build());
        reader = ConnectionPool.create(config(BROKER, "compression-reader").build());
    }

    @AfterAll
    static void disconnect() {
        reader.close();
        client.close();
    }

    /** Text-like bytes: compressible like real payloads, but not a single repeated byte. */
    private static byte[] textLike(int size, long seed) {
        String[] words = {"order", "user", "payment", "shipped", "id", "amount", "EUR", "status", "2024", "{", "}",
                ":", ",", "\"", "true", "false", "region", "eu-west"};
        Random random = new Random(seed);
        StringBuilder sb = new StringBuilder(size + 16);
        while (sb.length() < size) {
            sb.append(words[random.nextInt(words.length)]).append(random.nextInt(100)).append(' ');
        }
        return sb.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    private static ProducerConfig compressing(Compression codec) {
        // A 1 MiB value is more than the default maxMessageSize of 1 MiB once framed, as in Kafka.
        return ProducerConfig.builder().compression(codec).maxMessageSize(2 * MIB).build();
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD", "GZIP"})
    void valuesRoundTripAndOnlyThoseOfAtLeastMinSizeAreCompressedAndMarked(Compression codec) throws Exception {
        String topic = "compression-" + codec.headerValue();
        int[] sizes = {0, KIB - 1, KIB, MIB};
        List<byte[]> values = new ArrayList<>();
        try (Producer producer = client.createProducer(topic, compressing(codec))) {
            for (int i = 0; i < sizes.length; i++) {
                byte[] value = textLike(sizes[i], i);
                values.add(value);
                SendResult r = producer.send(Message.builder().partition(0).key("k" + i).payload(value).build());
                assertThat(r.offset()).isEqualTo(i);
            }
        }
        List<WireRecord> stored = fetchAll(reader, topic, 0);
        assertThat(stored).hasSize(sizes.length);
        for (int i = 0; i < sizes.length; i++) {
            WireRecord r = stored.get(i);
            byte[] original = values.get(i);
            if (sizes[i] < KIB) {
                assertThat(header(r, Compression.HEADER)).as("value of %d bytes", sizes[i]).isNull();
                assertThat(r.value()).isEqualTo(original);
            } else {
                assertThat(header(r, Compression.HEADER)).as("value of %d bytes", sizes[i]).isEqualTo(codec.headerValue());
                assertThat(r.value().length).isLessThan(original.length);
                Compression stamped = Compression.fromHeaderValue(header(r, Compression.HEADER));
                assertThat(stamped.decompress(r.value(), 2 * MIB)).isEqualTo(original);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD", "GZIP"})
    void aRepetitive64KiBValueIsStoredAtLeastTenTimesSmallerAndCorruptionIsReportedClearly(Compression codec)
            throws Exception {
        String topic = "ratio-" + codec.headerValue();
        byte[] value = "the same event, again and again; ".repeat(2 * KIB).substring(0, 64 * KIB)
                .getBytes(StandardCharsets.US_ASCII);
        try (Producer producer = client.createProducer(topic, compressing(codec))) {
            producer.send(Message.builder().partition(0).payload(value).build());
        }
        WireRecord stored = fetchAll(reader, topic, 0).get(0);
        assertThat(stored.value().length * 10).as("stored size of a 64 KiB value").isLessThanOrEqualTo(value.length);
        assertThat(codec.decompress(stored.value(), MIB)).isEqualTo(value);

        byte[] corrupt = stored.value().clone();
        corrupt[corrupt.length / 2] ^= 0x5A;
        corrupt[corrupt.length - 1] ^= 0x5A;
        assertThatThrownBy(() -> codec.decompress(corrupt, MIB)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("corrupt " + codec.headerValue());
    }

    @Test
    void incompressibleValuesAndAlreadyCompressedValuesAreStoredAsGiven() throws Exception {
        String topic = "compression-pass-through";
        byte[] random = new byte[8 * KIB];
        new Random(7).nextBytes(random);
        byte[] precompressed = Compression.GZIP.compress(textLike(4 * KIB, 3), 6);
        try (Producer producer = client.createProducer(topic, compressing(Compression.ZSTD))) {
            producer.send(Message.builder().partition(0).payload(random).build());
            producer.send(Message.builder().partition(0).payload(precompressed)
                    .header(Compression.HEADER, Compression.GZIP.headerValue()).build());
        }
        List<WireRecord> stored = fetchAll(reader, topic, 0);
        assertThat(stored.get(0).value()).as("compression would not shrink it").isEqualTo(random);
        assertThat(header(stored.get(0), Compression.HEADER)).isNull();
        assertThat(stored.get(1).value()).isEqualTo(precompressed);
        assertThat(stored.get(1).headers()).filteredOn(h -> h.key().equals(Compression.HEADER)).hasSize(1);
        assertThat(header(stored.get(1), Compression.HEADER)).isEqualTo("gzip");
    }

    @Test
    void withoutACodecNothingIsCompressedOrMarked() throws Exception {
        String topic = "compression-none";
        byte[] value = textLike(64 * KIB, 1);
        try (Producer producer = client.createProducer(topic)) {
            producer.send(Message.builder().partition(0).payload(value).build());
        }
        WireRecord stored = fetchAll(reader, topic, 0).get(0);
        assertThat(stored.value()).isEqualTo(value);
        assertThat(header(stored, Compression.HEADER)).isNull();
    }
}
