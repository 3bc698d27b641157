package io.rustmq.benchmarks.jmh;

import io.rustmq.client.compression.Compression;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Per-value compression as the producer does it ({@link Compression#compress(byte[], int)} at the codec's default
 * level) and as the consumer undoes it ({@link Compression#decompress(byte[], int)}), for each codec on 1 KiB and
 * 64 KiB values. The values are JSON-like event text with random ids and numbers (compressible about 3-5x, like
 * typical message payloads); the ratio is printed once per trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CompressionBenchmark {
    /** The codec. */
    @Param({"LZ4", "ZSTD", "GZIP"})
    public Compression codec;

    /** The uncompressed value size in bytes. */
    @Param({"1024", "65536"})
    public int size;

    private byte[] value;
    private byte[] compressed;

    /** Builds the value and its compressed form. */
    @Setup(Level.Trial)
    public void setup() {
        value = jsonLike(size, new Random(11));
        compressed = codec.compress(value, codec.defaultLevel());
        System.out.printf("%n%s %d B -> %d B (ratio %.2f)%n", codec, size, compressed.length,
                (double) size / compressed.length);
    }

    static byte[] jsonLike(int size, Random r) {
        String[] events = {"login", "logout", "purchase", "view", "click", "search"};
        String[] countries = {"DE", "FR", "US", "JP", "BR", "IN"};
        StringBuilder sb = new StringBuilder(size + 200);
        while (sb.length() < size) {
            sb.append("{\"event\":\"").append(events[r.nextInt(events.length)])
                    .append("\",\"user\":\"u-").append(Long.toHexString(r.nextLong()))
                    .append("\",\"ts\":").append(1_700_000_000_000L + r.nextInt(1_000_000))
                    .append(",\"amount\":").append(r.nextInt(100_000) / 100.0)
                    .append(",\"country\":\"").append(countries[r.nextInt(countries.length)])
                    .append("\",\"session\":").append(r.nextInt(1 << 20)).append("}\n");
        }
        byte[] all = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[size];
        System.arraycopy(all, 0, out, 0, size);
        return out;
    }

    /**
     * Compresses the value.
     *
     * @return the compressed bytes
     */
    @Benchmark
    public byte[] compress() {
        return codec.compress(value, codec.defaultLevel());
    }

    /**
     * Decompresses the value.
     *
     * @return the original bytes
     */
    @Benchmark
    public byte[] decompress() {
        return codec.decompress(compressed, size);
    }
}
