package io.rustmq.client.internal.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.ClientStats;
import io.rustmq.client.ConnectionException;
import io.rustmq.client.HealthCheckResult;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.protocol.AcknowledgmentLevel;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.MetadataRequest;
import io.rustmq.client.protocol.MetadataResponse;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.ProduceResponse;
import io.rustmq.client.protocol.WireHeader;
import io.rustmq.client.protocol.WireRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Health checks and exact traffic counters against the embedded broker over real UDP and verified TLS. */
class HealthCheckIT {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().topic("counted", 2).build();

    private static ClientConfig.Builder config() {
        return ClientConfig.builder().brokers(BROKER.bootstrap()).clientId("health-it")
                .tls(TlsConfig.builder().caCert(BROKER.certificatePem()).build())
                .keepAliveInterval(Duration.ofMinutes(10)); // no background check during the test
    }

    private static final byte[] HEALTH_REQUEST = Frames.encodeRequest(new MetadataRequest(List.of()));

    /** The broker's Metadata answer, as another connection sees it (the broker's state does not change here). */
    private static int metadataResponseBytes() throws Exception {
        try (ConnectionPool other = ConnectionPool.create(config().build())) {
            MetadataResponse m = other.refreshMetadata().get(10, TimeUnit.SECONDS);
            return Frames.encodeResponse(m).length;
        }
    }

    @Test
    void healthCheckSucceedsAgainstALiveBrokerAndTheClientsCountersMatchItsTraffic() throws Exception {
        int responseBytes = metadataResponseBytes();
        try (RustMQClient client = RustMQClient.create(config().build())) {
            assertThat(client.isConnected()).as("connections open on first use").isFalse();
            Instant before = Instant.now();

            HealthCheckResult first = client.healthCheck();
            HealthCheckResult second = client.healthCheck();

            assertThat(first.status()).isEqualTo(HealthCheckResult.Status.HEALTHY);
            assertThat(first.brokerId()).isEqualTo("broker-0");
            assertThat(first.broker()).isEqualTo(BROKER.bootstrap());
            assertThat(first.roundTrip()).isPositive().isLessThan(client.config().requestTimeout());
            assertThat(first.timestamp()).isBetween(before, Instant.now());
            assertThat(first.connectedBrokers()).isEqualTo(1);
            assertThat(first.knownBrokers()).isEqualTo(1);
            assertThat(client.isConnected()).isTrue();
            ClientStats s = client.stats();
            assertThat(s.healthChecks()).isEqualTo(2);
            assertThat(s.healthCheckErrors()).isZero();
            assertThat(s.lastHeartbeat()).isEqualTo(second.timestamp());
            assertThat(s.requestsSent()).isEqualTo(2);
            assertThat(s.responsesReceived()).isEqualTo(2);
            assertThat(s.bytesSent()).isEqualTo(2L * HEALTH_REQUEST.length);
            assertThat(s.bytesReceived()).isEqualTo(2L * responseBytes);
            assertThat(s.errors()).isZero();
            assertThat(s.activeConnections()).isEqualTo(1);
            assertThat(s.totalConnections()).isEqualTo(1);
            assertThat(s.brokers()).isEqualTo(1);
            assertThat(s.reconnectAttempts()).isZero();
        }
    }

    @Test
    void statsOfAFreshPoolEqualExactlyTheHealthChecksAndProducesItSent() throws Exception {
        int responseBytes = metadataResponseBytes();
        int healthChecks = 3;
        long expectedSent = 0;
        long expectedReceived = 0;
        List<ProduceRequest> produces = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            List<WireRecord> records = new ArrayList<>();
            for (int r = 0; r <= i; r++) {
                records.add(new WireRecord(("k" + r).getBytes(), new byte[10 * (i + 1)],
                        List.of(new WireHeader("h", new byte[] {(byte) r})), 0));
            }
            produces.add(new ProduceRequest("counted", i % 2, records, AcknowledgmentLevel.LEADER, 5000));
        }
        try (ConnectionPool pool = ConnectionPool.create(config().build())) {
            for (int i = 0; i < healthChecks; i++) {
                pool.healthCheck().get(10, TimeUnit.SECONDS);
                expectedSent += HEALTH_REQUEST.length;
                expectedReceived += responseBytes;
            }
            for (ProduceRequest request : produces) {
                ProduceResponse response = (ProduceResponse) pool.send(request).get(10, TimeUnit.SECONDS);
                expectedSent += Frames.encodeRequest(request).length;
                expectedReceived += Frames.encodeResponse(response).length;
            }

            ClientStats s = pool.stats();
            assertThat(s.requestsSent()).isEqualTo(healthChecks + produces.size());
            assertThat(s.responsesReceived()).isEqualTo(healthChecks + produces.size());
            assertThat(s.bytesSent()).isEqualTo(expectedSent);
            assertThat(s.bytesReceived()).isEqualTo(expectedReceived);
            assertThat(s.errors()).isZero();
            assertThat(s.healthChecks()).isEqualTo(healthChecks);
            assertThat(s.healthCheckErrors()).isZero();
            JsonNode json = new ObjectMapper().readTree(s.toJson());
            assertThat(json.get("bytesSent").asLong()).isEqualTo(expectedSent);
            assertThat(json.get("bytesReceived").asLong()).isEqualTo(expectedReceived);
            assertThat(json.get("requestsSent").asLong()).isEqualTo(7);
            assertThat(json.get("healthChecks").asLong()).isEqualTo(3);
            assertThat(json.get("activeConnections").asLong()).isEqualTo(1);
            assertThat(Instant.parse(json.get("lastHeartbeat").asText())).isEqualTo(s.lastHeartbeat());
            assertThat(json.get("reconnectAttempts").asLong()).isZero();
        }
    }

    @Test
    void healthCheckThrowsAClearExceptionWithinTheRequestTimeoutWhenTheBrokerNeverAnswers() throws Exception {
        try (DatagramSocket blackHole = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             RustMQClient client = RustMQClient.create(config().brokers("127.0.0.1:" + blackHole.getLocalPort())
                     .connectTimeout(Duration.ofSeconds(20)).requestTimeout(Duration.ofMillis(1500)).build())) {
            long start = System.nanoTime();

            assertThatThrownBy(client::healthCheck).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("health check failed: no broker answered a Metadata request within"
                            + " 1500 ms (requestTimeout)")
                    .hasMessageContaining("127.0.0.1:" + blackHole.getLocalPort());

            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMs).isBetween(1400L, 1500L + 5000L);
            assertThat(client.isConnected()).isFalse();
            assertThat(client.stats().healthChecks()).isEqualTo(1);
            assertThat(client.stats().healthCheckErrors()).isEqualTo(1);
        }
    }

    @Test
    void healthCheckFailsAtOnceWithTheReasonWhenNothingListens() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (RustMQClient client = RustMQClient.create(config().brokers("127.0.0.1:" + port)
                .requestTimeout(Duration.ofSeconds(20)).build())) {
            long start = System.nanoTime();

            assertThatThrownBy(client::healthCheck).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("no broker answered").hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("ICMP port unreachable");

            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(15_000);
            assertThat(client.stats().healthCheckErrors()).isEqualTo(1);
        }
    }
}
