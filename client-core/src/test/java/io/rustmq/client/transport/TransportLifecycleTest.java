package io.rustmq.client.transport;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.ConfigurationException;
import io.rustmq.client.ConnectionException;
import io.rustmq.client.RequestTimeoutException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.protocol.FetchResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.rustmq.client.transport.TransportTestSupport.config;
import static io.rustmq.client.transport.TransportTestSupport.failureOf;
import static io.rustmq.client.transport.TransportTestSupport.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Connecting to nothing, keep-alive, closing, and TLS files that cannot be used. */
class TransportLifecycleTest {
    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void certificates() {
        pki = TestPki.in(dir);
    }

    @Test
    void connectingToAPortWhereNothingListensFailsFastWithAConnectionException() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ClientConfig cfg = config(pki).connectTimeout(Duration.ofSeconds(2)).build();
        try (QuicTransport transport = QuicTransport.create(cfg)) {
            long start = System.nanoTime();
            Throwable e = failureOf(transport.connect(new InetSocketAddress("127.0.0.1", port)), 5);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(e).isInstanceOf(ConnectionException.class).hasMessageContaining("ICMP port unreachable");
            assertThat(((RustMQException) e).isRetriable()).isTrue();
            assertThat(ms).isLessThan(2000);
            assertThat(transport.stats().errors()).isEqualTo(1);
            assertThat(transport.connectionCount()).isZero();
        }
    }

    @Test
    void connectingToAPortThatSwallowsPacketsTimesOutAfterTheConnectTimeout() throws Exception {
        ClientConfig cfg = config(pki).connectTimeout(Duration.ofMillis(700)).build();
        try (DatagramSocket blackHole = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             QuicTransport transport = QuicTransport.create(cfg)) {
            long start = System.nanoTime();
            Throwable e = failureOf(transport.connect(new InetSocketAddress("127.0.0.1", blackHole.getLocalPort())),
                    5);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(e).isInstanceOf(RequestTimeoutException.class).hasMessageContaining("within 700 ms");
            assertThat(ms).isBetween(650L, 2500L);
        }
    }

    @Test
    void closingTheTransportWhileConnectingFailsTheConnectPromptly() throws Exception {
        ClientConfig cfg = config(pki).connectTimeout(Duration.ofSeconds(10)).build();
        try (DatagramSocket blackHole = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            QuicTransport transport = QuicTransport.create(cfg);
            CompletableFuture<BrokerConnection> connecting =
                    transport.connect(new InetSocketAddress("127.0.0.1", blackHole.getLocalPort()));
            Thread.sleep(100);
            long start = System.nanoTime();
            transport.close();

            Throwable e = failureOf(connecting, 5);
            assertThat(e).isInstanceOf(ConnectionException.class).hasMessageContaining("closed");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
            assertThat(transport.verifier().pendingExpectations()).isZero();
        }
    }

    @Test
    void unknownHostFailsWithAConnectionException() throws Exception {
        try (QuicTransport transport = QuicTransport.create(config(pki).build())) {
            Throwable e = failureOf(transport.connect(InetSocketAddress.createUnresolved("no-such-host.invalid",
                    9092)), 10);
            assertThat(e).isInstanceOf(ConnectionException.class).hasMessageContaining("no-such-host.invalid");
        }
    }

    @Test
    void dialledIpAddressIsVerifiedAgainstTheCertificatesIpEntry() throws Exception {
        try (TestQuicServer server = TestQuicServer.builder(pki.server).behaviour(TransportTestSupport::echoFetch)
                .start();
             QuicTransport transport = QuicTransport.create(config(pki).build());
             BrokerConnection c = transport.connect(server.address()).get(5, TimeUnit.SECONDS)) {
            assertThat(((FetchResponse) c.send(fetch(3)).get(5, TimeUnit.SECONDS)).highWatermark()).isEqualTo(3);
        }
    }

    @Test
    void idleConnectionOutlivesTheBrokersIdleTimeoutThanksToKeepAlives() throws Exception {
        // The broker allows 600 ms of silence; the client's keepAliveInterval (30 s default) is bounded by it.
        try (TestQuicServer server = TestQuicServer.builder(pki.server).idleTimeoutMillis(600)
                .behaviour(TransportTestSupport::echoFetch).start();
             QuicTransport transport = QuicTransport.create(config(pki).build());
             BrokerConnection c = transport.connect(server.localhost()).get(5, TimeUnit.SECONDS)) {
            int emptyAfterConnect = server.emptyStreams();
            Thread.sleep(1800);

            assertThat(c.isActive()).isTrue();
            assertThat(server.emptyStreams()).isGreaterThan(emptyAfterConnect);
            assertThat(server.connections()).isEqualTo(1);
            assertThat(((FetchResponse) c.send(fetch(11)).get(5, TimeUnit.SECONDS)).highWatermark()).isEqualTo(11);
            assertThat(transport.stats().requestsSent()).isEqualTo(1);
        }
    }

    @Test
    void brokerThatDisappearsEndsTheConnectionAndItsRequestsWithAConnectionException() throws Exception {
        TestQuicServer server = TestQuicServer.builder(pki.server).idleTimeoutMillis(600)
                .behaviour((req, stream) -> { }).start();
        try (server;
             QuicTransport transport = QuicTransport.create(config(pki).requestTimeout(Duration.ofSeconds(20))
                     .build());
             BrokerConnection c = transport.connect(server.localhost()).get(5, TimeUnit.SECONDS)) {
            CompletableFuture<?> pending = c.send(fetch(1));
            CompletableFuture<Void> closed = c.closeFuture();
            Thread.sleep(100);
            long start = System.nanoTime();
            server.close();

            Throwable e = failureOf(pending, 10);
            Throwable whyClosed = failureOf(closed, 1);
            assertThat(e).isInstanceOf(ConnectionException.class).hasMessageContaining("timed out");
            assertThat(whyClosed).isInstanceOf(ConnectionException.class).hasMessageContaining("timed out");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
            assertThat(c.isActive()).isFalse();
            assertThat(transport.stats().activeConnections()).isZero();
        }
    }

    @Test
    void closingTheTransportFailsRequestsInFlightAndStopsItsThreads() throws Exception {
        try (TestQuicServer server = TestQuicServer.builder(pki.server).behaviour((req, stream) -> { }).start()) {
            QuicTransport transport = QuicTransport.create(config(pki).build());
            BrokerConnection c = transport.connect(server.localhost()).get(5, TimeUnit.SECONDS);
            CompletableFuture<?> pending = c.send(fetch(1));
            assertThat(threadsNamed("rustmq-quic-")).isPositive();

            long start = System.nanoTime();
            transport.close();

            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
            Throwable e = failureOf(pending, 1);
            assertThat(e).isInstanceOf(ConnectionException.class);
            assertThat(c.isActive()).isFalse();
            assertThat(c.closeFuture().get(1, TimeUnit.SECONDS)).isNull();
            assertThat(transport.stats().activeConnections()).isZero();
            Throwable after = failureOf(transport.connect(server.localhost()), 1);
            assertThat(after).isInstanceOf(ConnectionException.class).hasMessageContaining("closed");
            Thread.sleep(200);
            assertThat(threadsNamed("rustmq-quic-")).isZero();
        }
    }

    @Test
    void unreadableOrMalformedTlsFilesAreRejectedNamingTheField() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate", StandardCharsets.US_ASCII);
        ClientConfig badCa = config(pki).tls(TlsConfig.builder().caCert(garbage).build()).build();
        assertThatThrownBy(() -> QuicTransport.create(badCa)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("tls.caCert");

        Path pkcs1 = Files.writeString(dir.resolve("pkcs1.key"),
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
        ClientConfig badKey = config(pki).tls(TlsConfig.builder().caCert(pki.ca.certPem())
                .clientCert(pki.client.certPem()).clientKey(pkcs1).build()).build();
        assertThatThrownBy(() -> QuicTransport.create(badKey)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("tls.clientKey").hasMessageContaining("PKCS#8");

        ClientConfig mismatch = config(pki).tls(TlsConfig.builder().caCert(pki.ca.certPem())
                .clientCert(pki.client.certPem()).clientKey(pki.server.keyPem()).build()).build();
        assertThatThrownBy(() -> QuicTransport.create(mismatch)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("tls.clientKey").hasMessageContaining("does not match");
    }

    private static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }
}
