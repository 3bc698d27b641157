package io.rustmq.client.internal.transport;

import io.rustmq.broker.EmbeddedBroker;
import io.rustmq.broker.tls.CertifiedKey;
import io.rustmq.broker.tls.Certificates;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.RustMQException;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.TlsException;
import io.rustmq.client.producer.Producer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS fails closed: each way a broker can be the wrong one (host name, expiry, an untrusted CA) and a client
 * certificate from another CA are refused with a {@link TlsException} that says why; {@code insecureSkipVerify} warns
 * once per client; and no secret (PEM bodies, private-key contents) reaches the logs, a {@code toString()} or an
 * exception message, checked by capturing every log record of a full mutual-TLS run.
 */
class TlsFailClosedIT {
    @TempDir
    Path dir;

    private final List<LogRecord> logs = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logs.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger rustmqLogger = Logger.getLogger("io.rustmq");
    private final Logger root = Logger.getLogger("");
    private Level rustmqLevel;

    @BeforeEach
    void captureLogs() {
        rustmqLevel = rustmqLogger.getLevel();
        rustmqLogger.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        root.removeHandler(capture);
        rustmqLogger.setLevel(rustmqLevel);
    }

    private static ClientConfig.Builder client(EmbeddedBroker broker, TlsConfig tls) {
        return ClientConfig.builder().brokers(broker.bootstrap()).tls(tls).connectTimeout(Duration.ofSeconds(10))
                .requestTimeout(Duration.ofSeconds(10));
    }

    private static long sendOne(ClientConfig config) {
        try (RustMQClient c = RustMQClient.create(config); Producer p = c.createProducer("tls")) {
            return p.send(Message.builder().payload("over tls").build()).offset();
        }
    }

    private EmbeddedBroker broker(CertifiedKey server, String name, Path clientCa) throws Exception {
        EmbeddedBroker.Builder b = EmbeddedBroker.builder().port(0).autoCreateTopics(true)
                .certificate(server.writeCertificatePem(dir.resolve(name + ".pem")),
                        server.writePrivateKeyPem(dir.resolve(name + ".key")));
        if (clientCa != null) {
            b.clientCa(clientCa);
        }
        return b.build().start();
    }

    @Test
    void aCertificateForAnotherHostIsRefusedNamingTheHost() throws Exception {
        CertifiedKey ca = Certificates.certificateAuthority("ca");
        Path caPem = ca.writeCertificatePem(dir.resolve("ca.pem"));
        try (EmbeddedBroker broker = broker(Certificates.issueServer(ca, "other", List.of("other.example")),
                "other", null)) {
            assertThatThrownBy(() -> sendOne(client(broker, TlsConfig.builder().caCert(caPem).build()).build()))
                    .isInstanceOf(TlsException.class).hasMessageContaining("does not match")
                    .satisfies(e -> assertThat(((RustMQException) e).isRetriable()).isFalse());
        }
    }

    @Test
    void anExpiredCertificateIsRefusedSayingSo() throws Exception {
        CertifiedKey ca = Certificates.certificateAuthority("ca");
        Path caPem = ca.writeCertificatePem(dir.resolve("ca.pem"));
        Instant now = Instant.now();
        CertifiedKey expired = Certificates.issueServer(ca, "localhost", List.of("localhost", "127.0.0.1"),
                now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        try (EmbeddedBroker broker = broker(expired, "expired", null)) {
            assertThatThrownBy(() -> sendOne(client(broker, TlsConfig.builder().caCert(caPem).build()).build()))
                    .isInstanceOf(TlsException.class).hasMessageContaining("expired");
        }
    }

    @Test
    void aCertificateFromAnUntrustedCaIsRefusedSayingSo() throws Exception {
        CertifiedKey trusted = Certificates.certificateAuthority("trusted");
        CertifiedKey other = Certificates.certificateAuthority("other");
        Path caPem = trusted.writeCertificatePem(dir.resolve("ca.pem"));
        try (EmbeddedBroker broker = broker(Certificates.issueServer(other, "localhost",
                List.of("localhost", "127.0.0.1")), "untrusted", null)) {
            assertThatThrownBy(() -> sendOne(client(broker, TlsConfig.builder().caCert(caPem).build()).build()))
                    .isInstanceOf(TlsException.class).hasMessageContaining("not trusted");
        }
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefusedByTheBrokerAndTheClientSaysWhy() throws Exception {
        CertifiedKey ca = Certificates.certificateAuthority("ca");
        Path caPem = ca.writeCertificatePem(dir.resolve("ca.pem"));
        CertifiedKey stranger = Certificates.issueClient(Certificates.certificateAuthority("other"), "stranger");
        try (EmbeddedBroker broker = broker(Certificates.issueServer(ca, "localhost",
                List.of("localhost", "127.0.0.1")), "mtls", caPem)) {
            TlsConfig tls = TlsConfig.builder().caCert(caPem)
                    .clientCert(stranger.writeCertificatePem(dir.resolve("stranger.pem")))
                    .clientKey(stranger.writePrivateKeyPem(dir.resolve("stranger.key"))).build();
            assertThatThrownBy(() -> sendOne(client(broker, tls).build()))
                    .isInstanceOf(TlsException.class).hasMessageContaining("certificate");
        }
    }

    @Test
    void insecureSkipVerifyWarnsOncePerClient() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).autoCreateTopics(true).build().start()) {
            TlsConfig insecure = TlsConfig.builder().insecureSkipVerify(true).build();
            sendOne(client(broker, insecure).build());
            assertThat(warningsAbout("insecureSkipVerify")).isEqualTo(1);
            sendOne(client(broker, insecure).build());
            assertThat(warningsAbout("insecureSkipVerify")).isEqualTo(2);
        }
    }

    private long warningsAbout(String text) {
        return logs.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .filter(r -> String.valueOf(r.getMessage()).contains(text)).count();
    }

    @Test
    void noSecretReachesLogsToStringOrExceptionMessagesInAFullMutualTlsRun() throws Exception {
        CertifiedKey ca = Certificates.certificateAuthority("ca");
        Path caPem = ca.writeCertificatePem(dir.resolve("ca.pem"));
        CertifiedKey clientKey = Certificates.issueClient(ca, "client");
        Path certPem = clientKey.writeCertificatePem(dir.resolve("client.pem"));
        Path keyPem = clientKey.writePrivateKeyPem(dir.resolve("client.key"));
        CertifiedKey serverKey = Certificates.issueServer(ca, "localhost", List.of("localhost", "127.0.0.1"));
        List<String> seen = new ArrayList<>();
        try (EmbeddedBroker broker = broker(serverKey, "server", caPem)) {
            TlsConfig tls = TlsConfig.builder().caCert(caPem).clientCert(certPem).clientKey(keyPem).build();
            ClientConfig config = client(broker, tls).build();
            seen.add(tls.toString());
            seen.add(config.toString());
            assertThat(sendOne(config)).isZero();
            // failures too: a wrong host name, and a key file that does not match the certificate
            try {
                sendOne(client(broker, TlsConfig.builder().caCert(caPem).clientCert(certPem).clientKey(keyPem)
                        .serverName("wrong.example").build()).build());
            } catch (RustMQException e) {
                seen.add(stackTrace(e));
            }
            Path otherKey = Certificates.issueClient(ca, "x").writePrivateKeyPem(dir.resolve("other.key"));
            try {
                sendOne(client(broker, TlsConfig.builder().caCert(caPem).clientCert(certPem).clientKey(otherKey)
                        .build()).build());
            } catch (RuntimeException e) {
                seen.add(stackTrace(e));
            }
        }
        for (LogRecord r : logs) {
            seen.add(r.getMessage() + " " + java.util.Arrays.toString(r.getParameters()));
            if (r.getThrown() != null) {
                seen.add(stackTrace(r.getThrown()));
            }
        }
        assertThat(logs).as("the run was logged at all levels").isNotEmpty();
        List<String> secrets = new ArrayList<>();
        for (Path pem : List.of(keyPem, certPem, caPem, dir.resolve("server.key"), dir.resolve("other.key"))) {
            for (String line : Files.readAllLines(pem)) {
                if (!line.startsWith("-----") && line.length() >= 32) {
                    secrets.add(line.substring(0, 32));
                }
            }
        }
        assertThat(secrets).isNotEmpty();
        for (String text : seen) {
            assertThat(text).doesNotContain("PRIVATE KEY").doesNotContain("-----BEGIN");
            for (String secret : secrets) {
                assertThat(text).as("no PEM body in: %s", text).doesNotContain(secret);
            }
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
