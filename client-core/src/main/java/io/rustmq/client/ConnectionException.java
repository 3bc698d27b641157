package io.rustmq.client;

/**
 * A QUIC connection to a broker could not be established or was lost. Retriable: the broker may come back.
 */
public class ConnectionException extends RustMQException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message which broker and what happened
     * @param cause the underlying failure, or {@code null}
     */
    public ConnectionException(String message, Throwable cause) {
        super(message, cause, true);
    }
}
