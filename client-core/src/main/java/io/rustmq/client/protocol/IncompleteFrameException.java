package io.rustmq.client.protocol;

import io.rustmq.client.ProtocolException;

/**
 * The bytes ended before a complete bincode value was read: the frame is a strict prefix of a valid one, or a length
 * prefix claims more bytes than remain. A reader that is still receiving may wait for more bytes; a reader that has
 * seen end of stream must treat it as a protocol violation.
 */
public class IncompleteFrameException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    // For the two cases a reader throws on every decode attempt of a partly received frame, the message is built
    // only when asked for: building it at the throw (string concatenation inlined into every decoder) made the
    // decoders' compiled code several times larger and cost text per failed attempt.
    private final String what;
    private final long value;
    private final int remaining;
    private final int position;
    private final boolean lengthTooLarge;

    /**
     * Creates an exception.
     *
     * @param message what was being read, how many bytes it needed and how many remained
     */
    public IncompleteFrameException(String message) {
        // Thrown on every decode attempt of a partly received frame: no stack trace, it would dominate the cost.
        super(message, false);
        this.what = null;
        this.value = 0;
        this.remaining = 0;
        this.position = 0;
        this.lengthTooLarge = false;
    }

    private IncompleteFrameException(String what, long value, int remaining, int position, boolean lengthTooLarge) {
        super(null, false);
        this.what = what;
        this.value = value;
        this.remaining = remaining;
        this.position = position;
        this.lengthTooLarge = lengthTooLarge;
    }

    /**
     * The input ended inside a value.
     *
     * @param what what was being read
     * @param needed the bytes it needs
     * @param remaining the bytes that remain
     * @param position the reader's position in its buffer
     * @return the exception, whose message is built when first asked for
     */
    public static IncompleteFrameException endOfInput(String what, int needed, int remaining, int position) {
        return new IncompleteFrameException(what, needed, remaining, position, false);
    }

    /**
     * A length prefix claims more elements than the remaining bytes can hold.
     *
     * @param what what the length counts
     * @param length the length read, as an unsigned 64-bit value
     * @param remaining the bytes that remain
     * @param position the reader's position in its buffer
     * @return the exception, whose message is built when first asked for
     */
    public static IncompleteFrameException lengthTooLarge(String what, long length, int remaining, int position) {
        return new IncompleteFrameException(what, length, remaining, position, true);
    }

    @Override
    public String getMessage() {
        String m = super.getMessage();
        if (m != null || what == null) {
            return m;
        }
        return lengthTooLarge
                ? "length " + Long.toUnsignedString(value) + " of " + what + " cannot fit in the " + remaining
                        + " bytes that remain at byte " + position
                : "unexpected end of input reading " + what + ": needs " + value + " bytes, " + remaining
                        + " remain at byte " + position;
    }
}
