package io.rustmq.client.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Reusable arrays for the large request frames of one transport (Produce requests, hundreds of kilobytes for a full
 * batch). A fresh array per request cost the sending thread page faults and zeroing and the collector copying; a
 * frame buffer from here goes back when the stream has written it (the QUIC codec copies it into native memory).
 * Unlike Netty's pooled allocator it leaves no per-thread state on the application's threads. At most
 * {@link #MAX_POOLED_BYTES} are kept. Thread-safe.
 */
final class FrameBuffers {
    /** Frames smaller than this get an array of their own, not a pooled one. */
    static final int MIN_POOLED = 64 * 1024;
    /** The most bytes of idle arrays kept for reuse. */
    static final long MAX_POOLED_BYTES = 8L * 1024 * 1024;

    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    private long freeBytes;

    /**
     * A buffer of at least {@code size} bytes for a frame, empty (writer index 0); releasing it returns its array.
     *
     * @param size the frame's length in bytes
     * @return the buffer, backed by a reused array when one of a fitting size is idle
     */
    ByteBuf frame(int size) {
        byte[] array = size < MIN_POOLED ? new byte[size] : take(size);
        if (array == null) {
            // round up, so that frames of slightly different sizes share arrays
            long rounded = ((long) size + MIN_POOLED - 1) / MIN_POOLED * MIN_POOLED;
            array = new byte[(int) Math.min(rounded, Integer.MAX_VALUE - 8)];
        }
        ByteBuf buf = new UnpooledHeapByteBuf(UnpooledByteBufAllocator.DEFAULT, array, array.length) {
            @Override
            protected void freeArray(byte[] a) {
                give(a);
            }
        };
        return buf.writerIndex(0);
    }

    /**
     * Idle bytes kept for reuse (for tests).
     *
     * @return bytes
     */
    synchronized long idleBytes() {
        return freeBytes;
    }

    private synchronized byte[] take(int size) {
        for (Iterator<byte[]> it = free.iterator(); it.hasNext(); ) {
            byte[] a = it.next();
            if (a.length >= size && a.length <= 2L * size) {
                it.remove();
                freeBytes -= a.length;
                return a;
            }
        }
        return null;
    }

    private synchronized void give(byte[] a) {
        if (a.length < MIN_POOLED) {
            return;
        }
        if (freeBytes + a.length > MAX_POOLED_BYTES) {
            byte[] oldest = free.pollLast();
            if (oldest == null || freeBytes - oldest.length + a.length > MAX_POOLED_BYTES) {
                if (oldest != null) {
                    free.addLast(oldest);
                }
                return;
            }
            freeBytes -= oldest.length;
        }
        free.addFirst(a);
        freeBytes += a.length;
    }
}
