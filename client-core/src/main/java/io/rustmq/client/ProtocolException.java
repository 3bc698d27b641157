package io.rustmq.client;

/**
 * Bytes on the wire broke the RustMQ protocol: a truncated or malformed bincode body, an empty response, a
 * response of the wrong type, or a response larger than allowed. Not retriable.
 */
public class ProtocolException extends RustMQException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what was wrong and where
     */
    public ProtocolException(String message) {
        super(message, null, false);
    }

    /**
     * Creates an exception with a cause.
     *
     * @param message what was wrong and where
     * @param cause the underlying failure
     */
    public ProtocolException(String message, Throwable cause) {
        super(message, cause, false);
    }

    /**
     * Creates an exception, optionally without a stack trace (see {@link RustMQException}).
     *
     * @param message what was wrong and where
     * @param writableStackTrace whether to capture the stack trace
     */
    protected ProtocolException(String message, boolean writableStackTrace) {
        super(message, null, false, writableStackTrace);
    }
}
