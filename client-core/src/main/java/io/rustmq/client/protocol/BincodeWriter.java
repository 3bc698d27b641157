package io.rustmq.client.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes values in bincode 1.x default encoding (spec §4): fixed-width little-endian integers, {@code u64} length
 * prefixes, one-byte Option tags and {@code u32} enum indices. Backed by a growable byte array, or by a window of a
 * caller's array (a pooled buffer) until it outgrows it; not thread-safe.
 */
public final class BincodeWriter {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] buf;
    private int pos;
    /** Where this writer's bytes start in {@link #buf} (0 unless it writes into a caller's window). */
    private int start;
    /** The end of the space this writer may use in {@link #buf}. */
    private int limit;

    /** Creates a writer with a 256-byte initial buffer. */
    public BincodeWriter() {
        this(256);
    }

    /**
     * Creates a writer.
     *
     * @param initialCapacity the initial buffer size in bytes (grows as needed)
     */
    public BincodeWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
        limit = buf.length;
    }

    /**
     * Creates a writer that writes into {@code dst[offset, offset + length)}, such as a pooled buffer's backing
     * array. If the values outgrow that window the writer moves to an array of its own and leaves the rest of
     * {@code dst} alone; {@link #wroteInto(byte[])} tells which happened.
     *
     * @param dst the array to write into
     * @param offset where the window starts
     * @param length the window's size in bytes
     * @throws IndexOutOfBoundsException if the window is not inside {@code dst}
     */
    public BincodeWriter(byte[] dst, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, dst.length);
        buf = dst;
        start = offset;
        pos = offset;
        limit = offset + length;
    }

    private void ensure(int extra) {
        int need = pos - start + extra;
        if (need < 0) {
            throw new IllegalStateException("encoded value exceeds 2 GiB");
        }
        if (pos + extra > limit || pos + extra < 0) {
            int used = pos - start;
            byte[] grown = new byte[Math.max(need, (limit - start) * 2)];
            System.arraycopy(buf, start, grown, 0, used);
            buf = grown;
            start = 0;
            pos = used;
            limit = grown.length;
        }
    }

    /**
     * Whether everything written so far is in {@code dst}, the window given to
     * {@link #BincodeWriter(byte[], int, int)}, rather than in an array of the writer's own.
     *
     * @param dst the array the writer was given
     * @return {@code true} if the values fitted the window
     */
    public boolean wroteInto(byte[] dst) {
        return buf == dst;
    }

    /**
     * Writes one byte.
     *
     * @param v the value; only the low 8 bits are written
     * @return this writer
     */
    public BincodeWriter u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    /**
     * Writes a {@code u16}, little-endian.
     *
     * @param v the value; only the low 16 bits are written
     * @return this writer
     */
    public BincodeWriter u16(int v) {
        ensure(2);
        SHORT.set(buf, pos, (short) v);
        pos += 2;
        return this;
    }

    /**
     * Writes a {@code u32} (or {@code i32}), little-endian.
     *
     * @param v the value, read as unsigned by the peer when the field is unsigned
     * @return this writer
     */
    public BincodeWriter u32(int v) {
        ensure(4);
        INT.set(buf, pos, v);
        pos += 4;
        return this;
    }

    /**
     * Writes a {@code u64} (or {@code i64}, {@code usize}), little-endian.
     *
     * @param v the value, read as unsigned by the peer when the field is unsigned
     * @return this writer
     */
    public BincodeWriter u64(long v) {
        ensure(8);
        LONG.set(buf, pos, v);
        pos += 8;
        return this;
    }

    /**
     * Writes a bool as one byte, 0 or 1.
     *
     * @param v the value
     * @return this writer
     */
    public BincodeWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    /**
     * Writes a String: {@code u64} byte length, then its UTF-8 bytes.
     *
     * @param s the string, not null
     * @return this writer
     */
    public BincodeWriter string(String s) {
        int n = s.length();
        ensure(8 + n);
        int at = pos;
        int p = at + 8;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                // not ASCII: let the JDK encode it (rare for topic and header names)
                return bytes(s.getBytes(StandardCharsets.UTF_8));
            }
            buf[p++] = (byte) c;
        }
        LONG.set(buf, at, (long) n);
        pos = p;
        return this;
    }

    /**
     * Writes a byte array: {@code u64} length, then the bytes.
     *
     * @param b the bytes, not null
     * @return this writer
     */
    public BincodeWriter bytes(byte[] b) {
        ensure(8 + b.length);
        LONG.set(buf, pos, (long) b.length);
        pos += 8;
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
        return this;
    }

    /**
     * Writes raw bytes with no length prefix (used for the frame's type byte and error text).
     *
     * @param b the bytes
     * @return this writer
     */
    public BincodeWriter raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
        return this;
    }

    /**
     * Writes part of an array as raw bytes with no length prefix (an encoding made earlier, such as stored records).
     *
     * @param b the array
     * @param offset where the bytes start in {@code b}
     * @param length how many bytes to write
     * @return this writer
     * @throws IndexOutOfBoundsException if the range is not inside {@code b}
     */
    public BincodeWriter raw(byte[] b, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, b.length);
        ensure(length);
        System.arraycopy(b, offset, buf, pos, length);
        pos += length;
        return this;
    }

    /**
     * Writes a sequence or map length: a {@code u64}.
     *
     * @param n the element or entry count, at least 0
     * @return this writer
     */
    public BincodeWriter length(int n) {
        return u64(n);
    }

    /**
     * Writes an Option tag: 0 for None, 1 for Some (the value follows).
     *
     * @param present whether the value is present
     * @return this writer
     */
    public BincodeWriter optionTag(boolean present) {
        return u8(present ? 1 : 0);
    }

    /**
     * Writes {@code Option<String>}.
     *
     * @param s the value, or {@code null} for None
     * @return this writer
     */
    public BincodeWriter optionString(String s) {
        optionTag(s != null);
        return s == null ? this : string(s);
    }

    /**
     * The number of bytes written so far.
     *
     * @return size in bytes
     */
    public int size() {
        return pos - start;
    }

    /** Forgets what was written, keeping the buffer for reuse. */
    public void reset() {
        pos = start;
    }

    /**
     * A copy of the bytes written so far.
     *
     * @return a new array of {@link #size()} bytes
     */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(buf, start, pos);
    }

    /**
     * The bytes written so far, without a copy when they fill the buffer exactly (the writer must not be used
     * afterwards). Package-private: for encoders that size the buffer exactly and discard the writer.
     *
     * @return the buffer itself, or a copy of {@link #size()} bytes
     */
    byte[] toByteArrayShared() {
        return start == 0 && pos == buf.length ? buf : Arrays.copyOfRange(buf, start, pos);
    }
}
