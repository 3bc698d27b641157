package io.rustmq.client.compression;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.rustmq.client.ProtocolException;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Per-record value compression, as this project's protocol profile defines it (the broker stores bytes unchanged and
 * knows nothing of it): the producer compresses a value and adds the header {@value #HEADER} with the codec's name;
 * consumers decompress transparently. Formats, so that any language can read them:
 * <ul>
 *   <li>{@code lz4}: the uncompressed length as a 4-byte little-endian integer, the XXH32 (seed 0) of the
 *   uncompressed bytes as a 4-byte little-endian integer, then one LZ4 block;</li>
 *   <li>{@code zstd}: one standard Zstandard frame with its content size and content checksum;</li>
 *   <li>{@code gzip}: a standard gzip stream (RFC 1952).</li>
 * </ul>
 * Decompression is bounded: a value that claims or expands to more than the caller's limit is refused, and corrupt
 * data raises {@link ProtocolException}, never garbage.
 */
public enum Compression {
    /** No compression: values are sent as they are. */
    NONE("none", 0, 0, 0),
    /** LZ4 block with a length prefix: fastest, moderate ratio. Levels 1–17 (1 = fast compressor, above = HC). */
    LZ4("lz4", 1, 1, 17),
    /** Zstandard: good ratio at good speed. Levels 1–22 (default 3). */
    ZSTD("zstd", 3, 1, 22),
    /** gzip: the most widely readable. Levels 1–9 (default 6). */
    GZIP("gzip", 6, 1, 9);

    /** The header that names the codec of a compressed value. */
    public static final String HEADER = io.rustmq.client.protocol.HeaderNames.COMPRESSION;

    private static final LZ4Factory LZ4_FACTORY = LZ4Factory.fastestInstance();
    private static final XXHash32 XXHASH = XXHashFactory.fastestInstance().hash32();
    private static final int LZ4_HEADER = 8;

    private final String headerValue;
    private final int defaultLevel;
    private final int minLevel;
    private final int maxLevel;

    Compression(String headerValue, int defaultLevel, int minLevel, int maxLevel) {
        this.headerValue = headerValue;
        this.defaultLevel = defaultLevel;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
    }

    /**
     * The value of the {@value #HEADER} header for this codec.
     *
     * @return {@code none}, {@code lz4}, {@code zstd} or {@code gzip}
     */
    public String headerValue() {
        return headerValue;
    }

    /**
     * The level used when none is configured.
     *
     * @return the default level (0 for NONE)
     */
    public int defaultLevel() {
        return defaultLevel;
    }

    /**
     * Whether a level is valid for this codec.
     *
     * @param level the level
     * @return {@code true} if within the codec's range
     */
    public boolean isValidLevel(int level) {
        return this == NONE ? level == 0 : level >= minLevel && level <= maxLevel;
    }

    /**
     * The valid levels, for error messages.
     *
     * @return a description such as {@code 1..22}
     */
    public String levelRange() {
        return this == NONE ? "0" : minLevel + ".." + maxLevel;
    }

    /**
     * Finds the codec named by a {@value #HEADER} header.
     *
     * @param value the header's text
     * @return the codec
     * @throws ProtocolException if the name is unknown
     */
    public static Compression fromHeaderValue(String value) {
        for (Compression c : values()) {
            if (c.headerValue.equals(value)) {
                return c;
            }
        }
        throw new ProtocolException("unknown " + HEADER + " value '" + value + "' (expected lz4, zstd or gzip)");
    }

    /**
     * Compresses a value. A Zstandard context is made for this call and freed after it: use
     * {@link CompressionContexts#compress} to reuse contexts.
     *
     * @param data the uncompressed bytes
     * @param level the level, within {@link #levelRange()}
     * @return the compressed bytes (the input itself for NONE)
     * @throws IllegalArgumentException if the level is out of range
     */
    public byte[] compress(byte[] data, int level) {
        return compress(data, level, null);
    }

    byte[] compress(byte[] data, int level, CompressionContexts contexts) {
        if (!isValidLevel(level)) {
            throw new IllegalArgumentException(name() + " level must be in " + levelRange() + ", got " + level);
        }
        switch (this) {
            case NONE:
                return data;
            case LZ4: {
                LZ4Compressor c = level <= 1 ? LZ4_FACTORY.fastCompressor() : LZ4_FACTORY.highCompressor(level);
                byte[] out = new byte[LZ4_HEADER + c.maxCompressedLength(data.length)];
                writeIntLe(out, 0, data.length);
                writeIntLe(out, 4, XXHASH.hash(data, 0, data.length, 0));
                int n = c.compress(data, 0, data.length, out, LZ4_HEADER, out.length - LZ4_HEADER);
                return Arrays.copyOf(out, LZ4_HEADER + n);
            }
            case ZSTD: {
                ZstdCompressCtx ctx = contexts == null ? CompressionContexts.newCompressor(level)
                        : contexts.takeCompressor(level);
                try {
                    return ctx.compress(data);
                } finally {
                    if (contexts == null) {
                        ctx.close();
                    } else {
                        contexts.giveBack(level, ctx);
                    }
                }
            }
            case GZIP: {
                ByteArrayOutputStream bos = new ByteArrayOutputStream(Math.max(64, data.length / 2));
                try (GZIPOutputStream gz = new LeveledGzip(bos, level)) {
                    gz.write(data);
                } catch (IOException e) {
                    throw new UncheckedIOException("in-memory gzip failed", e);
                }
                return bos.toByteArray();
            }
            default:
                throw new IllegalStateException("unreachable");
        }
    }

    /**
     * Decompresses a value. A Zstandard context is made for this call and freed after it: use
     * {@link CompressionContexts#decompress} to reuse contexts.
     *
     * @param data the compressed bytes
     * @param maxSize the largest uncompressed size accepted, in bytes
     * @return the uncompressed bytes (the input itself for NONE)
     * @throws ProtocolException if the data is corrupt or would expand beyond {@code maxSize}
     */
    public byte[] decompress(byte[] data, int maxSize) {
        return decompress(data, maxSize, null);
    }

    byte[] decompress(byte[] data, int maxSize, CompressionContexts contexts) {
        switch (this) {
            case NONE:
                return data;
            case LZ4: {
                if (data.length < LZ4_HEADER) {
                    throw corrupt("shorter than its 8-byte header", null);
                }
                int size = readIntLe(data, 0);
                checkSize(size, maxSize);
                try {
                    LZ4SafeDecompressor d = LZ4_FACTORY.safeDecompressor();
                    byte[] out = new byte[size];
                    int n = d.decompress(data, LZ4_HEADER, data.length - LZ4_HEADER, out, 0, size);
                    if (n != size) {
                        throw corrupt("expanded to " + n + " bytes, header says " + size, null);
                    }
                    if (XXHASH.hash(out, 0, size, 0) != readIntLe(data, 4)) {
                        throw corrupt("checksum mismatch", null);
                    }
                    return out;
                } catch (LZ4Exception e) {
                    throw corrupt(e.getMessage(), e);
                }
            }
            case ZSTD: {
                long size;
                try {
                    size = Zstd.getFrameContentSize(data);
                } catch (ZstdException e) {
                    throw corrupt(e.getMessage(), e);
                }
                if (size < 0) {
                    throw corrupt("the frame does not carry a valid content size (" + size + ")", null);
                }
                checkSize(size, maxSize);
                ZstdDecompressCtx ctx = contexts == null ? new ZstdDecompressCtx() : contexts.takeDecompressor();
                try {
                    byte[] out = new byte[(int) size];
                    long n = ctx.decompress(out, data);
                    if (n != size) {
                        throw corrupt("expanded to " + n + " bytes, frame says " + size, null);
                    }
                    return out;
                } catch (ZstdException e) {
                    throw corrupt(e.getMessage(), e);
                } finally {
                    if (contexts == null) {
                        ctx.close();
                    } else {
                        contexts.giveBack(ctx);
                    }
                }
            }
            case GZIP: {
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxSize, data.length * 4 + 64));
                    byte[] chunk = new byte[8192];
                    int n;
                    while ((n = in.read(chunk)) > 0) {
                        if (out.size() + (long) n > maxSize) {
                            throw corrupt("expands beyond the limit of " + maxSize + " bytes", null);
                        }
                        out.write(chunk, 0, n);
                    }
                    return out.toByteArray();
                } catch (IOException e) {
                    throw corrupt(e.getMessage(), e);
                }
            }
            default:
                throw new IllegalStateException("unreachable");
        }
    }

    private void checkSize(long size, int maxSize) {
        if (size < 0 || size > maxSize) {
            throw corrupt("claims " + size + " uncompressed bytes, above the limit of " + maxSize, null);
        }
    }

    private ProtocolException corrupt(String why, Throwable cause) {
        return new ProtocolException("corrupt " + headerValue + " value: " + why, cause);
    }

    private static void writeIntLe(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    private static int readIntLe(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    /** A gzip stream with a chosen deflate level. */
    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(ByteArrayOutputStream out, int level) throws IOException {
            super(out, 8192);
            def.setLevel(level);
        }
    }
}
