package io.rustmq.messaging.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.messaging.Records;
import io.rustmq.messaging.TestApp;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

class ShutdownTest {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().topic("shutdown", 1)
            .topic("shutdown-dead", 1).build();

    /** The first time it sees "s-2", never returns unless interrupted (then it fails, which nacks the record). */
    @ApplicationScoped
    public static class Hanging {
        static final CountDownLatch NEVER = new CountDownLatch(1);
        static final AtomicBoolean HANG_ONCE = new AtomicBoolean(true);
        final List<String> processed = new CopyOnWriteArrayList<>();

        @Incoming("in")
        public void consume(String s) throws InterruptedException {
            if (s.equals("s-2") && HANG_ONCE.getAndSet(false)) {
                processed.add("s-2-seen");
                if (!NEVER.await(5, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("timed out");
                }
            }
            processed.add(s);
        }

        List<String> processed() {
            return List.copyOf(processed);
        }
    }

    private static Map<String, String> config() {
        return TestApp.props(TestApp.connectorConfig(BROKER))
                .incoming("in", "topic", "shutdown")
                .incoming("in", "consumer-group", "shutdown-group")
                .incoming("in", "start-position", "earliest")
                .incoming("in", "failure-strategy", "dead-letter-queue")
                .incoming("in", "dead-letter-queue.topic", "shutdown-dead")
                .incoming("in", "close-timeout", "4s")
                .build();
    }

    @Test
    void shutdownIsBoundedAndTheRecordInFlightIsNeitherDeadLetteredNorLost() {
        Records.produceStrings(BROKER, "shutdown", "s", 0, 5);
        TestApp first = TestApp.start(config(), Hanging.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> first.bean(Hanging.class).processed()
                .equals(List.of("s-0", "s-1", "s-2-seen")));
        // Returns although s-2 never finishes: the wait for records in processing ends at close-timeout.
        first.close();

        try (TestApp second = TestApp.start(config(), Hanging.class)) {
            // The record in flight at shutdown (and those queued behind it) come again.
            await().atMost(Duration.ofSeconds(30)).until(() -> second.bean(Hanging.class).processed()
                    .containsAll(List.of("s-2", "s-3", "s-4")));
            assertThat(second.bean(Hanging.class).processed()).doesNotContain("s-0", "s-1");
        }
        assertThat(BROKER.broker().logEndOffset("shutdown-dead", 0)).isZero();
    }
}
