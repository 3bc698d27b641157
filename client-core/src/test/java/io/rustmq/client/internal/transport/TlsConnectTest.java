package io.rustmq.client.internal.transport;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.TlsException;
import io.rustmq.client.protocol.FetchResponse;
import io.rustmq.client.protocol.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.rustmq.client.internal.transport.TransportTestSupport.config;
import static io.rustmq.client.internal.transport.TransportTestSupport.echoFetch;
import static io.rustmq.client.internal.transport.TransportTestSupport.failureOf;
import static io.rustmq.client.internal.transport.TransportTestSupport.fetch;
import static org.assertj.core.api.Assertions.assertThat;

/** Connecting with real certificates: trust, host names, insecure mode, mutual TLS, bad PEM files. */
class TlsConnectTest {
    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void certificates() {
        pki = TestPki.in(dir);
    }

    @Test
    void serverSignedByTheConfiguredCaIsTrustedAndServesRequests() throws Exception {
        try (TestQuicServer server = TestQuicServer.builder(pki.server).behaviour(TransportTestSupport::echoFetch)
                .start();
             QuicTransport transport = QuicTransport.create(config(pki).build());
             BrokerConnection c = transport.connect(server.localhost()).get(5, TimeUnit.SECONDS)) {
            Response r = c.send(fetch(42)).get(5, TimeUnit.SECONDS);
            assertThat(r).isInstanceOf(FetchResponse.class);
            assertThat(((FetchResponse) r).highWatermark()).isEqualTo(42);
            assertThat(c.isActive()).isTrue();
            assertThat(c.remoteAddress().getPort()).isEqualTo(server.address().getPort());
        }
    }

    @Test
    void serverSignedByAnUnrelatedCaIsRefusedAsNotTrusted() throws Exception {
        try (TestQuicServer server = TestQuicServer.builder(pki.otherServer).start();
             QuicTransport transport = QuicTransport.create(config(pki).build())) {
            Throwable e = failureOf(transport.connect(server.localhost()), 5);
            assertThat(e).isInstanceOf(TlsException.class).hasMessageContaining("server certificate not trusted");
            assertThat(((TlsException) e).isRetriable()).isFalse();
            assertThat(server.requestStreams()).isZero();
            assertThat(transport.verifier().pendingExpectations()).isZero();
        }
    }

    @Test
    void aRefusedServerCertificateEndsTheQuicConnectionWithAConnectionCloseTheServerSees() throws Exception {
        // The server's idle timeout is long: a connection the client abandons without CONNECTION_CLOSE would stay
        // open on the server for a minute, as a dead handshake stalls the RustMQ broker's accept loop.
        try (TestQuicServer server = TestQuicServer.builder(pki.otherServer).idleTimeoutMillis(60_000).start();
             QuicTransport transport = QuicTransport.create(config(pki).build())) {
            for (int i = 0; i < 5; i++) {
                assertThat(failureOf(transport.connect(server.localhost()), 10)).isInstanceOf(TlsException.class);
            }

            assertThat(server.handshakesStarted()).isEqualTo(5);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(server.connectionsEnded()).isEqualTo(5));
        }
    }

    @Test
    void certificateForAnotherHostNameIsRefused() throws Exception {
        ClientConfig cfg = config(pki).tls(TlsConfig.builder().caCert(pki.ca.certPem()).serverName("other.example")
                .build()).build();
        try (TestQuicServer server = TestQuicServer.builder(pki.server).start();
             QuicTransport transport = QuicTransport.create(cfg)) {
            Throwable e = failureOf(transport.connect(server.localhost()), 5);
            assertThat(e).isInstanceOf(TlsException.class)
                    .hasMessageContaining("host name 'other.example' does not match the certificate");
        }
    }

    @Test
    void insecureSkipVerifyAcceptsAnUntrustedServer() throws Exception {
        ClientConfig cfg = config(pki).tls(TlsConfig.builder().insecureSkipVerify(true).build()).build();
        try (TestQuicServer server = TestQuicServer.builder(pki.otherServer).behaviour(TransportTestSupport::echoFetch)
                .start();
             QuicTransport transport = QuicTransport.create(cfg);
             BrokerConnection c = transport.connect(server.localhost()).get(5, TimeUnit.SECONDS)) {
            assertThat(((FetchResponse) c.send(fetch(7)).get(5, TimeUnit.SECONDS)).highWatermark()).isEqualTo(7);
        }
    }

    @Test
    void serverRequiringAClientCertificateRefusesAClientWithoutOne() throws Exception {
        try (TestQuicServer server = TestQuicServer.builder(pki.server).requireClientCertificate(pki.ca.cert())
                .start();
             QuicTransport transport = QuicTransport.create(config(pki).build())) {
            Throwable e = failureOf(transport.connect(server.localhost()), 5);
            assertThat(e).isInstanceOf(TlsException.class).hasMessageContaining("requires a client certificate");
        }
    }

    @Test
    void serverRequiringAClientCertificateRefusesOneFromAnUnknownCa() throws Exception {
        ClientConfig cfg = config(pki).tls(TlsConfig.builder().caCert(pki.ca.certPem())
                .clientCert(pki.otherClient.certPem()).clientKey(pki.otherClient.keyPem()).build()).build();
        try (TestQuicServer server = TestQuicServer.builder(pki.server).requireClientCertificate(pki.ca.cert())
                .start();
             QuicTransport transport = QuicTransport.create(cfg)) {
            Throwable e = failureOf(transport.connect(server.localhost()), 5);
            assertThat(e).isInstanceOf(TlsException.class).hasMessageContaining("refused our client certificate");
        }
    }

    @Test
    void serverRequiringAClientCertificateAcceptsAValidOne() throws Exception {
        ClientConfig cfg = config(pki).tls(TlsConfig.builder().caCert(pki.ca.certPem())
                .clientCert(pki.client.certPem()).clientKey(pki.client.keyPem()).build()).build();
        try (TestQuicServer server = TestQuicServer.builder(pki.server).requireClientCertificate(pki.ca.cert())
                .behaviour(TransportTestSupport::echoFetch).start();
             QuicTransport transport = QuicTransport.create(cfg);
             BrokerConnection c = transport.connect(server.localhost()).get(5, TimeUnit.SECONDS)) {
            assertThat(((FetchResponse) c.send(fetch(9)).get(5, TimeUnit.SECONDS)).highWatermark()).isEqualTo(9);
        }
    }

    @Test
    void serverThatSilentlyDropsAHandshakeWithAnotherAlpnTimesOutNamingOurAlpnList() throws Exception {
        // A quinn broker answers with TLS alert 120 (mapped to a TlsException); Netty's QUIC server drops the
        // connection without a word, so all the client can do is time out with a hint.
        ClientConfig cfg = config(pki).connectTimeout(java.time.Duration.ofSeconds(1)).tls(TlsConfig.builder()
                .caCert(pki.ca.certPem()).alpn(java.util.List.of("not-rustmq")).build()).build();
        try (TestQuicServer server = TestQuicServer.builder(pki.server).start();
             QuicTransport transport = QuicTransport.create(cfg)) {
            Throwable e = failureOf(transport.connect(server.localhost()), 5);
            assertThat(e).isInstanceOf(io.rustmq.client.RequestTimeoutException.class)
                    .hasMessageContaining("ALPN protocols [not-rustmq]");
        }
    }

    @Test
    void clientCertificateWithAnRsaKeyIsAcceptedToo() throws Exception {
        ClientConfig cfg = config(pki).tls(TlsConfig.builder().caCert(pki.ca.certPem())
                .clientCert(pki.rsaClient.certPem()).clientKey(pki.rsaClient.keyPem()).build()).build();
        try (TestQuicServer server = TestQuicServer.builder(pki.server).requireClientCertificate(pki.ca.cert())
                .behaviour(TransportTestSupport::echoFetch).start();
             QuicTransport transport = QuicTransport.create(cfg);
             BrokerConnection c = transport.connect(server.localhost()).get(5, TimeUnit.SECONDS)) {
            assertThat(((FetchResponse) c.send(fetch(4)).get(5, TimeUnit.SECONDS)).highWatermark()).isEqualTo(4);
        }
    }

    @Test
    void caFileWithSeveralCertificatesTrustsEachOfThem() throws Exception {
        Path both = dir.resolve("both-cas.pem");
        Files.writeString(both, Files.readString(pki.otherCa.certPem()) + Files.readString(pki.ca.certPem()));
        assertThat(TlsContexts.readCertificates("tls.caCert", both)).hasSize(2);
        ClientConfig cfg = config(pki).tls(TlsConfig.builder().caCert(both).build()).build();
        try (TestQuicServer server = TestQuicServer.builder(pki.otherServer).start();
             QuicTransport transport = QuicTransport.create(cfg);
             BrokerConnection c = transport.connect(server.localhost()).get(5, TimeUnit.SECONDS)) {
            assertThat(c.isActive()).isTrue();
        }
    }
}
