package io.rustmq.client.protocol;

import io.rustmq.client.ProtocolException;

/**
 * The bytes ended before a complete bincode value was read: the frame is a strict prefix of a valid one, or a length
 * prefix claims more bytes than remain. A reader that is still receiving may wait for more bytes; a reader that has
 * seen end of stream must treat it as a protocol violation.
 */
public class IncompleteFrameException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what was being read, how many bytes it needed and how many remained
     */
    public IncompleteFrameException(String message) {
        // Thrown on every decode attempt of a partly received frame: no stack trace, it would dominate the cost.
        super(message, false);
    }
}
