package io.rustmq.broker.network;

import io.rustmq.broker.tls.CertifiedKey;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the QUIC server needs to start.
 *
 * @param host the host name or IP literal to bind
 * @param port the UDP port to bind, 0 for any free port
 * @param serverKey the server's key and certificate chain
 * @param clientCas the CAs that client certificates must chain to; empty to request no client certificate, non-empty
 *     to require and verify one (mutual TLS)
 * @param maxRequestBytes the largest request frame accepted, type byte included, in bytes
 * @param idleTimeout the QUIC idle timeout
 */
public record ServerSettings(String host, int port, CertifiedKey serverKey, List<X509Certificate> clientCas,
                             int maxRequestBytes, Duration idleTimeout) {
    /** The ALPN protocol the server requires. */
    public static final String ALPN = "rustmq";

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if a field is null
     * @throws IllegalArgumentException if the port or a size is out of range
     */
    public ServerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(serverKey, "serverKey");
        clientCas = List.copyOf(clientCas);
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
        }
        if (maxRequestBytes < 1) {
            throw new IllegalArgumentException("maxRequestBytes must be positive, got " + maxRequestBytes);
        }
    }
}
