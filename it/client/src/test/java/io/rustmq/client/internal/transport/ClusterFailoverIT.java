package io.rustmq.client.internal.transport;

import io.rustmq.broker.EmbeddedCluster;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.ClientStats;
import io.rustmq.client.HealthCheckResult;
import io.rustmq.client.Message;
import io.rustmq.client.RetryConfig;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.SendResult;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.TopicReader;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.protocol.WireRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Brokers of a 3-broker embedded cluster stop and come back while a client produces: the client reconnects with
 * backoff, moves to the new leaders, and loses no message. Real UDP, verified TLS.
 */
class ClusterFailoverIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static ClientConfig config(EmbeddedCluster cluster) {
        return ClientConfig.builder().brokers(cluster.bootstrapServers()).clientId("failover-it")
                .tls(TlsConfig.builder().caCert(cluster.caCertificatePem()).build())
                .connectTimeout(Duration.ofSeconds(5)).requestTimeout(Duration.ofSeconds(10))
                .retry(RetryConfig.builder().maxRetries(10).baseDelay(Duration.ofMillis(50))
                        .maxDelay(Duration.ofMillis(400)).build())
                .build();
    }

    @Test
    void aStoppedBrokerIsCountedInactiveAndReconnectedWithBackoffWhenItIsBack() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().brokers(3).topic("stream", 3).build().start();
             RustMQClient client = RustMQClient.create(config(cluster));
             Producer producer = client.createProducer("stream")) {
            List<CompletableFuture<SendResult>> sent = new ArrayList<>();
            int n = 0;
            sent.add(producer.sendAsync(Message.builder().partition(n % 3).payload("m" + n++).build()));
            await().atMost(PATIENCE).until(() -> client.stats().activeConnections() == 3);
            assertThat(client.healthCheck().status()).isEqualTo(HealthCheckResult.Status.HEALTHY);

            cluster.stopBroker(1);
            for (int i = 0; i < 30; i++) { // mid-stream: sends go on while the broker is away
                sent.add(producer.sendAsync(Message.builder().partition(n % 3).payload("m" + n++).build()));
            }
            await().atMost(PATIENCE).untilAsserted(() -> {
                ClientStats s = client.stats();
                assertThat(s.activeConnections()).isEqualTo(2);
                assertThat(s.reconnectAttempts()).isGreaterThanOrEqualTo(3);
            });
            assertThat(client.isConnected()).isTrue();
            assertThat(client.healthCheck().status()).isEqualTo(HealthCheckResult.Status.DEGRADED);
            long whileDown = client.stats().reconnectAttempts();

            cluster.startBroker(1);
            await().atMost(PATIENCE).until(() -> client.stats().activeConnections() == 3);
            for (int i = 0; i < 30; i++) {
                sent.add(producer.sendAsync(Message.builder().partition(n % 3).payload("m" + n++).build()));
            }
            producer.flush();
            for (CompletableFuture<SendResult> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }

            ClientStats s = client.stats();
            assertThat(s.totalConnections()).as("3 at start, 1 after the restart").isEqualTo(4);
            assertThat(s.reconnectAttempts()).isGreaterThanOrEqualTo(whileDown);
            assertThat(client.healthCheck().status()).isEqualTo(HealthCheckResult.Status.HEALTHY);
            assertThat(readAll(cluster, 3)).hasSize(n).containsOnlyKeys(payloads(n));
        }
    }

    @Test
    void stoppingThePartitionLeaderMidStreamMovesSendsToTheNewLeaderWithoutLosingAMessage() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().brokers(3).topic("failover", 3).build().start();
             RustMQClient client = RustMQClient.create(config(cluster));
             Producer producer = client.createProducer("failover")) {
            int total = 600;
            int leader = cluster.leaderIndex("failover", 0);
            List<CompletableFuture<SendResult>> sent = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                sent.add(producer.sendAsync(Message.builder().key("k" + i).payload("m" + i).build()));
                if (i % 20 == 19) {
                    Thread.sleep(5); // keep batches flowing while the leader goes away
                }
                if (i == total / 3) {
                    cluster.stopBroker(leader);
                }
            }
            producer.flush();
            for (CompletableFuture<SendResult> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }

            int newLeader = cluster.leaderIndex("failover", 0);
            assertThat(newLeader).isNotEqualTo(leader).isNotNegative();
            assertThat(cluster.counters(newLeader).produceRequests("failover", 0)).isPositive();
            Map<String, Integer> copies = readAll(cluster, 3);
            assertThat(copies).as("every message stored at least once").containsOnlyKeys(payloads(total));
        }
    }

    private static List<String> payloads(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("m" + i);
        }
        return out;
    }

    /** Payload to number of copies, over every partition. */
    private static Map<String, Integer> readAll(EmbeddedCluster cluster, int partitions) {
        Map<String, Integer> copies = new HashMap<>();
        try (TopicReader reader = new TopicReader(config(cluster))) {
            String topic = cluster.topics().keySet().iterator().next();
            for (List<WireRecord> records : reader.readTopic(topic, partitions)) {
                for (WireRecord r : records) {
                    copies.merge(new String(r.value(), StandardCharsets.UTF_8), 1, Integer::sum);
                }
            }
        }
        return copies;
    }
}
