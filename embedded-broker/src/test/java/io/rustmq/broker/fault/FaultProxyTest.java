package io.rustmq.broker.fault;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The fault proxy against a UDP echo server on loopback: each fault, its counters, and replay by seed. */
class FaultProxyTest {
    private DatagramSocket echo;
    private Thread echoThread;
    private final List<FaultProxy> proxies = new ArrayList<>();

    @BeforeEach
    void startEcho() throws IOException {
        echo = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        echoThread = new Thread(() -> {
            byte[] buf = new byte[2048];
            while (!echo.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    echo.receive(p);
                    echo.send(new DatagramPacket(p.getData(), p.getOffset(), p.getLength(), p.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        }, "echo");
        echoThread.setDaemon(true);
        echoThread.start();
    }

    @AfterEach
    void stop() {
        proxies.forEach(FaultProxy::close);
        echo.close();
    }

    private FaultProxy proxy(long seed, FaultProxy.Faults faults) {
        FaultProxy p = FaultProxy.builder().target("127.0.0.1", echo.getLocalPort()).seed(seed).faults(faults)
                .start();
        proxies.add(p);
        return p;
    }

    /** Sends n numbered datagrams one at a time, each waiting briefly for its echo; returns the numbers echoed. */
    private static List<Integer> pingPong(FaultProxy proxy, int n, int waitMillis) throws IOException {
        List<Integer> got = new ArrayList<>();
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            client.setSoTimeout(waitMillis);
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", proxy.port());
            byte[] buf = new byte[64];
            for (int i = 0; i < n; i++) {
                client.send(new DatagramPacket(ByteBuffer.allocate(4).putInt(i).array(), 4, to));
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    client.receive(p);
                    got.add(ByteBuffer.wrap(p.getData(), 0, 4).getInt());
                } catch (SocketTimeoutException lost) {
                    // dropped one way or the other: the next ping goes on
                }
            }
        }
        return got;
    }

    @Test
    void forwardsBothWaysUntouchedWithoutFaults() throws IOException {
        FaultProxy p = proxy(1, FaultProxy.Faults.NONE);
        assertThat(pingPong(p, 50, 5_000)).hasSize(50);
        // the last echo may reach the client a moment before the proxy has counted sending it
        await().atMost(Duration.ofSeconds(10)).until(() -> p.stats().forwarded() == 100);
        FaultProxy.Stats s = p.stats();
        assertThat(s.received()).isEqualTo(100);
        assertThat(s.forwarded()).isEqualTo(100);
        assertThat(s.dropped() + s.blackholed() + s.delayed() + s.duplicated() + s.reordered()).isZero();
        assertThat(s.clients()).isEqualTo(1);
    }

    /** Sends n numbered datagrams through a proxy to a sink; returns the numbers the sink got, in arrival order. */
    private List<Integer> throughToSink(long seed, FaultProxy.Faults faults, int n) throws Exception {
        try (DatagramSocket sink = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             DatagramSocket client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            sink.setReceiveBufferSize(4 << 20);
            FaultProxy p = FaultProxy.builder().target("127.0.0.1", sink.getLocalPort()).seed(seed).faults(faults)
                    .start();
            proxies.add(p);
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", p.port());
            for (int i = 0; i < n; i++) {
                client.send(new DatagramPacket(ByteBuffer.allocate(4).putInt(i).array(), 4, to));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> p.stats().received() == n
                    && p.stats().forwarded() + p.stats().dropped() == n);
            List<Integer> got = new ArrayList<>();
            sink.setSoTimeout(5_000);
            byte[] buf = new byte[16];
            for (long i = 0; i < p.stats().forwarded(); i++) {
                DatagramPacket d = new DatagramPacket(buf, buf.length);
                sink.receive(d);
                got.add(ByteBuffer.wrap(d.getData(), 0, 4).getInt());
            }
            return got;
        }
    }

    @Test
    void dropsAtTheConfiguredRateAndTheSameSeedReplaysTheSameDrops() throws Exception {
        List<Integer> a = throughToSink(42, FaultProxy.Faults.loss(0.2), 1_000);
        List<Integer> b = throughToSink(42, FaultProxy.Faults.loss(0.2), 1_000);
        assertThat(b).as("same seed, same traffic: the same datagrams lost").isEqualTo(a);
        assertThat(a.size()).as("about 800 of 1,000 pass a 20 %% loss").isBetween(720, 880);
        List<Integer> other = throughToSink(43, FaultProxy.Faults.loss(0.2), 1_000);
        assertThat(other).as("another seed, other losses").isNotEqualTo(a);
    }

    @Test
    void reordersByHoldingADatagramBehindTheNextOne() throws Exception {
        List<Integer> got = throughToSink(9, FaultProxy.Faults.NONE.withReorder(1), 6);
        assertThat(got).containsExactly(1, 0, 3, 2, 5, 4);
        assertThat(proxies.get(0).stats().reordered()).isEqualTo(3);
    }

    @Test
    void aHeldBackDatagramThatNothingOvertakesIsStillDelivered() throws Exception {
        List<Integer> got = throughToSink(9, FaultProxy.Faults.NONE.withReorder(1), 1);
        assertThat(got).containsExactly(0);
    }

    @Test
    void blackholeDropsEverythingForItsDurationThenForwardsAgain() throws IOException {
        FaultProxy p = proxy(3, FaultProxy.Faults.NONE);
        p.blackhole(Duration.ofMinutes(5));
        assertThat(p.isBlackholed()).isTrue();
        assertThat(pingPong(p, 5, 200)).isEmpty();
        assertThat(p.stats().blackholed()).isEqualTo(5);
        p.blackhole(Duration.ZERO);
        assertThat(p.isBlackholed()).isFalse();
        assertThat(pingPong(p, 5, 5_000)).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void duplicatesEveryDatagramAtRateOne() throws IOException {
        FaultProxy p = proxy(5, FaultProxy.Faults.NONE.withDuplicate(1));
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            client.setSoTimeout(5_000);
            client.send(new DatagramPacket(new byte[] {7}, 1, new InetSocketAddress("127.0.0.1", p.port())));
            int copies = 0;
            byte[] buf = new byte[16];
            try {
                for (int i = 0; i < 8; i++) {
                    client.receive(new DatagramPacket(buf, buf.length));
                    copies++;
                    client.setSoTimeout(500);
                }
            } catch (SocketTimeoutException done) {
                // no more copies
            }
            // duplicated on the way in (2 reach the echo), each echo duplicated on the way back: 4
            assertThat(copies).isEqualTo(4);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> p.stats().duplicated() == 3);
    }

    @Test
    void delaysWithJitterAndCountsIt() throws IOException {
        FaultProxy p = proxy(11, FaultProxy.Faults.NONE.withDelay(Duration.ofMillis(20), Duration.ofMillis(10)));
        assertThat(pingPong(p, 20, 5_000)).hasSize(20);
        assertThat(p.stats().delayed()).isEqualTo(40);
        p.faults(FaultProxy.Faults.NONE);
        assertThat(pingPong(p, 5, 5_000)).hasSize(5);
        assertThat(p.stats().delayed()).as("no delay after the faults were cleared").isEqualTo(40);
    }

    private static long liveProxyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("rustmq-fault-proxy-") && t.isAlive()).count();
    }

    @Test
    void refusesBadSettingsNamingThem() {
        assertThatThrownBy(() -> FaultProxy.Faults.loss(1.5)).hasMessageContaining("loss must be a probability");
        assertThatThrownBy(() -> FaultProxy.Faults.NONE.withDuplicate(-0.1)).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> FaultProxy.Faults.NONE.withDelay(Duration.ofMillis(-1), Duration.ZERO))
                .hasMessageContaining("must not be negative");
        try (FaultProxy noTarget = FaultProxy.builder().start()) {
            assertThatThrownBy(() -> noTarget.target("10.1.2.3:9092")).hasMessageContaining("loopback");
        }
        assertThatThrownBy(() -> FaultProxy.builder().target("192.0.2.1", 9).start())
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> FaultProxy.builder().target("localhost").start()).hasMessageContaining("host:port");
    }

    @Test
    void dropsUntilATargetIsNamedThenForwardsToIt() throws IOException {
        FaultProxy p = FaultProxy.builder().start();
        proxies.add(p);
        assertThat(pingPong(p, 3, 200)).isEmpty();
        assertThat(p.stats().dropped()).isEqualTo(3);
        p.target("127.0.0.1:" + echo.getLocalPort());
        assertThat(pingPong(p, 3, 5_000)).containsExactly(0, 1, 2);
    }

    @Test
    void closingTwiceIsHarmlessAndStopsItsThreads() {
        FaultProxy p = proxy(13, FaultProxy.Faults.NONE);
        assertThat(liveProxyThreads()).isPositive();
        p.close();
        p.close();
        // every other test's proxies were closed after it, so no proxy thread may remain
        await().atMost(Duration.ofSeconds(10)).until(() -> liveProxyThreads() == 0);
    }
}
