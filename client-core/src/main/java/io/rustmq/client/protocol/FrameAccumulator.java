package io.rustmq.client.protocol;

import java.util.Arrays;

/**
 * The decode-as-it-grows reader of one frame that arrives in pieces, shared by the client (a response on its
 * stream) and the embedded broker (a request on its stream): it collects the bytes up to a size limit, and says when
 * to try decoding them. Bincode bodies are self-delimiting, so a reader can finish as soon as a whole value has
 * decoded, without waiting for the peer's FIN. Decoding restarts from the first byte each time, so frames up to
 * {@link #EAGER_DECODE_LIMIT} bytes (one QUIC packet) are decode-tried after every batch of reads, and larger ones
 * only as they grow by half (at most about three full decodes in total), plus once when they stop growing for
 * {@link #QUIET_DECODE_DELAY_MS} (for peers that send the whole frame but delay FIN). Has no Netty type: bytes come
 * through a {@link ByteSource}. Not thread-safe: one instance per stream, used on that stream's event loop.
 */
public final class FrameAccumulator {
    /** Frames up to this size are decode-tried after every batch of reads. */
    public static final int EAGER_DECODE_LIMIT = 1500;
    /** A larger frame that stops growing without FIN is decode-tried after this pause, in milliseconds. */
    public static final long QUIET_DECODE_DELAY_MS = 2;

    private static final byte[] EMPTY = new byte[0];

    /** Where appended bytes come from (a Netty {@code ByteBuf} adapts as {@code buf::readBytes}). */
    @FunctionalInterface
    public interface ByteSource {
        /**
         * Copies the next bytes of the source.
         *
         * @param dst the destination
         * @param offset where in {@code dst}
         * @param length how many bytes
         */
        void readBytes(byte[] dst, int offset, int length);
    }

    /**
     * Decodes the bytes collected so far.
     *
     * @param <T> the decoded value
     */
    @FunctionalInterface
    public interface Decoder<T> {
        /**
         * Decodes a frame.
         *
         * @param bytes the buffer (only the first {@code length} bytes are the frame)
         * @param length the frame bytes collected so far
         * @return the value, or {@code null} if more bytes are needed (a decoder may also throw
         *     {@link IncompleteFrameException} for that)
         */
        T decode(byte[] bytes, int length);
    }

    /** What to do after a batch of reads. */
    public enum Next {
        /** Try decoding now. */
        DECODE_NOW,
        /** Try decoding if the frame stops growing for {@link #QUIET_DECODE_DELAY_MS}. */
        DECODE_WHEN_QUIET,
        /** Nothing collected yet. */
        WAIT
    }

    private final int maxBytes;
    private int sizeHint;
    private byte[] buf = EMPTY;
    private int len;
    private int lastAttemptLen;

    /**
     * Creates an empty accumulator.
     *
     * @param maxBytes the most bytes the frame may have
     */
    public FrameAccumulator(int maxBytes) {
        this(maxBytes, 0);
    }

    /**
     * Creates an empty accumulator that, once a frame outgrows its first read, grows straight to {@code sizeHint}
     * bytes (the expected size, from {@link FrameSizes}) rather than doubling towards it. The first read still gets
     * a buffer of its own size, so a small frame never costs the hint.
     *
     * @param maxBytes the most bytes the frame may have
     * @param sizeHint the size to grow to on the first growth, capped at {@code maxBytes}; 0 or less for none
     */
    public FrameAccumulator(int maxBytes, int sizeHint) {
        this.maxBytes = maxBytes;
        this.sizeHint = Math.max(0, sizeHint);
    }

    /**
     * Sets the size to grow to on the next growth, for a reader that learns the frame's type from its first byte.
     *
     * @param sizeHint bytes, capped at {@code maxBytes} when used; 0 or less for none
     */
    public void expect(int sizeHint) {
        this.sizeHint = Math.max(0, sizeHint);
    }

    /**
     * Whether {@code n} more bytes stay within the limit.
     *
     * @param n bytes about to be appended
     * @return {@code true} if {@code length() + n <= maxBytes}
     */
    public boolean fits(int n) {
        return (long) len + n <= maxBytes;
    }

    /**
     * Appends bytes; the caller checked {@link #fits(int)}.
     *
     * @param source where the bytes come from
     * @param n how many
     * @throws IllegalStateException if they do not fit
     */
    public void append(ByteSource source, int n) {
        if (!fits(n)) {
            throw new IllegalStateException("frame over " + maxBytes + " bytes");
        }
        int needed = len + n;
        if (needed > buf.length) {
            long grown = buf.length == 0 ? Math.max(needed, 512)
                    : Math.max(Math.max(needed, (long) buf.length * 2), sizeHint);
            buf = Arrays.copyOf(buf, (int) Math.min(grown, maxBytes));
        }
        source.readBytes(buf, len, n);
        len = needed;
    }

    /**
     * After a batch of reads: whether to try decoding now, when quiet, or not at all.
     *
     * @return the next step
     */
    public Next afterReads() {
        if (len == 0) {
            return Next.WAIT;
        }
        return len <= EAGER_DECODE_LIMIT || len >= lastAttemptLen + (lastAttemptLen >> 1) ? Next.DECODE_NOW
                : Next.DECODE_WHEN_QUIET;
    }

    /**
     * Whether a quiet-time check armed at {@code lengthWhenArmed} should decode now: the frame has not grown since,
     * and was not tried at this length.
     *
     * @param lengthWhenArmed {@link #length()} when the check was armed
     * @return {@code true} to decode
     */
    public boolean quietDecodeDue(int lengthWhenArmed) {
        return len == lengthWhenArmed && lastAttemptLen != len;
    }

    /**
     * Tries decoding what has been collected.
     *
     * @param decoder the decoder
     * @param <T> the value type
     * @return the value, or {@code null} if more bytes are needed
     */
    public <T> T tryDecode(Decoder<T> decoder) {
        lastAttemptLen = len;
        try {
            return decoder.decode(buf, len);
        } catch (IncompleteFrameException e) {
            return null;
        }
    }

    /**
     * The bytes collected so far.
     *
     * @return the count
     */
    public int length() {
        return len;
    }

    /**
     * The buffer; only its first {@link #length()} bytes are the frame.
     *
     * @return the live buffer (not a copy)
     */
    public byte[] array() {
        return buf;
    }

    /**
     * A copy of the frame.
     *
     * @return exactly {@link #length()} bytes
     */
    public byte[] copy() {
        return Arrays.copyOf(buf, len);
    }

    /** Drops the buffer (the frame is done with); {@link #length()} stays as it was. */
    public void release() {
        buf = EMPTY;
    }
}
