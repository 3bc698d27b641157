package io.rustmq.client.internal.transport;

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

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static io.rustmq.client.internal.transport.TransportTestSupport.config;
import static io.rustmq.client.internal.transport.TransportTestSupport.failureOf;
import static io.rustmq.client.internal.transport.TransportTestSupport.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Connecting to nothing, keep-alive, closing, threads, and TLS files that cannot be used. No test sleeps or asserts
 * an upper bound on time: each waits on a condition or counter with a generous limit, and "promptly" is shown by a
 * configured timeout far longer than that limit.
 */
class TransportLifecycleTest {
    /** The most any step below waits for its condition; long, so that a loaded machine cannot fail a test. */
    private static final int WAIT_SECONDS = 30;

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
        // A connect timeout longer than the wait: the failure can only come from the ICMP error, not the timer.
        ClientConfig cfg = config(pki).connectTimeout(Duration.ofMinutes(5)).build();
        try (QuicTransport transport = QuicTransport.create(cfg)) {
            Throwable e = failureOf(transport.connect(new InetSocketAddress("127.0.0.1", port)), WAIT_SECONDS);

            assertThat(e).isInstanceOf(ConnectionException.class).hasMessageContaining("ICMP port unreachable");
            assertThat(((RustMQException) e).isRetriable()).isTrue();
            assertThat(transport.stats().errors()).isEqualTo(1);
            // the failed connection is released on the event loop, just after its future failed
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(WAIT_SECONDS))
                    .until(() -> transport.connectionCount() == 0);
        }
    }

    @Test
    void connectingToAPortThatSwallowsPacketsTimesOutAfterTheConnectTimeout() throws Exception {
        ClientConfig cfg = config(pki).connectTimeout(Duration.ofMillis(700)).build();
        try (DatagramSocket blackHole = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             QuicTransport transport = QuicTransport.create(cfg)) {
            long start = System.nanoTime();
            Throwable e = failureOf(transport.connect(new InetSocketAddress("127.0.0.1", blackHole.getLocalPort())),
                    WAIT_SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(e).isInstanceOf(RequestTimeoutException.class).hasMessageContaining("within 700 ms");
            assertThat(ms).as("not before the connect timeout").isGreaterThanOrEqualTo(650L);
        }
    }

    @Test
    void closingTheTransportWhileConnectingFailsTheConnectPromptly() throws Exception {
        // The connect timeout is far longer than the wait, so only the close can end the connect in time.
        ClientConfig cfg = config(pki).connectTimeout(Duration.ofMinutes(5)).build();
        try (DatagramSocket blackHole = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            QuicTransport transport = QuicTransport.create(cfg);
            CompletableFuture<BrokerConnection> connecting =
                    transport.connect(new InetSocketAddress("127.0.0.1", blackHole.getLocalPort()));
            // The handshake is under way once its first packet has arrived.
            blackHole.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            blackHole.receive(new DatagramPacket(new byte[2048], 2048));
            transport.close();

            Throwable e = failureOf(connecting, WAIT_SECONDS);
            assertThat(e).isInstanceOf(ConnectionException.class).hasMessageContaining("closed");
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
            // Keep-alives go out only after at least 300 ms without traffic (half the 600 ms idle timeout), so four
            // of them span more than twice the broker's idle timeout.
            await().atMost(Duration.ofSeconds(WAIT_SECONDS))
                    .until(() -> server.emptyStreams() >= emptyAfterConnect + 4 || !c.isActive());

            assertThat(c.isActive()).isTrue();
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
            await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> server.requestStreams() == 1);
            server.close();

            // Ended by the 600 ms QUIC idle timeout, well before the 20 s request timeout.
            Throwable e = failureOf(pending, WAIT_SECONDS);
            Throwable whyClosed = failureOf(closed, WAIT_SECONDS);
            assertThat(e).isInstanceOf(ConnectionException.class).hasMessageContaining("timed out");
            assertThat(whyClosed).isInstanceOf(ConnectionException.class).hasMessageContaining("timed out");
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

            transport.close();

            Throwable e = failureOf(pending, WAIT_SECONDS);
            assertThat(e).isInstanceOf(ConnectionException.class);
            assertThat(c.isActive()).isFalse();
            assertThat(c.closeFuture().get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
            assertThat(transport.stats().activeConnections()).isZero();
            Throwable after = failureOf(transport.connect(server.localhost()), WAIT_SECONDS);
            assertThat(after).isInstanceOf(ConnectionException.class).hasMessageContaining("closed");
            await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> threadsNamed("rustmq-quic-") == 0);
        }
    }

    @Test
    void everyThreadOfThePoolAndItsTransportComesFromTheGivenThreadFactory() throws Exception {
        Set<Thread> made = ConcurrentHashMap.newKeySet();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "injected-" + made.size());
            t.setDaemon(true);
            made.add(t);
            return t;
        };
        try (TestQuicServer server = TestQuicServer.builder(pki.server).start();
             ConnectionPool pool = ConnectionPool.create(config(pki).clientId("injected-client")
                     .brokers("localhost:" + server.address().getPort()).build(), factory)) {
            CompletableFuture<Thread> completedOn = new CompletableFuture<>();
            pool.healthCheck().whenComplete((r, e) -> completedOn.complete(Thread.currentThread()));

            Thread callback = completedOn.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(made).as("callback thread").contains(callback);
            // At least the network event loop, a callback thread and the scheduler (health-check deadline).
            assertThat(made).hasSizeGreaterThanOrEqualTo(3);
            assertThat(made).allSatisfy(t -> assertThat(t.getName()).startsWith("injected-"));
            assertThat(threadsNamed("rustmq-pool-injected-client")).as("the default scheduler thread").isZero();
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
