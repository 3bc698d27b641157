package io.rustmq.it.jakarta;

import io.rustmq.broker.EmbeddedBroker;
import io.rustmq.broker.tls.Certificates;
import io.rustmq.broker.tls.CertifiedKey;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.TlsConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The embedded broker the servers talk to, in the test JVM on 127.0.0.1 at the port the build reserved
 * ({@code rustmq.broker.port}) with a certificate kept in {@code rustmq.tls.dir}, so that it can be stopped and
 * started again at the same address with the same certificate while the servers keep their configuration.
 */
public final class TestBroker {
    private final int port;
    private final Path cert;
    private final Path key;
    private final Map<String, Integer> topics;
    private EmbeddedBroker broker;

    /**
     * Prepares the broker and writes its certificate if the directory has none.
     *
     * @param topics topics to create with their partition counts (others are created on demand)
     */
    public TestBroker(Map<String, Integer> topics) {
        this.port = Integer.getInteger("rustmq.broker.port", 0);
        Path dir = Path.of(System.getProperty("rustmq.tls.dir", "target/rustmq-tls"));
        this.cert = dir.resolve("broker-cert.pem");
        this.key = dir.resolve("broker-key.pem");
        this.topics = topics;
        try {
            if (!Files.exists(cert) || !Files.exists(key)) {
                Files.createDirectories(dir);
                CertifiedKey k = Certificates.selfSignedServer(java.util.List.of());
                k.writeCertificatePem(cert);
                k.writePrivateKeyPem(key);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts (or starts again) the broker at the same address, with the topics created.
     *
     * @return this
     */
    public synchronized TestBroker start() {
        EmbeddedBroker.Builder b = EmbeddedBroker.builder().host("127.0.0.1").port(port).certificate(cert, key)
                .autoCreateTopics(true);
        topics.forEach(b::topic);
        broker = b.build().start();
        return this;
    }

    /** Stops the broker (its data is lost). */
    public synchronized void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /**
     * The address the servers use.
     *
     * @return {@code 127.0.0.1:port}
     */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /**
     * The broker certificate the clients trust.
     *
     * @return the PEM file
     */
    public Path certificate() {
        return cert;
    }

    /**
     * A client configuration for the test JVM's own clients.
     *
     * @return the configuration
     */
    public ClientConfig clientConfig() {
        return ClientConfig.builder().brokers(bootstrap()).requestTimeout(Duration.ofSeconds(10))
                .tls(TlsConfig.builder().caCert(cert).build()).build();
    }
}
