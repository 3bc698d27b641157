package io.rustmq.broker.junit;

import io.rustmq.broker.EmbeddedBroker;
import io.rustmq.broker.network.QuicTestClient;
import io.rustmq.broker.storage.RetentionPolicy;
import io.rustmq.client.protocol.MetadataRequest;
import io.rustmq.client.protocol.MetadataResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedBrokerExtensionTest {

    @Test
    void aBrokerIsNotAvailableOutsideTheExtensionsLifetime() {
        EmbeddedBrokerExtension ext = EmbeddedBrokerExtension.builder().build();
        assertThatThrownBy(ext::broker).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(ext::bootstrap).isInstanceOf(IllegalStateException.class);
    }

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class StaticFieldSharesOneBrokerPerClass {
        static EmbeddedBroker first;

        @RegisterExtension
        static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder()
                .topic("t", 3).autoCreateTopics(true).defaultPartitions(2).build();

        @Test
        @Order(1)
        void startsOnARandomLoopbackPortWithTheConfiguredTopics() throws Exception {
            first = BROKER.broker();
            assertThat(BROKER.bootstrap()).startsWith("127.0.0.1:").doesNotEndWith(":9092");
            assertThat(BROKER.certificatePem()).exists();
            assertThat(first.topics()).containsEntry("t", 3);
            try (QuicTestClient c = QuicTestClient.connect(first.address(), BROKER.certificatePem(), null)) {
                MetadataResponse m = (MetadataResponse) c.request(new MetadataRequest(List.of()));
                assertThat(m.topicsMetadata()).hasSize(1);
            }
        }

        @Test
        @Order(2)
        void theSecondTestSeesTheSameBroker() {
            assertThat(BROKER.broker()).isSameAs(first);
            assertThat(first.isRunning()).isTrue();
        }

        @AfterAll
        static void stillRunningUntilAfterAllOfTheExtension() {
            assertThat(first.isRunning()).isTrue();
        }
    }

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class InstanceFieldGivesEachTestItsOwnBroker {
        static EmbeddedBroker previous;

        @RegisterExtension
        final EmbeddedBrokerExtension broker = EmbeddedBrokerExtension.builder().build();

        @Test
        @Order(1)
        void first() {
            previous = broker.broker();
            assertThat(previous.isRunning()).isTrue();
        }

        @Test
        @Order(2)
        void second() {
            assertThat(broker.broker()).isNotSameAs(previous);
            assertThat(previous.isRunning()).as("closed after the previous test").isFalse();
        }
    }

    @Nested
    class RetentionLogDirAndStatsSettingsReachTheBroker {
        static final Path LOG_DIR = tempDir();

        /** Registered first, so its after-all runs last: deletes the log directory once the broker is closed. */
        @RegisterExtension
        @Order(1)
        static final AfterAllCallback DELETE_LOG_DIR = context -> {
            try (java.util.stream.Stream<Path> files = Files.walk(LOG_DIR)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        };

        @RegisterExtension
        @Order(2)
        static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().topic("kept", 1)
                .retentionBytes(4096).retentionMs(60_000).topicRetentionBytes("kept", -1)
                .topicRetentionMs("short", 1_000).logDir(LOG_DIR).statsInterval(Duration.ofMinutes(10)).build();

        static Path tempDir() {
            try {
                return Files.createTempDirectory("rustmq-extension-test-");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Test
        void theBrokerRunsWithTheExtensionsSettings() {
            EmbeddedBroker b = BROKER.broker();
            assertThat(b.topicRegistry().defaultRetention()).isEqualTo(new RetentionPolicy(4096, 60_000));
            assertThat(b.topicRegistry().retention("kept")).isEqualTo(new RetentionPolicy(-1, 60_000));
            assertThat(b.topicRegistry().retention("short")).isEqualTo(new RetentionPolicy(4096, 1_000));
            assertThat(b.topicRegistry().partition("kept", 0).retention().maxBytes()).isEqualTo(-1);
            assertThat(b.logDir()).isEqualTo(LOG_DIR);
            assertThat(LOG_DIR.resolve("topics.log")).exists();
            assertThat(b.statsInterval()).isEqualTo(Duration.ofMinutes(10));
            assertThat(b.statsLine()).contains("retention 4096 bytes per partition, age 1m", "log dir " + LOG_DIR);
        }
    }
}
