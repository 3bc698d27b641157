package io.rustmq.client.protocol;

import io.rustmq.client.ProtocolException;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads bincode 1.x values (spec §4) from a byte array, defensively: every length is checked against the bytes
 * that remain before anything is allocated, UTF-8 is validated, Option tags and enum indices are checked. A short
 * input raises {@link IncompleteFrameException}; any other malformation raises {@link ProtocolException}. Not
 * thread-safe.
 */
public final class BincodeReader {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Strings up to this many bytes are remembered, so that repeated header names are decoded once per reader. */
    private static final int CACHED_STRING_MAX = 32;

    private final byte[] buf;
    private final int limit;
    private int pos;
    private String cachedA;
    private String cachedB;
    private int cachedAStart = -1;
    private int cachedBStart = -1;
    private int cachedALen;
    private int cachedBLen;

    /**
     * Reads {@code buf[offset, offset + length)}.
     *
     * @param buf the bytes; not copied, so they must not change while reading
     * @param offset the first byte to read
     * @param length how many bytes may be read
     * @throws IndexOutOfBoundsException if the range is outside {@code buf}
     */
    public BincodeReader(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + ", array " + buf.length);
        }
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
    }

    /**
     * Reads the whole array.
     *
     * @param buf the bytes; not copied
     */
    public BincodeReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    /**
     * The number of bytes not yet read.
     *
     * @return remaining bytes
     */
    public int remaining() {
        return limit - pos;
    }

    /**
     * The index in the array of the next byte to read.
     *
     * @return the position
     */
    public int position() {
        return pos;
    }

    /** The array this reader reads from (package-private: for views that keep referring to the frame). */
    byte[] array() {
        return buf;
    }

    /**
     * Skips {@code n} bytes.
     *
     * @param n how many
     * @param what a name for the error message
     * @throws IncompleteFrameException if fewer remain
     */
    void skip(int n, String what) {
        need(n, what);
        pos += n;
    }

    /**
     * Skips a byte array ({@code u64} length, then the bytes) without copying it.
     *
     * @return its length
     * @throws IncompleteFrameException if the length exceeds what remains
     */
    int skipBytes() {
        int n = length(1, "byte array");
        pos += n;
        return n;
    }

    private void need(int n, String what) {
        if (limit - pos < n) {
            throw IncompleteFrameException.endOfInput(what, n, limit - pos, pos);
        }
    }

    /**
     * Reads one unsigned byte.
     *
     * @return 0 to 255
     * @throws IncompleteFrameException if no byte remains
     */
    public int u8() {
        need(1, "u8");
        return buf[pos++] & 0xFF;
    }

    /**
     * Reads a little-endian {@code u16}.
     *
     * @return 0 to 65535
     * @throws IncompleteFrameException if fewer than 2 bytes remain
     */
    public int u16() {
        need(2, "u16");
        int v = (short) SHORT.get(buf, pos) & 0xFFFF;
        pos += 2;
        return v;
    }

    /**
     * Reads a little-endian {@code u32} or {@code i32}.
     *
     * @return the 32 bits as an int (use {@link Integer#toUnsignedLong} for unsigned fields above 2^31 - 1)
     * @throws IncompleteFrameException if fewer than 4 bytes remain
     */
    public int u32() {
        need(4, "u32");
        int v = (int) INT.get(buf, pos);
        pos += 4;
        return v;
    }

    /**
     * Reads a little-endian {@code u64} or {@code i64}.
     *
     * @return the 64 bits as a long (unsigned fields: compare with {@link Long#compareUnsigned})
     * @throws IncompleteFrameException if fewer than 8 bytes remain
     */
    public long u64() {
        need(8, "u64");
        long v = (long) LONG.get(buf, pos);
        pos += 8;
        return v;
    }

    /**
     * Reads a bool byte.
     *
     * @return the value
     * @throws ProtocolException if the byte is not 0 or 1
     */
    public boolean bool() {
        int b = u8();
        if (b > 1) {
            throw new ProtocolException("invalid bool byte " + b + " at byte " + (pos - 1) + ", expected 0 or 1");
        }
        return b == 1;
    }

    /**
     * Reads a sequence or map length and checks that the elements can fit in what remains.
     *
     * @param minElementSize the smallest number of bytes one element can take (at least 1 for this check to bound
     *     allocation; pass 0 for zero-sized elements)
     * @param what a name for error messages
     * @return the count, at most {@code remaining() / minElementSize}
     * @throws IncompleteFrameException if the elements cannot fit in the bytes that remain
     */
    public int length(int minElementSize, String what) {
        long n = u64();
        long maxFit = minElementSize == 0 ? Integer.MAX_VALUE : (long) remaining() / minElementSize;
        if (n < 0 || n > maxFit) {
            throw IncompleteFrameException.lengthTooLarge(what, n, remaining(), pos);
        }
        return (int) n;
    }

    /**
     * Reads a byte array: {@code u64} length, then the bytes.
     *
     * @return a new array holding the bytes
     * @throws IncompleteFrameException if the length exceeds what remains
     */
    public byte[] bytes() {
        int n = length(1, "byte array");
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    /**
     * Reads a String: {@code u64} byte length, then UTF-8.
     *
     * @return the string
     * @throws IncompleteFrameException if the length exceeds what remains
     * @throws ProtocolException if the bytes are not valid UTF-8
     */
    public String string() {
        int n = length(1, "string");
        int start = pos;
        pos += n;
        boolean ascii = true;
        for (int i = start; i < start + n; i++) {
            if (buf[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            if (n > CACHED_STRING_MAX) {
                return new String(buf, start, n, StandardCharsets.ISO_8859_1);
            }
            return cachedAscii(start, n);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, start, n))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("string at byte " + start + " is not valid UTF-8", e);
        }
    }

    /**
     * A short ASCII string, reused when the same bytes were decoded recently by this reader (header names repeat on
     * every record of a request).
     */
    private String cachedAscii(int start, int n) {
        if (cachedAStart >= 0 && cachedALen == n
                && Arrays.equals(buf, start, start + n, buf, cachedAStart, cachedAStart + n)) {
            return cachedA;
        }
        if (cachedBStart >= 0 && cachedBLen == n
                && Arrays.equals(buf, start, start + n, buf, cachedBStart, cachedBStart + n)) {
            return cachedB;
        }
        String s = new String(buf, start, n, StandardCharsets.ISO_8859_1);
        // keep the two most recent distinct strings
        cachedB = cachedA;
        cachedBStart = cachedAStart;
        cachedBLen = cachedALen;
        cachedA = s;
        cachedAStart = start;
        cachedALen = n;
        return s;
    }

    /**
     * Reads an Option tag.
     *
     * @return {@code true} for Some (the value follows), {@code false} for None
     * @throws ProtocolException if the tag is not 0 or 1
     */
    public boolean optionTag() {
        int tag = u8();
        if (tag > 1) {
            throw new ProtocolException("invalid Option tag " + tag + " at byte " + (pos - 1) + ", expected 0 or 1");
        }
        return tag == 1;
    }

    /**
     * Reads {@code Option<String>}.
     *
     * @return the string, or {@code null} for None
     */
    public String optionString() {
        return optionTag() ? string() : null;
    }

    /**
     * Reads an enum variant index.
     *
     * @param variants the number of variants
     * @param what the enum's name for error messages
     * @return the index, 0 to {@code variants - 1}
     * @throws ProtocolException if the index is out of range
     */
    public int enumIndex(int variants, String what) {
        int idx = u32();
        if (idx < 0 || idx >= variants) {
            throw new ProtocolException("invalid variant index " + Integer.toUnsignedString(idx) + " for " + what
                    + " at byte " + (pos - 4) + ", expected 0 <= i < " + variants);
        }
        return idx;
    }
}
