package io.rustmq.messaging.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.TopicPartition;
import io.rustmq.messaging.IncomingChannelMetrics;
import io.rustmq.messaging.Records;
import io.rustmq.messaging.TestApp;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

class RebalanceTest {
    static final int PER_PARTITION = 100;

    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().topic("rb", 2).build();

    /** Blocks on its first record until released; records what it processed. */
    @ApplicationScoped
    public static class Blocked {
        final CountDownLatch release = new CountDownLatch(1);
        final Set<String> processed = ConcurrentHashMap.newKeySet();

        @Incoming("in")
        public void consume(String s) throws InterruptedException {
            if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            processed.add(s);
        }

        void release() {
            release.countDown();
        }

        Set<String> processed() {
            return Set.copyOf(processed);
        }
    }

    @Test
    void aRebalanceDropsTheQueuedRecordsOfRevokedPartitionsAndEveryRecordIsProcessed() {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 2 * PER_PARTITION; i++) {
            messages.add(Message.builder().topic("rb").partition(i % 2).payload("p" + (i % 2) + "-" + i / 2).build());
        }
        Records.produce(BROKER, "rb", messages);
        Map<String, String> config = TestApp.props(TestApp.connectorConfig(BROKER))
                .incoming("in", "topic", "rb")
                .incoming("in", "consumer-group", "rb-group")
                .incoming("in", "start-position", "earliest")
                .build();
        Set<String> seenByOther = new HashSet<>();
        try (TestApp app = TestApp.start(config, Blocked.class)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                IncomingChannelMetrics m = app.connector().getIncomingMetrics("in").orElseThrow();
                assertThat(m.received()).isEqualTo(2 * PER_PARTITION);
                assertThat(m.queuedRecords()).isEqualTo(2 * PER_PARTITION - 1);
            });
            try (RustMQClient client = RustMQClient.create(Records.clientConfig(BROKER));
                 Consumer other = client.createConsumer(List.of("rb"), "rb-group",
                         ConsumerConfig.builder().startPosition(StartPosition.earliest()).build())) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    other.poll(Duration.ofMillis(100)).forEach(m -> {
                        seenByOther.add(m.payloadAsString());
                        m.ack();
                    });
                    assertThat(other.assignment()).hasSize(1);
                    IncomingChannelMetrics m = app.connector().getIncomingMetrics("in").orElseThrow();
                    assertThat(m.assignment()).hasSize(1).doesNotContainAnyElementsOf(other.assignment());
                    // Only the kept partition's records are still queued: at most one partition's worth.
                    assertThat(m.queuedRecords()).isLessThanOrEqualTo(PER_PARTITION);
                });
                TopicPartition kept = app.connector().getIncomingMetrics("in").orElseThrow().assignment().iterator()
                        .next();
                app.bean(Blocked.class).release();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    for (ConsumerMessage m : other.poll(Duration.ofMillis(100))) {
                        seenByOther.add(m.payloadAsString());
                        m.ack();
                    }
                    Set<String> all = new HashSet<>(seenByOther);
                    all.addAll(app.bean(Blocked.class).processed());
                    assertThat(all).hasSize(2 * PER_PARTITION);
                });
                // The connector processed nothing of the partition it lost except, possibly, the one record that
                // was in processing when the partition was revoked (delivered at least once).
                long lostAndProcessed = app.bean(Blocked.class).processed().stream()
                        .filter(s -> !s.startsWith("p" + kept.partition() + "-")).count();
                assertThat(lostAndProcessed).isLessThanOrEqualTo(1);
            }
        }
        assertThat(Records.committed(BROKER, "rb-group").values()).containsOnly((long) PER_PARTITION);
    }
}
