package io.rustmq.client.compression;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A pool of native Zstandard contexts for one owner (a producer or a consumer), reused across calls and threads and
 * freed by {@link #close()}. It replaces per-thread caches, which would leave native memory and a reference to the
 * client's class loader on every application thread that ever sent or received (a class-loader leak on redeploy).
 * Thread-safe: a context is used by one thread at a time. After {@link #close()} it still works, but frees each
 * context after use instead of keeping it.
 */
public final class CompressionContexts implements AutoCloseable {
    /** Idle contexts kept per level (and for decompression); more are freed when returned. */
    private static final int MAX_IDLE = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final Map<Integer, ArrayDeque<ZstdCompressCtx>> compressors = new HashMap<>();
    private final ArrayDeque<ZstdDecompressCtx> decompressors = new ArrayDeque<>();
    private boolean closed;

    /** Creates an empty pool; contexts are made on first use. */
    public CompressionContexts() {
    }

    /**
     * Compresses a value with a pooled context.
     *
     * @param codec the codec
     * @param data the uncompressed bytes
     * @param level the level, within {@link Compression#levelRange()}
     * @return the compressed bytes (the input itself for NONE)
     * @throws IllegalArgumentException if the level is out of range
     */
    public byte[] compress(Compression codec, byte[] data, int level) {
        return codec.compress(data, level, this);
    }

    /**
     * Decompresses a value with a pooled context.
     *
     * @param codec the codec
     * @param data the compressed bytes
     * @param maxSize the largest uncompressed size accepted, in bytes
     * @return the uncompressed bytes
     * @throws io.rustmq.client.ProtocolException if the data is corrupt or would expand beyond {@code maxSize}
     */
    public byte[] decompress(Compression codec, byte[] data, int maxSize) {
        return codec.decompress(data, maxSize, this);
    }

    synchronized ZstdCompressCtx takeCompressor(int level) {
        ArrayDeque<ZstdCompressCtx> idle = compressors.get(level);
        ZstdCompressCtx ctx = idle == null ? null : idle.pollFirst();
        return ctx != null ? ctx : newCompressor(level);
    }

    static ZstdCompressCtx newCompressor(int level) {
        return new ZstdCompressCtx().setLevel(level).setChecksum(true).setContentSize(true);
    }

    void giveBack(int level, ZstdCompressCtx ctx) {
        synchronized (this) {
            if (!closed) {
                ArrayDeque<ZstdCompressCtx> idle = compressors.computeIfAbsent(level, l -> new ArrayDeque<>());
                if (idle.size() < MAX_IDLE) {
                    idle.addFirst(ctx);
                    return;
                }
            }
        }
        ctx.close();
    }

    synchronized ZstdDecompressCtx takeDecompressor() {
        ZstdDecompressCtx ctx = decompressors.pollFirst();
        return ctx != null ? ctx : new ZstdDecompressCtx();
    }

    void giveBack(ZstdDecompressCtx ctx) {
        synchronized (this) {
            if (!closed && decompressors.size() < MAX_IDLE) {
                decompressors.addFirst(ctx);
                return;
            }
        }
        ctx.close();
    }

    /**
     * The number of idle native contexts held, for tests and diagnostics.
     *
     * @return contexts kept for reuse
     */
    public synchronized int idleContexts() {
        int n = decompressors.size();
        for (ArrayDeque<ZstdCompressCtx> idle : compressors.values()) {
            n += idle.size();
        }
        return n;
    }

    /** Frees every idle context; contexts in use are freed when their call ends. Idempotent. */
    @Override
    public void close() {
        ArrayDeque<AutoCloseable> toFree = new ArrayDeque<>();
        synchronized (this) {
            closed = true;
            compressors.values().forEach(toFree::addAll);
            compressors.clear();
            toFree.addAll(decompressors);
            decompressors.clear();
        }
        for (AutoCloseable ctx : toFree) {
            if (ctx instanceof ZstdCompressCtx c) {
                c.close();
            } else if (ctx instanceof ZstdDecompressCtx d) {
                d.close();
            }
        }
    }
}
