package io.rustmq.client.internal.transport;

import io.rustmq.broker.EmbeddedBroker;
import io.rustmq.broker.tls.CertifiedKey;
import io.rustmq.broker.tls.Certificates;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.RustMQException;
import io.rustmq.client.SendResult;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.TlsException;
import io.rustmq.client.producer.Producer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TLS between the client and the embedded broker, with certificates made in the test. */
class BrokerTlsIT {
    @TempDir
    Path dir;

    private static ClientConfig.Builder client(EmbeddedBroker broker, TlsConfig tls) {
        return ClientConfig.builder().brokers(broker.bootstrap()).tls(tls).connectTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(5));
    }

    private static SendResult sendOne(ClientConfig config) {
        try (RustMQClient c = RustMQClient.create(config); Producer p = c.createProducer("tls")) {
            return p.send(Message.builder().payload("over tls").build());
        }
    }

    @Test
    void aClientTrustingTheBrokersCertificatePassesAndTheJdkTrustStoreRefusesIt() {
        try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).autoCreateTopics(true).build().start()) {
            TlsConfig trusted = TlsConfig.builder().caCert(broker.certificatePem()).serverName("localhost").build();
            assertThat(sendOne(client(broker, trusted).build()).offset()).isZero();
            assertThatThrownBy(() -> sendOne(client(broker, TlsConfig.defaults()).build()))
                    .isInstanceOf(TlsException.class)
                    .hasMessageContaining("not trusted");
            TlsConfig insecure = TlsConfig.builder().insecureSkipVerify(true).build();
            assertThat(sendOne(client(broker, insecure).build()).offset()).isEqualTo(1);
        }
    }

    @Test
    void aBrokerThatRequiresClientCertificatesRefusesAClientWithoutOneAndAcceptsAValidOne() throws Exception {
        CertifiedKey ca = Certificates.certificateAuthority("it-ca");
        CertifiedKey server = Certificates.issueServer(ca, "localhost", List.of("localhost", "127.0.0.1"));
        CertifiedKey clientCert = Certificates.issueClient(ca, "it-client");
        CertifiedKey stranger = Certificates.issueClient(Certificates.certificateAuthority("other-ca"), "stranger");
        Path caPem = ca.writeCertificatePem(dir.resolve("ca.pem"));
        try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).autoCreateTopics(true)
                .certificate(server.writeCertificatePem(dir.resolve("server.pem")),
                        server.writePrivateKeyPem(dir.resolve("server.key")))
                .clientCa(caPem).build().start()) {
            TlsConfig noCert = TlsConfig.builder().caCert(caPem).build();
            assertThatThrownBy(() -> sendOne(client(broker, noCert).build()))
                    .isInstanceOf(RustMQException.class)
                    .hasMessageContaining("certificate");
            TlsConfig wrongCert = TlsConfig.builder().caCert(caPem)
                    .clientCert(stranger.writeCertificatePem(dir.resolve("stranger.pem")))
                    .clientKey(stranger.writePrivateKeyPem(dir.resolve("stranger.key"))).build();
            assertThatThrownBy(() -> sendOne(client(broker, wrongCert).build()))
                    .isInstanceOf(RustMQException.class);
            TlsConfig valid = TlsConfig.builder().caCert(caPem)
                    .clientCert(clientCert.writeCertificatePem(dir.resolve("client.pem")))
                    .clientKey(clientCert.writePrivateKeyPem(dir.resolve("client.key"))).build();
            assertThat(sendOne(client(broker, valid).build()).offset()).isZero();
        }
    }

    @Test
    void afterFiveRefusedHandshakesAGoodClientConnectsToTheSameBrokerAtOnce() {
        try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).autoCreateTopics(true).build().start()) {
            for (int i = 0; i < 5; i++) {
                // The JDK trust store does not trust the broker's self-signed certificate: the client refuses it,
                // and health checks say so as a non-retriable TlsException (not as a timeout).
                try (ConnectionPool refused = ConnectionPool.create(client(broker, TlsConfig.defaults()).build())) {
                    assertThatThrownBy(() -> refused.healthCheck().join())
                            .cause().isInstanceOf(TlsException.class).hasMessageContaining("not trusted")
                            .satisfies(e -> assertThat(((TlsException) e).isRetriable()).isFalse());
                }
            }
            TlsConfig trusted = TlsConfig.builder().caCert(broker.certificatePem()).serverName("localhost").build();
            // Within the 5 s connect timeout: a broker still waiting on the dead handshakes would not answer.
            try (ConnectionPool good = ConnectionPool.create(client(broker, trusted).build())) {
                assertThat(good.healthCheck().join().status())
                        .isEqualTo(io.rustmq.client.HealthCheckResult.Status.HEALTHY);
            }
        }
    }
}
