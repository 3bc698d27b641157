package io.rustmq.messaging.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.messaging.Records;
import io.rustmq.messaging.TestApp;
import io.smallrye.reactive.messaging.health.HealthReport;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

class UnprocessedRecordTest {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().topic("stuck", 1).build();

    /** Blocks on the record with offset 3 until released. */
    @ApplicationScoped
    public static class Blocking {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger processed = new AtomicInteger();

        @Incoming("in")
        public void consume(String s) throws InterruptedException {
            if (s.equals("s-3") && !release.await(60, TimeUnit.SECONDS)) {
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

    private static HealthReport.ChannelInfo liveness(TestApp app) {
        return app.health().getLiveness().getChannels().stream().filter(c -> c.getChannel().equals("in"))
                .findFirst().orElseThrow();
    }

    @Test
    void aStuckRecordIsReportedByTopicPartitionOffsetAndAgeUntilItIsSettled() {
        Map<String, String> config = TestApp.props(TestApp.connectorConfig(BROKER))
                .incoming("in", "topic", "stuck")
                .incoming("in", "consumer-group", "stuck-group")
                .incoming("in", "start-position", "earliest")
                .incoming("in", "unprocessed-record-max-age", "300ms")
                .incoming("in", "auto-commit-interval", "100ms")
                .build();
        try (TestApp app = TestApp.start(config, Blocking.class)) {
            Records.produceStrings(BROKER, "stuck", "s", 0, 10);
            await().atMost(Duration.ofSeconds(30)).until(() -> !liveness(app).isOk());
            assertThat(liveness(app).getMessage()).contains("record stuck-0@3").contains("has been processed for")
                    .contains("unprocessed-record-max-age 300 ms");
            // Commits wait for it: offsets 0-2 are acknowledged, so 3 is the committed (next) offset.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(Records.committed(BROKER, "stuck-group").values()).containsExactly(3L));
            app.bean(Blocking.class).release();
            await().atMost(Duration.ofSeconds(30)).until(() -> app.bean(Blocking.class).processed() == 10);
            await().atMost(Duration.ofSeconds(30)).until(() -> liveness(app).isOk());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(Records.committed(BROKER, "stuck-group").values()).containsExactly(10L));
        }
    }
}
