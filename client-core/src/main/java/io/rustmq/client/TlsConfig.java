package io.rustmq.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * TLS settings for the QUIC connection. By default the broker's certificate is verified against the JDK trust store
 * and the host name that was dialled; {@code caCert} trusts a PEM CA instead, {@code serverName} checks (and sends as
 * SNI) another name, {@code insecureSkipVerify} turns verification off (development only), and {@code clientCert} +
 * {@code clientKey} present a client certificate (mTLS). Immutable.
 */
public final class TlsConfig {
    /** The ALPN protocol the RustMQ broker's secure server selects. */
    public static final String DEFAULT_ALPN = "rustmq";

    private final Path caCert;
    private final Path clientCert;
    private final Path clientKey;
    private final String serverName;
    private final boolean insecureSkipVerify;
    private final List<String> alpn;

    private TlsConfig(Builder b) {
        this.caCert = readable("tls.caCert", b.caCert);
        this.clientCert = readable("tls.clientCert", b.clientCert);
        this.clientKey = readable("tls.clientKey", b.clientKey);
        if ((clientCert == null) != (clientKey == null)) {
            throw new ConfigurationException(clientCert == null ? "tls.clientCert" : "tls.clientKey", null,
                    "tls.clientCert and tls.clientKey must be set together");
        }
        if (b.serverName != null && b.serverName.isBlank()) {
            throw new ConfigurationException("tls.serverName", b.serverName, "must not be blank when set");
        }
        this.serverName = b.serverName;
        this.insecureSkipVerify = b.insecureSkipVerify;
        if (b.alpn == null || b.alpn.isEmpty()) {
            throw new ConfigurationException("tls.alpn", b.alpn, "must name at least one protocol (QUIC requires ALPN)");
        }
        for (String p : b.alpn) {
            if (p == null || p.isEmpty() || p.length() > 255) {
                throw new ConfigurationException("tls.alpn", b.alpn, "each protocol must be 1 to 255 characters");
            }
        }
        this.alpn = List.copyOf(b.alpn);
    }

    private static Path readable(String field, Path p) {
        if (p != null && !Files.isReadable(p)) {
            throw new ConfigurationException(field, p, "file does not exist or is not readable");
        }
        return p;
    }

    /**
     * The default: verify the broker against the JDK trust store and the dialled host name, ALPN {@code rustmq}.
     *
     * @return the default configuration
     */
    public static TlsConfig defaults() {
        return builder().build();
    }

    /**
     * A builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The PEM file of CA certificates to trust, or {@code null} for the JDK trust store.
     *
     * @return the path or null
     */
    public Path caCert() {
        return caCert;
    }

    /**
     * The PEM client certificate chain for mTLS, or {@code null}.
     *
     * @return the path or null
     */
    public Path clientCert() {
        return clientCert;
    }

    /**
     * The PEM (PKCS#8) private key of the client certificate, or {@code null}.
     *
     * @return the path or null
     */
    public Path clientKey() {
        return clientKey;
    }

    /**
     * The host name to verify and send as SNI instead of the dialled host, or {@code null}.
     *
     * @return the name or null
     */
    public String serverName() {
        return serverName;
    }

    /**
     * Whether server-certificate verification is off. Never use in production.
     *
     * @return {@code true} if any certificate is accepted
     */
    public boolean insecureSkipVerify() {
        return insecureSkipVerify;
    }

    /**
     * The ALPN protocols offered, in preference order.
     *
     * @return an immutable, non-empty list
     */
    public List<String> alpn() {
        return alpn;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsConfig t && Objects.equals(caCert, t.caCert) && Objects.equals(clientCert, t.clientCert)
                && Objects.equals(clientKey, t.clientKey) && Objects.equals(serverName, t.serverName)
                && insecureSkipVerify == t.insecureSkipVerify && alpn.equals(t.alpn);
    }

    @Override
    public int hashCode() {
        return Objects.hash(caCert, clientCert, clientKey, serverName, insecureSkipVerify, alpn);
    }

    @Override
    public String toString() {
        return "TlsConfig{caCert=" + caCert + ", clientCert=" + clientCert + ", clientKey=" + (clientKey == null
                ? null : "<set>") + ", serverName=" + serverName + ", insecureSkipVerify=" + insecureSkipVerify
                + ", alpn=" + alpn + "}";
    }

    /** Builds a {@link TlsConfig}; {@link #build()} validates every field and checks that files are readable. */
    public static final class Builder {
        private Path caCert;
        private Path clientCert;
        private Path clientKey;
        private String serverName;
        private boolean insecureSkipVerify;
        private List<String> alpn = List.of(DEFAULT_ALPN);

        private Builder() {
        }

        /**
         * Trusts the CA certificates in a PEM file instead of the JDK trust store.
         *
         * @param caCert a readable PEM file
         * @return this builder
         */
        public Builder caCert(Path caCert) {
            this.caCert = caCert;
            return this;
        }

        /**
         * Presents a client certificate (mTLS); set together with {@link #clientKey(Path)}.
         *
         * @param clientCert a readable PEM certificate chain
         * @return this builder
         */
        public Builder clientCert(Path clientCert) {
            this.clientCert = clientCert;
            return this;
        }

        /**
         * The private key of the client certificate.
         *
         * @param clientKey a readable PEM PKCS#8 key
         * @return this builder
         */
        public Builder clientKey(Path clientKey) {
            this.clientKey = clientKey;
            return this;
        }

        /**
         * Verifies the broker certificate against this name (and sends it as SNI) instead of the dialled host.
         *
         * @param serverName a DNS name or IP address
         * @return this builder
         */
        public Builder serverName(String serverName) {
            this.serverName = serverName;
            return this;
        }

        /**
         * Turns server-certificate verification off. For development against self-signed brokers only.
         *
         * @param insecureSkipVerify whether to accept any certificate (default false)
         * @return this builder
         */
        public Builder insecureSkipVerify(boolean insecureSkipVerify) {
            this.insecureSkipVerify = insecureSkipVerify;
            return this;
        }

        /**
         * Sets the ALPN protocols offered.
         *
         * @param alpn one or more protocol names (default {@code rustmq})
         * @return this builder
         */
        public Builder alpn(List<String> alpn) {
            this.alpn = alpn;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the configuration
         * @throws ConfigurationException naming the first invalid field
         */
        public TlsConfig build() {
            return new TlsConfig(this);
        }
    }
}
