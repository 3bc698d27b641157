package io.rustmq.client.compression;

import io.rustmq.client.ConfigurationException;
import io.rustmq.client.ProtocolException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompressionTest {
    private static final int MIB = 1 << 20;

    @ParameterizedTest
    @EnumSource(Compression.class)
    void roundTripsValuesOfZeroOneKibMinusOneOneKibAndOneMib(Compression codec) {
        Random random = new Random(3);
        for (int size : new int[] {0, 1023, 1024, MIB}) {
            byte[] value = new byte[size];
            random.nextBytes(value);
            byte[] packed = codec.compress(value, codec.defaultLevel());
            assertThat(codec.decompress(packed, MIB)).as("%s of %d bytes", codec, size).isEqualTo(value);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD", "GZIP"})
    void aRepetitive64KibValueShrinksAtLeastTenfold(Compression codec) {
        byte[] value = "{\"event\":\"login\",\"user\":\"user-123\",\"ok\":true}\n".repeat(1500)
                .substring(0, 64 * 1024).getBytes(StandardCharsets.UTF_8);
        byte[] packed = codec.compress(value, codec.defaultLevel());
        assertThat(packed.length * 10).as("%s: %d bytes", codec, packed.length).isLessThanOrEqualTo(value.length);
        assertThat(codec.decompress(packed, MIB)).isEqualTo(value);
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD", "GZIP"})
    void corruptDataGivesAClearErrorNotGarbage(Compression codec) {
        byte[] value = "hello hello hello hello hello".repeat(40).getBytes(StandardCharsets.UTF_8);
        byte[] packed = codec.compress(value, codec.defaultLevel());
        Random random = new Random(9);
        int failures = 0;
        for (int i = 0; i < 200; i++) {
            byte[] broken = packed.clone();
            int at = random.nextInt(broken.length);
            broken[at] ^= (byte) (1 + random.nextInt(255));
            try {
                byte[] out = codec.decompress(broken, MIB);
                // a flip may land in a part that does not change the result (e.g. gzip's OS byte)
                assertThat(out).isEqualTo(value);
            } catch (ProtocolException e) {
                assertThat(e.getMessage()).startsWith("corrupt " + codec.headerValue() + " value");
                failures++;
            }
        }
        assertThat(failures).isGreaterThan(150);
        assertThatThrownBy(() -> codec.decompress(new byte[] {1, 2}, MIB)).isInstanceOf(ProtocolException.class);
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD", "GZIP"})
    void aValueThatWouldExpandBeyondTheLimitIsRefused(Compression codec) {
        byte[] zeros = new byte[4 * MIB];
        byte[] packed = codec.compress(zeros, codec.defaultLevel());
        assertThatThrownBy(() -> codec.decompress(packed, MIB)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("limit");
    }

    @Test
    void headerValuesRoundTripAndUnknownOnesAreRejected() {
        for (Compression c : Compression.values()) {
            assertThat(Compression.fromHeaderValue(c.headerValue())).isEqualTo(c);
        }
        assertThatThrownBy(() -> Compression.fromHeaderValue("snappy")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("snappy");
    }

    @Test
    void configRejectsLevelsOutsideTheCodecsRangeNamingTheField() {
        assertThatThrownBy(() -> new CompressionConfig(Compression.GZIP, 10, 1024))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("compression.level = 10")
                .hasMessageContaining("1..9");
        assertThatThrownBy(() -> new CompressionConfig(Compression.ZSTD, 3, -1))
                .hasMessageContaining("compression.minSize = -1");
        assertThatThrownBy(() -> new CompressionConfig(null, 0, 0)).hasMessageContaining("compression.codec");
        assertThat(CompressionConfig.of(Compression.LZ4).minSize()).isEqualTo(1024);
    }
}
