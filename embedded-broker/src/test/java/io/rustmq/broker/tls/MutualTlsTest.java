package io.rustmq.broker.tls;

import io.rustmq.broker.EmbeddedBroker;
import io.rustmq.broker.network.QuicTestClient;
import io.rustmq.client.protocol.MetadataRequest;
import io.rustmq.client.protocol.MetadataResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A broker with {@code clientCa} requires and verifies client certificates (real mutual TLS). */
class MutualTlsTest {
    @TempDir
    static Path dir;
    static CertifiedKey ca;
    static EmbeddedBroker broker;

    @BeforeAll
    static void start() throws Exception {
        ca = Certificates.certificateAuthority("rustmq-test-ca");
        CertifiedKey server = Certificates.issueServer(ca, "localhost", List.of("localhost", "127.0.0.1"));
        Path caPem = ca.writeCertificatePem(dir.resolve("ca.pem"));
        broker = EmbeddedBroker.builder().port(0)
                .certificate(server.writeCertificatePem(dir.resolve("server.pem")),
                        server.writePrivateKeyPem(dir.resolve("server-key.pem")))
                .clientCa(caPem)
                .build().start();
        assertThat(broker.certificatePem()).isEqualTo(dir.resolve("server.pem"));
        assertThat(broker.fingerprintSha256()).isEqualTo(server.fingerprintSha256());
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    static void metadata(CertifiedKey clientKey) throws Exception {
        try (QuicTestClient c = QuicTestClient.connect(broker.address(), dir.resolve("ca.pem"), clientKey)) {
            assertThat(c.request(new MetadataRequest(List.of()))).isInstanceOf(MetadataResponse.class);
        }
    }

    @Test
    void aClientWithoutACertificateIsRefused() {
        assertThatThrownBy(() -> metadata(null)).isInstanceOf(Exception.class);
    }

    @Test
    void aClientWithACertificateFromAnotherCaIsRefused() {
        CertifiedKey stranger = Certificates.issueClient(Certificates.certificateAuthority("other-ca"), "client");
        assertThatThrownBy(() -> metadata(stranger)).isInstanceOf(Exception.class);
    }

    @Test
    void aClientWithAValidCertificateIsServed() throws Exception {
        metadata(Certificates.issueClient(ca, "client-1"));
    }
}
