package io.rustmq.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rustmq.broker.storage.RetentionPolicy;
import io.rustmq.client.protocol.WireRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EmbeddedBrokerBuilderTest {
    @TempDir
    Path dir;

    @Test
    void invalidSettingsFailFastNamingTheField() {
        EmbeddedBroker.Builder b = EmbeddedBroker.builder();
        assertThatThrownBy(() -> b.port(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> b.port(65536)).hasMessageContaining("port");
        assertThatThrownBy(() -> b.host(" ")).hasMessageContaining("host");
        assertThatThrownBy(() -> b.host(null)).hasMessageContaining("host");
        assertThatThrownBy(() -> b.brokerId("")).hasMessageContaining("brokerId");
        assertThatThrownBy(() -> b.topic("", 1)).hasMessageContaining("topic");
        assertThatThrownBy(() -> b.topic("t", 0)).hasMessageContaining("partitions");
        assertThatThrownBy(() -> b.defaultPartitions(0)).hasMessageContaining("defaultPartitions");
        assertThatThrownBy(() -> b.maxRequestBytes(8)).hasMessageContaining("maxRequestBytes");
        assertThatThrownBy(() -> b.certificate(null, dir)).hasMessageContaining("certificate");
        assertThatThrownBy(() -> b.clientCa(null)).hasMessageContaining("clientCa");
        assertThatThrownBy(() -> b.retentionBytes(0)).hasMessageStartingWith("retentionBytes");
        assertThatThrownBy(() -> b.retentionMs(-2)).hasMessageStartingWith("retentionMs");
        assertThatThrownBy(() -> b.topicRetentionBytes("t", 0)).hasMessageStartingWith("topicRetentionBytes");
        assertThatThrownBy(() -> b.topicRetentionMs("t", 0)).hasMessageStartingWith("topicRetentionMs");
        assertThatThrownBy(() -> b.topicRetentionMs("", 5)).hasMessageContaining("topic name");
        assertThatThrownBy(() -> b.statsInterval(Duration.ofSeconds(-1))).hasMessageStartingWith("statsInterval");
        assertThatThrownBy(() -> b.statsInterval(null)).hasMessageStartingWith("statsInterval");
    }

    @Test
    void aTopicsUnsetLimitFollowsTheBrokerWideOneWhateverTheOrder() {
        EmbeddedBroker b = EmbeddedBroker.builder().topicRetentionMs("t", 5_000).retentionBytes(1234)
                .retentionMs(9_000).build();
        assertThat(b.topicRegistry().retention("t")).isEqualTo(new RetentionPolicy(1234, 5_000));
        assertThat(b.topicRegistry().retention("other")).isEqualTo(new RetentionPolicy(1234, 9_000));
        b.close();
    }

    @Test
    void theStatisticsLineIsLoggedAtStartAndEveryStatsInterval() {
        Logger jul = Logger.getLogger(EmbeddedBroker.class.getName());
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getMessage() != null && r.getMessage().contains(" retains ")) {
                    lines.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(capture);
        try (EmbeddedBroker b = EmbeddedBroker.builder().port(0).brokerId("stats-broker").topic("s", 2)
                .statsInterval(Duration.ofMillis(50)).build().start()) {
            b.topicRegistry().partition("s", 1).append(List.of(new WireRecord(null, new byte[100], List.of(), 0)),
                    1);
            await().atMost(Duration.ofSeconds(30)).until(() -> lines.stream().filter(l ->
                    l.startsWith("RustMQ embedded broker stats-broker retains 125 bytes")).count() >= 2);
            assertThat(lines.get(0)).isEqualTo("RustMQ embedded broker stats-broker retains 0 bytes (0.0 MiB) in 0"
                    + " records across 2 partitions; retention 268435456 bytes per partition, no age limit; log dir"
                    + " none");
        } finally {
            jul.removeHandler(capture);
        }
    }

    @Test
    void unreadableOrInvalidPemFilesFailAtBuildNamingTheField() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> EmbeddedBroker.builder().certificate(missing, missing).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("certificate");
        assertThatThrownBy(() -> EmbeddedBroker.builder().clientCa(missing).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientCa");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a pem\n");
        assertThatThrownBy(() -> EmbeddedBroker.builder().clientCa(garbage).build())
                .hasMessageContaining("clientCa").hasMessageContaining("no PEM certificate");
    }

    @Test
    void topicsAreCreatedAtBuildAndCanBeAddedBeforeStart() {
        EmbeddedBroker b = EmbeddedBroker.builder().topic("a", 3).topic("b", 1).build();
        b.createTopic("c", 2);
        b.createTopic("c", 2);
        assertThat(b.topics()).containsExactly(org.assertj.core.api.Assertions.entry("a", 3),
                org.assertj.core.api.Assertions.entry("b", 1), org.assertj.core.api.Assertions.entry("c", 2));
        assertThatThrownBy(() -> b.createTopic("c", 5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(b.isRunning()).isFalse();
        assertThatThrownBy(b::bootstrap).isInstanceOf(IllegalStateException.class);
        b.close();
    }

    @Test
    void advertisedHostMapsWildcardsToLoopback() {
        assertThat(EmbeddedBroker.advertisedHost("0.0.0.0")).isEqualTo("127.0.0.1");
        assertThat(EmbeddedBroker.advertisedHost("::")).isEqualTo("::1");
        assertThat(EmbeddedBroker.advertisedHost("[::]")).isEqualTo("::1");
        assertThat(EmbeddedBroker.advertisedHost("localhost")).isEqualTo("localhost");
    }
}
