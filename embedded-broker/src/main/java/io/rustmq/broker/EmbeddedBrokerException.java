package io.rustmq.broker;

/**
 * The embedded broker could not start: the port is taken, the native QUIC library is missing, or the TLS material
 * is unusable. Unchecked.
 */
public class EmbeddedBrokerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what failed
     * @param cause the underlying failure, or {@code null}
     */
    public EmbeddedBrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
