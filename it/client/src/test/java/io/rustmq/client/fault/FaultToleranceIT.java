package io.rustmq.client.fault;

import io.rustmq.broker.EmbeddedBroker;
import io.rustmq.broker.fault.FaultProxy;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.HealthCheckResult;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.RustMQException;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.TopicReader;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.SendResult;
import io.rustmq.client.protocol.WireRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client and the embedded broker with a {@link FaultProxy} between them, on real QUIC over loopback UDP:
 * datagram loss and jitter both ways, a blackholed path, and a group member cut off without leaving. An idempotent
 * producer (the default) and a group consumer that acknowledges every record; nothing may be lost, duplicated or
 * reordered within a partition. The default build runs short versions; {@code -Psoak} (system property
 * {@code rustmq.soak=true}) runs the long ones.
 */
class FaultToleranceIT {
    private static final boolean SOAK = Boolean.getBoolean("rustmq.soak");
    private static final Duration WAIT = Duration.ofMinutes(SOAK ? 15 : 3);
    private static final int PARTITIONS = 3;
    private static final int KEYS = 60;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    /** A broker that names the proxy as its address, and the proxy in front of it. */
    private record Setup(EmbeddedBroker broker, FaultProxy proxy) {
        ClientConfig.Builder viaProxy(String clientId) {
            return ClientConfig.builder().brokers(proxy.address()).clientId(clientId)
                    .tls(TlsConfig.builder().caCert(broker.certificatePem()).serverName("localhost").build());
        }

        ClientConfig direct(String clientId) {
            return ClientConfig.builder().brokers(broker.bootstrap()).clientId(clientId)
                    .tls(TlsConfig.builder().caCert(broker.certificatePem()).serverName("localhost").build()).build();
        }
    }

    private Setup setup(long seed, String topic) {
        FaultProxy proxy = track(FaultProxy.builder().seed(seed).start());
        EmbeddedBroker broker = track(EmbeddedBroker.builder().port(0).advertisedPort(proxy.port())
                .topic(topic, PARTITIONS).build().start());
        proxy.target(broker.bootstrap());
        return new Setup(broker, proxy);
    }

    private static Message keyed(int i) {
        int key = i % KEYS;
        return Message.builder().key("k" + key).payload("k" + key + ":" + i).build();
    }

    /** Sends n keyed records; every send must succeed. Returns the acknowledged results. */
    private static List<SendResult> produce(Producer producer, int from, int to) {
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        for (int i = from; i < to; i++) {
            futures.add(producer.sendAsync(keyed(i)));
        }
        producer.flush();
        List<SendResult> out = new ArrayList<>();
        for (CompletableFuture<SendResult> f : futures) {
            out.add(f.join());
        }
        return out;
    }

    /**
     * Checks a topic as stored: each of the n records exactly once, and within each partition every key's
     * records in send order.
     */
    private static void assertStoredExactlyOnceInOrder(ClientConfig config, String topic, int n) {
        try (TopicReader reader = new TopicReader(config)) {
            Set<Integer> seen = new HashSet<>();
            int total = 0;
            for (List<WireRecord> partition : reader.readTopic(topic, PARTITIONS)) {
                Map<String, Integer> lastOfKey = new HashMap<>();
                for (WireRecord r : partition) {
                    String[] parts = new String(r.value(), StandardCharsets.UTF_8).split(":");
                    int i = Integer.parseInt(parts[1]);
                    assertThat(seen.add(i)).as("record %d stored once", i).isTrue();
                    Integer before = lastOfKey.put(parts[0], i);
                    assertThat(before == null || before < i).as("key %s: %d after %d", parts[0], i, before).isTrue();
                    total++;
                }
            }
            assertThat(total).isEqualTo(n);
        }
    }

    /** Consumes n records in a group, acking each; asserts each arrives once and in key order. */
    private static void consumeExactlyOnceInOrder(RustMQClient client, String topic, String group, int n) {
        ConsumerConfig cc = ConsumerConfig.builder().startPosition(StartPosition.earliest())
                .pollInterval(Duration.ofMillis(20)).build();
        try (Consumer consumer = client.createConsumer(topic, group, cc)) {
            Set<Integer> seen = new HashSet<>();
            Map<String, Integer> lastOfKey = new HashMap<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (seen.size() < n) {
                assertThat(System.nanoTime() - deadline).as("consumed %d of %d in time", seen.size(), n).isNegative();
                for (ConsumerMessage m : consumer.poll(Duration.ofMillis(200))) {
                    String[] parts = m.payloadAsString().split(":");
                    int i = Integer.parseInt(parts[1]);
                    assertThat(seen.add(i)).as("record %d delivered once", i).isTrue();
                    Integer before = lastOfKey.put(parts[0], i);
                    assertThat(before == null || before < i).as("key %s: %d after %d", parts[0], i, before).isTrue();
                    m.ack();
                }
            }
            consumer.commit();
        }
    }

    @Test
    void lossAndJitterBothWaysLoseNothingAndDuplicateNothing() {
        String topic = "loss-jitter";
        Setup s = setup(20_231, topic);
        s.proxy().faults(FaultProxy.Faults.loss(0.05).withDelay(Duration.ofMillis(20), Duration.ofMillis(10)));
        int n = SOAK ? 100_000 : 20_000;
        try (RustMQClient client = RustMQClient.create(s.viaProxy("lossy").build());
             Producer producer = client.createProducer(topic)) {
            List<SendResult> acked = produce(producer, 0, n);
            assertThat(acked).hasSize(n);
            consumeExactlyOnceInOrder(client, topic, "lossy-group", n);
        }
        FaultProxy.Stats stats = s.proxy().stats();
        assertThat(stats.dropped()).as("the proxy really dropped datagrams").isPositive();
        assertThat(stats.delayed()).isPositive();
        assertStoredExactlyOnceInOrder(s.direct("checker"), topic, n);
    }

    @Test
    void aBlackholedPathIsNotReportedHealthyAndTheRunCompletesAfterIt() throws Exception {
        String topic = "blackhole";
        Setup s = setup(7, topic);
        int n = SOAK ? 50_000 : 6_000;
        try (RustMQClient client = RustMQClient.create(s.viaProxy("blackholed")
                .requestTimeout(Duration.ofSeconds(20)).build());
             Producer producer = client.createProducer(topic)) {
            produce(producer, 0, n / 3);
            assertThat(client.healthCheck().status()).isEqualTo(HealthCheckResult.Status.HEALTHY);
            Instant blackholeEnds = Instant.now().plusSeconds(5);
            s.proxy().blackhole(Duration.ofSeconds(5));
            CompletableFuture<List<SendResult>> during = new CompletableFuture<>();
            Thread sender = new Thread(() -> {
                try {
                    during.complete(produce(producer, n / 3, n));
                } catch (Throwable t) {
                    during.completeExceptionally(t);
                }
            }, "blackhole-sender");
            sender.start();
            // while the path is dark, a health check must not claim a healthy broker: it fails, reports DEGRADED,
            // or answers only once the blackhole is over (QUIC retransmitted its request)
            try {
                HealthCheckResult h = client.healthCheck();
                assertThat(h.status() != HealthCheckResult.Status.HEALTHY
                        || !h.timestamp().isBefore(blackholeEnds.minusMillis(100)))
                        .as("health check answered HEALTHY at %s, blackhole until %s", h.timestamp(), blackholeEnds)
                        .isTrue();
            } catch (RustMQException expected) {
                assertThat(expected.isRetriable()).as(expected.toString()).isTrue();
            }
            List<SendResult> after = during.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(after).hasSize(n - n / 3);
            await().atMost(WAIT).until(() -> client.healthCheck().status() == HealthCheckResult.Status.HEALTHY);
            consumeExactlyOnceInOrder(client, topic, "blackhole-group", n);
        }
        assertThat(s.proxy().stats().blackholed()).isPositive();
        assertStoredExactlyOnceInOrder(s.direct("checker"), topic, n);
    }

    @Test
    void aMemberCutOffWithoutLeavingLosesItsPartitionsAndWhatItCommittedIsNotRedelivered() throws Exception {
        String topic = "cut-off";
        Setup s = setup(99, topic);
        int n = 3_000;
        ConsumerConfig fast = ConsumerConfig.builder().startPosition(StartPosition.earliest())
                .sessionTimeout(Duration.ofSeconds(3)).heartbeatInterval(Duration.ofMillis(300))
                .pollInterval(Duration.ofMillis(20)).build();
        RustMQClient direct = track(RustMQClient.create(s.direct("direct")));
        try (Producer producer = direct.createProducer(topic)) {
            produce(producer, 0, n);
        }
        // member A talks through the proxy; it acks and commits part of the topic, then its path goes dark for good
        RustMQClient viaProxy = track(RustMQClient.create(s.viaProxy("member-a")
                .requestTimeout(Duration.ofSeconds(2)).build()));
        Consumer a = viaProxy.createConsumer(topic, "cut-group", fast);
        Set<Integer> committedByA = new HashSet<>();
        await().atMost(WAIT).until(() -> a.assignment().size() == PARTITIONS);
        while (committedByA.size() < n / 3) {
            for (ConsumerMessage m : a.poll(Duration.ofMillis(100))) {
                committedByA.add(Integer.parseInt(m.payloadAsString().split(":")[1]));
                m.ack();
            }
        }
        a.commit();
        s.proxy().blackhole(Duration.ofDays(1));
        // member B joins directly; once A's session has expired, B owns every partition
        Consumer b = direct.createConsumer(topic, "cut-group", fast);
        Set<Integer> seenByB = new HashSet<>();
        AtomicBoolean duplicate = new AtomicBoolean();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (committedByA.size() + seenByB.size() < n && System.nanoTime() < deadline) {
            for (ConsumerMessage m : b.poll(Duration.ofMillis(100))) {
                int i = Integer.parseInt(m.payloadAsString().split(":")[1]);
                if (committedByA.contains(i) || !seenByB.add(i)) {
                    duplicate.set(true);
                }
                m.ack();
            }
        }
        assertThat(b.assignment()).hasSize(PARTITIONS);
        assertThat(duplicate).as("B saw nothing A had committed, and nothing twice").isFalse();
        assertThat(committedByA.size() + seenByB.size()).isEqualTo(n);
        b.close();
        s.proxy().blackhole(Duration.ZERO);
        a.close();
    }
}
