package io.rustmq.client.compression;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class CompressionContextsTest {
    private static byte[] text(int size) {
        byte[] b = new byte[size];
        Random r = new Random(7);
        for (int i = 0; i < size; i++) {
            b[i] = (byte) ('a' + r.nextInt(4));
        }
        return b;
    }

    @Test
    void pooledContextsRoundTripAreReusedAndFreedOnClose() {
        byte[] value = text(64 * 1024);
        CompressionContexts contexts = new CompressionContexts();
        byte[] packed = contexts.compress(Compression.ZSTD, value, 3);
        assertThat(contexts.decompress(Compression.ZSTD, packed, 1 << 20)).isEqualTo(value);
        assertThat(contexts.idleContexts()).as("one compressor and one decompressor kept").isEqualTo(2);
        for (int i = 0; i < 10; i++) {
            assertThat(contexts.decompress(Compression.ZSTD, contexts.compress(Compression.ZSTD, value, 3), 1 << 20))
                    .isEqualTo(value);
        }
        assertThat(contexts.idleContexts()).as("reused, not piled up").isEqualTo(2);
        assertThat(Compression.ZSTD.decompress(packed, 1 << 20)).as("readable by a one-shot context").isEqualTo(value);

        contexts.close();
        assertThat(contexts.idleContexts()).isZero();
        assertThat(contexts.decompress(Compression.ZSTD, contexts.compress(Compression.ZSTD, value, 3), 1 << 20))
                .as("still works after close, keeping nothing").isEqualTo(value);
        assertThat(contexts.idleContexts()).isZero();
        contexts.close();
    }

    @Test
    void otherCodecsGoThroughThePoolUnchanged() {
        byte[] value = text(4096);
        try (CompressionContexts contexts = new CompressionContexts()) {
            for (Compression c : Compression.values()) {
                byte[] packed = contexts.compress(c, value, c.defaultLevel());
                assertThat(c.decompress(packed, 1 << 20)).as("%s", c).isEqualTo(value);
                assertThat(contexts.decompress(c, c.compress(value, c.defaultLevel()), 1 << 20)).isEqualTo(value);
            }
            assertThat(contexts.idleContexts()).isEqualTo(2);
        }
    }
}
