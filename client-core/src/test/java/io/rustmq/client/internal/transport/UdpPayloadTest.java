package io.rustmq.client.internal.transport;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.rustmq.client.internal.transport.TransportTestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;

/** Datagram sizes over real QUIC on loopback: large to a peer that announces large, small to one that does not. */
class UdpPayloadTest {
    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void certificates() {
        pki = TestPki.in(dir);
    }

    @Test
    void sendsLargeDatagramsOnlyToALoopbackAddress() throws Exception {
        assertThat(UdpPayload.sendLimit(InetAddress.getByName("127.0.0.1"))).isEqualTo(UdpPayload.LOOPBACK_SEND);
        assertThat(UdpPayload.sendLimit(InetAddress.getByName("::1"))).isEqualTo(UdpPayload.LOOPBACK_SEND);
        assertThat(UdpPayload.sendLimit(InetAddress.getByName("192.0.2.7"))).isEqualTo(UdpPayload.NETWORK_SEND);
        assertThat(UdpPayload.sendLimit(null)).isEqualTo(UdpPayload.NETWORK_SEND);
        assertThat(UdpPayload.LOOPBACK_SEND).isLessThanOrEqualTo(65_507); // IPv4's largest UDP payload
    }

    @Test
    void aLargeRequestAndItsEchoCrossWholeInDatagramsLargerThanOnePacketToAPeerThatAnnouncesThem() throws Exception {
        try (TestQuicServer server = TestQuicServer.builder(pki.server)
                .behaviour((request, stream) -> TestQuicServer.respond(stream, request)).start()) {
            roundTrip(server, 300_000);
            assertThat(server.largestDatagramReceived()).isGreaterThan(UdpPayload.NETWORK_SEND)
                    .isLessThanOrEqualTo(UdpPayload.LOOPBACK_SEND);
        }
    }

    @Test
    void aPeerThatAnnouncesSmallDatagramsGetsNoneLargerAndStillReceivesAndSendsWholeFrames() throws Exception {
        try (TestQuicServer server = TestQuicServer.builder(pki.server).udpPayload(1_350, 1_350)
                .behaviour((request, stream) -> TestQuicServer.respond(stream, request)).start()) {
            roundTrip(server, 300_000);
            assertThat(server.largestDatagramReceived()).isPositive().isLessThanOrEqualTo(1_350);
        }
    }

    private static void roundTrip(TestQuicServer server, int size) throws Exception {
        byte[] frame = new byte[size];
        new Random(size).nextBytes(frame);
        try (QuicTransport transport = QuicTransport.create(config(pki).build());
             BrokerConnection c = transport.connect(server.address()).get(5, TimeUnit.SECONDS)) {
            for (int i = 0; i < 3; i++) {
                byte[] echo = c.sendFrame(frame, Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
                assertThat(echo).isEqualTo(frame);
            }
        }
    }
}
