package io.rustmq.client.internal.producer;

import io.rustmq.client.Message;
import io.rustmq.client.MessageTooLargeException;
import io.rustmq.client.compression.Compression;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.producer.ProducerConfig;
import io.rustmq.client.protocol.AcknowledgmentLevel;
import io.rustmq.client.protocol.WireHeader;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The producer's record encoder: headers as sent, compression when it pays, and the size checks. */
class RecordEncoderTest {
    private static final AcknowledgmentLevel ACKS = AckLevels.toWire(ProducerConfig.defaults().ackLevel());

    private static String[] keys(WireHeader[] headers) {
        return Arrays.stream(headers).map(WireHeader::key).toArray(String[]::new);
    }

    @Test
    void defaultHeadersComeFirstAndTheMessagesIdempotenceHeadersAreDropped() {
        ProducerConfig config = ProducerConfig.builder().defaultHeader("app", "orders").build();
        try (RecordEncoder encoder = new RecordEncoder(config, 1 << 20, ACKS, 0)) {
            Message m = Message.builder().key("k").payload("v").header("trace", "t1")
                    .header(Producer.PRODUCER_ID_HEADER, "forged").header(Producer.SEQUENCE_HEADER, "7").build();
            RecordEncoder.Encoded r = encoder.encode(m, "t");
            assertThat(keys(r.headers())).containsExactly("app", "trace");
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("k");
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("v");
            // 1 + key (8 + 1) + 3 longs + two headers (16 + key + value each) + value
            assertThat(r.size()).isEqualTo(1 + 9 + 24 + (16 + 3 + 6) + (16 + 5 + 2) + 1);
        }
    }

    @Test
    void compressesALargeValueAndMarksItWithTheCompressionHeader() {
        ProducerConfig config = ProducerConfig.builder().compression(Compression.GZIP).compressionMinSize(64).build();
        byte[] value = "abcdefgh".repeat(200).getBytes(StandardCharsets.UTF_8);
        try (RecordEncoder encoder = new RecordEncoder(config, 1 << 20, ACKS, 0)) {
            RecordEncoder.Encoded r = encoder.encode(Message.builder().payload(value).build(), "t");
            assertThat(r.value().length).isLessThan(value.length);
            assertThat(keys(r.headers())).containsExactly(Compression.HEADER);
            assertThat(Compression.GZIP.decompress(r.value(), 1 << 20)).isEqualTo(value);

            RecordEncoder.Encoded small = encoder.encode(Message.builder().payload("tiny").build(), "t");
            assertThat(small.headers()).isEmpty();
            assertThat(new String(small.value(), StandardCharsets.UTF_8)).isEqualTo("tiny");
        }
    }

    @Test
    void leavesAnAlreadyCompressedValueAsItIs() {
        ProducerConfig config = ProducerConfig.builder().compression(Compression.GZIP).compressionMinSize(1).build();
        byte[] value = "zzzzzzzz".repeat(100).getBytes(StandardCharsets.UTF_8);
        try (RecordEncoder encoder = new RecordEncoder(config, 1 << 20, ACKS, 0)) {
            Message m = Message.builder().payload(value).header(Compression.HEADER, "gzip").build();
            RecordEncoder.Encoded r = encoder.encode(m, "t");
            assertThat(r.value()).isEqualTo(value);
            assertThat(keys(r.headers())).containsExactly(Compression.HEADER);
        }
    }

    @Test
    void refusesAMessageLargerThanMaxMessageSizeNamingTheLimit() {
        ProducerConfig config = ProducerConfig.builder().maxMessageSize(100).build();
        try (RecordEncoder encoder = new RecordEncoder(config, 1 << 20, ACKS, 0)) {
            assertThatThrownBy(() -> encoder.encode(Message.builder().payload(new byte[200]).build(), "t"))
                    .isInstanceOf(MessageTooLargeException.class).hasMessageContaining("maxMessageSize");
        }
    }

    @Test
    void countsTheBatchHeadersAgainstTheRequestLimit() {
        ProducerConfig config = ProducerConfig.defaults();
        Message m = Message.builder().payload(new byte[900]).build();
        try (RecordEncoder plain = new RecordEncoder(config, 1100, ACKS, 0);
             RecordEncoder sequenced = new RecordEncoder(config, 1100, ACKS, 200)) {
            assertThat(plain.encode(m, "t").size()).isGreaterThan(900);
            assertThatThrownBy(() -> sequenced.encode(m, "t")).isInstanceOf(MessageTooLargeException.class);
        }
    }
}
