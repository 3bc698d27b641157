package io.rustmq.broker.junit;

import io.rustmq.broker.EmbeddedBroker;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A JUnit 5 extension that runs an {@link EmbeddedBroker} on a random loopback port ({@code 127.0.0.1:0}).
 *
 * <p>Register it with {@code @RegisterExtension}: on a {@code static} field the broker is shared by the test class
 * (started before all tests, closed after all); on an instance field each test gets a fresh broker.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder()
 *         .topic("orders", 3).autoCreateTopics(true).build();
 *
 * @Test
 * void sends() {
 *     String bootstrap = BROKER.bootstrap();
 * }
 * }</pre>
 *
 * Not for parallel use of one instance by concurrently running test classes.
 */
public final class EmbeddedBrokerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {
    private final EmbeddedBroker.Builder config;
    private EmbeddedBroker broker;
    private boolean perClass;

    private EmbeddedBrokerExtension(EmbeddedBroker.Builder config) {
        this.config = config;
    }

    /**
     * Starts configuring the extension.
     *
     * @return a new builder (host {@code 127.0.0.1}, port 0, otherwise the {@link EmbeddedBroker#builder()}
     *     defaults)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The running broker.
     *
     * @return the broker
     * @throws IllegalStateException outside the extension's lifetime (before it started or after it stopped)
     */
    public EmbeddedBroker broker() {
        EmbeddedBroker b = broker;
        if (b == null) {
            throw new IllegalStateException("the embedded broker is not running: use it inside a test, with the"
                    + " extension registered through @RegisterExtension");
        }
        return b;
    }

    /**
     * The address to connect to.
     *
     * @return {@code "127.0.0.1:PORT"}
     * @throws IllegalStateException if the broker is not running
     */
    public String bootstrap() {
        return broker().bootstrap();
    }

    /**
     * The PEM file of the broker's certificate, for clients to trust as a CA.
     *
     * @return the path
     * @throws IllegalStateException if the broker is not running
     */
    public Path certificatePem() {
        return broker().certificatePem();
    }

    /**
     * Starts the class-wide broker (static registration).
     *
     * @param context the JUnit context
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        startIfNeeded();
    }

    /**
     * Starts a per-test broker (instance registration); nothing for a class-wide one.
     *
     * @param context the JUnit context
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        startIfNeeded();
    }

    /**
     * Stops a per-test broker.
     *
     * @param context the JUnit context
     */
    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    /**
     * Stops the class-wide broker.
     *
     * @param context the JUnit context
     */
    @Override
    public void afterAll(ExtensionContext context) {
        if (perClass) {
            stop();
        }
    }

    private void startIfNeeded() {
        if (broker == null) {
            broker = config.build().start();
        }
    }

    private void stop() {
        EmbeddedBroker b = broker;
        broker = null;
        if (b != null) {
            b.close();
        }
    }

    /** Configures an {@link EmbeddedBrokerExtension}. Not thread-safe. */
    public static final class Builder {
        private final EmbeddedBroker.Builder config = EmbeddedBroker.builder().host("127.0.0.1").port(0);

        private Builder() {
        }

        /**
         * A topic to create at start.
         *
         * @param name the topic name
         * @param partitions the partition count
         * @return this builder
         * @throws IllegalArgumentException if the name is empty or the count out of range
         */
        public Builder topic(String name, int partitions) {
            config.topic(name, partitions);
            return this;
        }

        /**
         * Whether unknown topics are created on Produce and JoinGroup.
         *
         * @param autoCreateTopics default {@code false}
         * @return this builder
         */
        public Builder autoCreateTopics(boolean autoCreateTopics) {
            config.autoCreateTopics(autoCreateTopics);
            return this;
        }

        /**
         * The partition count of automatically created topics.
         *
         * @param defaultPartitions default 1
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder defaultPartitions(int defaultPartitions) {
            config.defaultPartitions(defaultPartitions);
            return this;
        }

        /**
         * The most bytes each partition retains; older records are dropped from the front.
         *
         * @param retentionBytes positive bytes, or -1 for unlimited; default 256 MiB
         * @return this builder
         * @throws IllegalArgumentException if neither positive nor -1
         */
        public Builder retentionBytes(long retentionBytes) {
            config.retentionBytes(retentionBytes);
            return this;
        }

        /**
         * The age after which records are dropped.
         *
         * @param retentionMs positive milliseconds, or -1 for no age limit (the default)
         * @return this builder
         * @throws IllegalArgumentException if neither positive nor -1
         */
        public Builder retentionMs(long retentionMs) {
            config.retentionMs(retentionMs);
            return this;
        }

        /**
         * One topic's own size limit, overriding {@link #retentionBytes}.
         *
         * @param topic the topic name
         * @param retentionBytes positive bytes, or -1 for unlimited
         * @return this builder
         * @throws IllegalArgumentException if the name is empty or the limit neither positive nor -1
         */
        public Builder topicRetentionBytes(String topic, long retentionBytes) {
            config.topicRetentionBytes(topic, retentionBytes);
            return this;
        }

        /**
         * One topic's own age limit, overriding {@link #retentionMs}.
         *
         * @param topic the topic name
         * @param retentionMs positive milliseconds, or -1 for no age limit
         * @return this builder
         * @throws IllegalArgumentException if the name is empty or the limit neither positive nor -1
         */
        public Builder topicRetentionMs(String topic, long retentionMs) {
            config.topicRetentionMs(topic, retentionMs);
            return this;
        }

        /**
         * A log directory, so that records and committed offsets survive from one broker of this extension to the
         * next (for example per-test brokers of an instance field, each continuing the last one's log). Use a
         * directory of the test's own, such as a {@code @TempDir}.
         *
         * @param logDir the directory, or {@code null} for memory only (the default)
         * @return this builder
         */
        public Builder logDir(Path logDir) {
            config.logDir(logDir);
            return this;
        }

        /**
         * How often the broker logs what it retains (always once at start).
         *
         * @param statsInterval positive, or zero for only at start (the default)
         * @return this builder
         * @throws IllegalArgumentException if null or negative
         */
        public Builder statsInterval(java.time.Duration statsInterval) {
            config.statsInterval(statsInterval);
            return this;
        }

        /**
         * Any other broker setting (certificate, client CA, broker id, request limit…).
         *
         * @param customizer changes the broker builder; host and port should stay loopback and 0
         * @return this builder
         */
        public Builder configure(Consumer<EmbeddedBroker.Builder> customizer) {
            Objects.requireNonNull(customizer, "customizer").accept(config);
            return this;
        }

        /**
         * Builds the extension; the broker starts when the tests do.
         *
         * @return the extension
         */
        public EmbeddedBrokerExtension build() {
            return new EmbeddedBrokerExtension(config);
        }
    }
}
