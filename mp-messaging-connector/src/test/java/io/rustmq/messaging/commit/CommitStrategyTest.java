package io.rustmq.messaging.commit;

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
import java.util.stream.IntStream;

/**
 * Each commit strategy, checked across an application restart (a new Weld container with the same group): what was
 * acknowledged before the restart is not delivered again with {@code throttled} and {@code latest}; with
 * {@code ignore} (and no auto-commit) everything is.
 */
class CommitStrategyTest {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true).build();

    /** Acknowledges everything (a String method is acked after it returns). */
    @ApplicationScoped
    public static class Sink {
        final List<String> received = new CopyOnWriteArrayList<>();

        @Incoming("in")
        public void consume(String s) {
            received.add(s);
        }

        List<String> received() {
            return received;
        }
    }

    private static Map<String, String> config(String topic, String strategy) {
        return TestApp.props(TestApp.connectorConfig(BROKER))
                .incoming("in", "topic", topic)
                .incoming("in", "consumer-group", topic + "-group")
                .incoming("in", "start-position", "earliest")
                .incoming("in", "commit-strategy", strategy)
                .incoming("in", "auto-commit-interval", "1h")
                .build();
    }

    private static List<String> names(String prefix, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> prefix + "-" + i).toList();
    }

    /** Runs the application twice; returns what the second run received once it has the second half. */
    private static List<String> restartAndCount(String topic, String strategy, boolean checkLatestWhileRunning) {
        Map<String, String> config = config(topic, strategy);
        Records.produceStrings(BROKER, topic, "r", 0, 50);
        try (TestApp first = TestApp.start(config, Sink.class)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> first.bean(Sink.class).received().size() == 50);
            assertThat(first.bean(Sink.class).received()).containsExactlyElementsOf(names("r", 0, 50));
            if (checkLatestWhileRunning) {
                // latest commits after each acknowledgment, without waiting for an interval (set to 1 h here).
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(Records.committed(BROKER, topic + "-group").values()).containsExactly(50L));
            }
        }
        Records.produceStrings(BROKER, topic, "r", 50, 100);
        try (TestApp second = TestApp.start(config, Sink.class)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> second.bean(Sink.class).received().contains("r-99"));
            return List.copyOf(second.bean(Sink.class).received());
        }
    }

    @Test
    void throttledRedeliversNothingAcknowledgedAfterARestart() {
        assertThat(restartAndCount("commit-throttled", "throttled", false))
                .containsExactlyElementsOf(names("r", 50, 100));
    }

    @Test
    void latestCommitsEachAcknowledgmentAndRedeliversNothingAfterARestart() {
        assertThat(restartAndCount("commit-latest", "latest", true)).containsExactlyElementsOf(names("r", 50, 100));
    }

    @Test
    void ignoreNeverCommitsSoARestartReadsEverythingAgain() {
        assertThat(restartAndCount("commit-ignore", "ignore", false)).containsExactlyElementsOf(names("r", 0, 100));
        // The consumer may store its start position (0) when it leaves, but never an acknowledged offset.
        assertThat(Records.committed(BROKER, "commit-ignore-group").values()).allSatisfy(o -> assertThat(o).isZero());
    }
}
