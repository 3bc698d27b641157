package io.rustmq.broker.network;

import io.rustmq.broker.tls.Certificates;
import io.rustmq.broker.tls.CertifiedKey;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.MetadataRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Over real QUIC on loopback, with small limits (2 streams served, 4 open): a stream beyond the served ones waits
 * unread and is answered once one ends, a connection holding more than the ceiling open is closed, and the stream
 * credit is large enough that the client never waits for more.
 */
class StreamAdmissionTest {
    private static final byte[] ANSWER = "answer".getBytes(StandardCharsets.UTF_8);
    /** A request frame cut short: the broker reads it and waits for the rest, so its stream stays open. */
    private static final byte[] PARTIAL = {1, 7, 0, 0, 0, 0, 0, 0, 0, 'h', 'o'};

    @TempDir
    Path dir;

    private QuicTestClient connect(QuicBrokerServer server, CertifiedKey key) throws Exception {
        Path pem = dir.resolve("broker.pem");
        key.writeCertificatePem(pem);
        return QuicTestClient.connect(server.localAddress(), pem, null);
    }

    private static QuicBrokerServer start(CertifiedKey key) throws Exception {
        return QuicBrokerServer.start(new ServerSettings("127.0.0.1", 0, key, List.of(), 1 << 20,
                Duration.ofSeconds(30)), request -> ANSWER, 2, 4);
    }

    @Test
    void aStreamBeyondTheServedOnesWaitsUnreadAndIsAnsweredWhenOneEnds() throws Exception {
        CertifiedKey key = Certificates.selfSignedServer(List.of());
        try (QuicBrokerServer server = start(key); QuicTestClient client = connect(server, key)) {
            QuicTestClient.Exchange first = client.send(PARTIAL, false);
            QuicTestClient.Exchange second = client.send(PARTIAL, false);
            QuicTestClient.Exchange third = client.send(Frames.encodeRequest(new MetadataRequest(List.of())), true);

            Thread.sleep(300); // time enough for an answer over loopback, had the stream been read
            assertThat(third.response()).as("the third stream while two are served").isNotDone();

            assertThat(first.stream().close().await(QuicTestClient.TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(QuicTestClient.get(third.response())).isEqualTo(ANSWER);
            assertThat(client.isActive()).isTrue();
            assertThat(second.response()).isNotDone();
        }
    }

    @Test
    void aConnectionHoldingMoreStreamsOpenThanTheCeilingIsClosed() throws Exception {
        CertifiedKey key = Certificates.selfSignedServer(List.of());
        try (QuicBrokerServer server = start(key); QuicTestClient client = connect(server, key)) {
            for (int i = 0; i < 4; i++) {
                client.send(PARTIAL, false);
            }
            assertThat(client.isActive()).isTrue();

            client.send(PARTIAL, false); // the fifth open stream

            await().atMost(Duration.ofSeconds(QuicTestClient.TIMEOUT_SECONDS))
                    .untilAsserted(() -> assertThat(client.isActive()).isFalse());
        }
    }

    @Test
    void theBrokerNeverRenewsStreamCreditSoAnAnsweredRequestCostsTheClientOnePacket() throws Exception {
        CertifiedKey key = Certificates.selfSignedServer(List.of());
        // the server's own limits: with a credit of 1,000 the QUIC library sent one MAX_STREAMS packet per ended
        // stream from about the 2,000th stream on
        try (QuicBrokerServer server = QuicBrokerServer.start(new ServerSettings("127.0.0.1", 0, key, List.of(),
                1 << 20, Duration.ofSeconds(30)), request -> ANSWER);
             QuicTestClient client = connect(server, key)) {
            byte[] request = Frames.encodeRequest(new MetadataRequest(List.of()));
            assertThat(QuicTestClient.get(client.sendWithFin(request).response())).isEqualTo(ANSWER);
            long before = client.packetsReceived();
            int n = 4_000;
            for (int i = 0; i < n; i++) {
                assertThat(QuicTestClient.get(client.sendWithFin(request).response())).isEqualTo(ANSWER);
            }
            long perRequest100 = (client.packetsReceived() - before) * 100 / n;
            assertThat(perRequest100).as("packets from the broker per 100 requests").isLessThan(120);
        }
    }

    @Test
    void limitsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new StreamAdmission(0, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("served = 0");
        assertThatThrownBy(() -> new StreamAdmission(4, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ceiling = 2");
    }
}
