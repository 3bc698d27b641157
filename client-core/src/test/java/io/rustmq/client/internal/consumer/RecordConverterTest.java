package io.rustmq.client.internal.consumer;

import io.rustmq.client.Header;
import io.rustmq.client.Message;
import io.rustmq.client.ProtocolException;
import io.rustmq.client.compression.Compression;
import io.rustmq.client.protocol.WireHeader;
import io.rustmq.client.protocol.WireRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordConverterTest {
    private static final byte[] TEXT = "a compressible value, a compressible value, a compressible value"
            .repeat(40).getBytes(StandardCharsets.UTF_8);

    private static WireRecord record(byte[] value, WireHeader... headers) {
        return new WireRecord("k".getBytes(StandardCharsets.UTF_8), value, List.of(headers), 1234);
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD", "GZIP"})
    void aCompressedValueIsDecompressedAndItsHeaderRemovedKeepingTheOthersInOrder(Compression codec) {
        byte[] compressed = codec.compress(TEXT, codec.defaultLevel());
        assertThat(compressed.length).isLessThan(TEXT.length);
        WireRecord r = record(compressed, WireHeader.of("before", "1"),
                WireHeader.of(Compression.HEADER, codec.headerValue()), WireHeader.of("after", "2"));
        Message m = RecordConverter.toMessage("t", 3, 9, r, 1 << 20);
        assertThat(m.payload()).isEqualTo(TEXT);
        assertThat(m.headers().asList()).extracting(Header::key).containsExactly("before", "after");
        assertThat(m.keyAsString()).isEqualTo("k");
        assertThat(m.timestamp()).isEqualTo(1234);
        assertThat(m.topic()).isEqualTo("t");
        assertThat(m.partition()).hasValue(3);
    }

    @Test
    void anUncompressedValueIsPassedThroughUnchanged() {
        byte[] value = {1, 2, 3};
        Message m = RecordConverter.toMessage("t", 0, 0, record(value), 10);
        assertThat(m.payload()).isSameAs(value);
        assertThat(m.headers().isEmpty()).isTrue();
    }

    @Test
    void aCorruptCompressedValueFailsNamingTheRecord() {
        byte[] compressed = Compression.ZSTD.compress(TEXT, 3);
        byte[] corrupt = Arrays.copyOf(compressed, compressed.length);
        corrupt[corrupt.length / 2] ^= 0x55;
        WireRecord r = record(corrupt, WireHeader.of(Compression.HEADER, "zstd"));
        assertThatThrownBy(() -> RecordConverter.toMessage("orders", 2, 41, r, 1 << 20))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("orders-2@41").hasMessageContaining("rustmq-compression: zstd");
    }

    @Test
    void anUnknownCodecOrAValueOverTheLimitFails() {
        WireRecord unknown = record(TEXT, WireHeader.of(Compression.HEADER, "snappy"));
        assertThatThrownBy(() -> RecordConverter.toMessage("t", 0, 5, unknown, 1 << 20))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("t-0@5").hasMessageContaining("snappy");
        WireRecord big = record(Compression.LZ4.compress(TEXT, 1), WireHeader.of(Compression.HEADER, "lz4"));
        assertThatThrownBy(() -> RecordConverter.toMessage("t", 0, 6, big, 100))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("t-0@6");
    }

    @Test
    void theRawMessageKeepsTheStoredValueAndEveryHeader() {
        byte[] corrupt = {9, 9, 9};
        WireRecord r = record(corrupt, WireHeader.of(Compression.HEADER, "lz4"), WireHeader.of("x", "y"));
        Message m = RecordConverter.rawMessage("t", 1, r);
        assertThat(m.payload()).isEqualTo(corrupt);
        assertThat(m.headers().asList()).extracting(Header::key).containsExactly(Compression.HEADER, "x");
    }
}
