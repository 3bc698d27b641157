package io.rustmq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

class BackpressureTest {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().topic("slow", 2).build();

    /** Blocks on its first record until released, then takes the rest. */
    @ApplicationScoped
    public static class Slow {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger processed = new AtomicInteger();

        @Incoming("in")
        public void consume(String s) throws InterruptedException {
            if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            processed.incrementAndGet();
        }

        void release() {
            release.countDown();
        }

        int processed() {
            return processed.get();
        }
    }

    @Test
    void slowConsumerHoldsAtMostMaxQueueSizeAndPartitionsArePausedThenResumed() {
        Records.produceStrings(BROKER, "slow", "s", 0, 1000);
        Map<String, String> config = TestApp.props(TestApp.connectorConfig(BROKER))
                .incoming("in", "topic", "slow")
                .incoming("in", "start-position", "earliest")
                .incoming("in", "max-queue-size", 100)
                .build();
        try (TestApp app = TestApp.start(config, Slow.class)) {
            RustMQConnector connector = app.connector();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                IncomingChannelMetrics m = connector.getIncomingMetrics("in").orElseThrow();
                assertThat(m.pauses()).isEqualTo(1);
                assertThat(m.pausedPartitions()).isNotEmpty().isEqualTo(m.assignment());
                // The first record is being processed (blocked), the rest wait: still above half the bound, so
                // the partitions stay paused.
                assertThat(m.queuedRecords()).isBetween(51, 100);
                assertThat(m.inProcessing()).isEqualTo(1);
            });
            assertThat(app.health().getReadiness().getChannels()).anySatisfy(c ->
                    assertThat(c.getMessage()).contains("in processing 1").contains("paused [slow-"));
            app.bean(Slow.class).release();
            await().atMost(Duration.ofSeconds(60)).until(() -> app.bean(Slow.class).processed() == 1000);
            IncomingChannelMetrics m = connector.getIncomingMetrics("in").orElseThrow();
            assertThat(m.maxQueuedRecords()).isEqualTo(100);
            assertThat(m.resumes()).isGreaterThanOrEqualTo(1);
            assertThat(m.pauses()).isGreaterThanOrEqualTo(m.resumes());
            assertThat(m.received()).isEqualTo(1000);
            assertThat(m.acked()).isEqualTo(1000);
        }
    }
}
