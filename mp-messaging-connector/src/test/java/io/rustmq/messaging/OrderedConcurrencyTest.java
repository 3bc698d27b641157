package io.rustmq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.Message;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

class OrderedConcurrencyTest {
    static final int RECORDS = 10_000;
    static final int KEYS = 50;

    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().topic("ordered", 2).build();

    /** Checks each key's order and that a key never has two records in processing, sleeping 0-1 ms per record. */
    @ApplicationScoped
    public static class Worker {
        final Map<String, Integer> lastSequence = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> inProcessing = new ConcurrentHashMap<>();
        final Set<String> lanes = ConcurrentHashMap.newKeySet();
        final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger processed = new AtomicInteger();

        @Incoming("in")
        public java.util.concurrent.CompletionStage<Void> process(
                org.eclipse.microprofile.reactive.messaging.Message<String> m) throws InterruptedException {
            IncomingRustMQMetadata meta = m.getMetadata(IncomingRustMQMetadata.class).orElseThrow();
            String key = meta.getKey();
            int sequence = Integer.parseInt(m.getPayload());
            Integer previous = lastSequence.put(key, sequence);
            if (previous != null && previous + 1 != sequence) {
                violations.add(key + ": " + previous + " then " + sequence);
            }
            lanes.add(meta.getChannel());
            int atOnce = inProcessing.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            if (atOnce != 1) {
                violations.add(key + ": " + atOnce + " records in processing at once");
            }
            Thread.sleep(ThreadLocalRandom.current().nextInt(2));
            inProcessing.get(key).decrementAndGet();
            processed.incrementAndGet();
            return m.ack();
        }

        int processed() {
            return processed.get();
        }

        List<String> violations() {
            return List.copyOf(violations);
        }

        Set<String> lanes() {
            return Set.copyOf(lanes);
        }

        Map<String, Integer> lastSequence() {
            return Map.copyOf(lastSequence);
        }
    }

    @Test
    void concurrencyFourWithKeyOrderingKeepsEachKeysOrderAndCommitsEverything() {
        List<Message> messages = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            messages.add(Message.builder().topic("ordered").key("key-" + (i % KEYS))
                    .payload(Integer.toString(i / KEYS)).build());
        }
        Records.produce(BROKER, "ordered", messages);
        Map<String, String> config = TestApp.props(TestApp.connectorConfig(BROKER))
                .incoming("in", "topic", "ordered")
                .incoming("in", "consumer-group", "ordered-group")
                .incoming("in", "start-position", "earliest")
                .incoming("in", "concurrency", 4)
                .incoming("in", "ordering", "key")
                .incoming("in", "auto-commit-interval", "200ms")
                .build();
        try (TestApp app = TestApp.start(config, Worker.class)) {
            Worker w = app.bean(Worker.class);
            await().atMost(Duration.ofSeconds(90)).until(() -> w.processed() == RECORDS);
            assertThat(w.violations()).isEmpty();
            assertThat(w.lastSequence()).hasSize(KEYS)
                    .allSatisfy((k, v) -> assertThat(v).isEqualTo(RECORDS / KEYS - 1));
            assertThat(w.lanes()).containsExactlyInAnyOrder("in$1", "in$2", "in$3", "in$4");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    Records.committed(BROKER, "ordered-group").values().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(RECORDS));
        }
    }
}
