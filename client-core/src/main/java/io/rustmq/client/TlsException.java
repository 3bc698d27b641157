package io.rustmq.client;

/**
 * The TLS handshake failed or TLS material could not be used: an untrusted or mismatching server certificate, a
 * client certificate that was refused, or unreadable PEM files. Not retriable: the configuration must change.
 */
public class TlsException extends RustMQException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message why the handshake or the TLS setup failed
     * @param cause the underlying SSL failure, or {@code null}
     */
    public TlsException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
