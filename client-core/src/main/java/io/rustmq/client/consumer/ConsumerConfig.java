package io.rustmq.client.consumer;

import io.rustmq.client.ConfigurationException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static io.rustmq.client.consumer.ConsumerConfigRules.positive;
import static io.rustmq.client.consumer.ConsumerConfigRules.require;

/**
 * How a {@link Consumer} subscribes, fetches, keeps its group membership, commits and redelivers. Immutable;
 * {@link Builder#build()} validates every field and throws a {@link ConfigurationException} naming the field and the
 * rejected value.
 *
 * <p>The group and topics may be left unset here and given to
 * {@link io.rustmq.client.RustMQClient#createConsumer(String, String, ConsumerConfig)} instead.
 */
public final class ConsumerConfig {
    private final String consumerGroup;
    private final List<String> topics;
    private final StartPosition startPosition;
    private final boolean enableAutoCommit;
    private final Duration autoCommitInterval;
    private final int fetchSize;
    private final int maxFetchBytes;
    private final Duration pollInterval;
    private final Duration sessionTimeout;
    private final Duration heartbeatInterval;
    private final boolean heartbeatIntervalSet;
    private final int maxRedeliveries;
    private final Duration redeliveryBackoff;
    private final String deadLetterTopic;
    private final RebalanceListener rebalanceListener;
    private final Duration handoverDelay;
    private final boolean handoverDelaySet;
    private final long maxBufferedBytes;
    private final int maxDeadLetterAttempts;
    private final DeadLetterFailureListener deadLetterFailureListener;

    private ConsumerConfig(Builder b) {
        require(b.consumerGroup == null || !b.consumerGroup.isBlank(), "consumerGroup", b.consumerGroup,
                "must not be blank");
        this.consumerGroup = b.consumerGroup;
        this.topics = b.topics == null ? null : ConsumerConfigRules.topics(b.topics);
        require(b.startPosition != null, "startPosition", null, "must not be null");
        this.startPosition = b.startPosition;
        this.enableAutoCommit = b.enableAutoCommit;
        this.autoCommitInterval = positive("autoCommitInterval", b.autoCommitInterval);
        require(b.fetchSize >= 1, "fetchSize", b.fetchSize, "must be at least 1 message");
        this.fetchSize = b.fetchSize;
        require(b.maxFetchBytes >= 1, "maxFetchBytes", b.maxFetchBytes, "must be at least 1 byte");
        this.maxFetchBytes = b.maxFetchBytes;
        this.pollInterval = positive("pollInterval", b.pollInterval);
        this.sessionTimeout = ConsumerConfigRules.sessionTimeout(b.sessionTimeout);
        this.heartbeatIntervalSet = b.heartbeatInterval != null;
        this.heartbeatInterval = ConsumerConfigRules.heartbeatInterval(b.heartbeatInterval, sessionTimeout);
        require(b.maxRedeliveries >= 0, "maxRedeliveries", b.maxRedeliveries, "must be at least 0");
        this.maxRedeliveries = b.maxRedeliveries;
        require(b.redeliveryBackoff != null && !b.redeliveryBackoff.isNegative(), "redeliveryBackoff",
                b.redeliveryBackoff, "must be zero or a positive duration");
        this.redeliveryBackoff = b.redeliveryBackoff;
        this.deadLetterTopic = ConsumerConfigRules.deadLetterTopic(b.deadLetterTopic, topics);
        require(b.rebalanceListener != null, "rebalanceListener", null,
                "must not be null (use RebalanceListener.NONE)");
        this.rebalanceListener = b.rebalanceListener;
        this.handoverDelaySet = b.handoverDelay != null;
        this.handoverDelay = ConsumerConfigRules.handoverDelay(b.handoverDelay, heartbeatInterval, sessionTimeout);
        require(b.maxBufferedBytes >= maxFetchBytes, "maxBufferedBytes", b.maxBufferedBytes,
                "must be at least maxFetchBytes = " + maxFetchBytes);
        this.maxBufferedBytes = b.maxBufferedBytes;
        require(b.maxDeadLetterAttempts >= 1, "maxDeadLetterAttempts", b.maxDeadLetterAttempts,
                "must be at least 1");
        this.maxDeadLetterAttempts = b.maxDeadLetterAttempts;
        require(b.deadLetterFailureListener != null, "deadLetterFailureListener", null,
                "must not be null (use DeadLetterFailureListener.NONE)");
        this.deadLetterFailureListener = b.deadLetterFailureListener;
    }

    /**
     * The defaults: no group or topics yet, start at latest, auto-commit every 5 s, 100 messages per poll, 1 MiB
     * per fetch, 100 ms between empty fetches, 30 s session, heartbeat every 3 s, hand-over delay 6 s, 64 MiB
     * memory budget, 3 redeliveries 1 s apart, no dead-letter topic (5 attempts per dead-letter send).
     *
     * @return the default configuration
     */
    public static ConsumerConfig defaults() {
        return builder().build();
    }

    /**
     * A builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this configuration's values, to derive a changed copy.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.consumerGroup = consumerGroup;
        b.topics = topics == null ? null : new ArrayList<>(topics);
        b.startPosition = startPosition;
        b.enableAutoCommit = enableAutoCommit;
        b.autoCommitInterval = autoCommitInterval;
        b.fetchSize = fetchSize;
        b.maxFetchBytes = maxFetchBytes;
        b.pollInterval = pollInterval;
        b.sessionTimeout = sessionTimeout;
        b.heartbeatInterval = heartbeatIntervalSet ? heartbeatInterval : null;
        b.maxRedeliveries = maxRedeliveries;
        b.redeliveryBackoff = redeliveryBackoff;
        b.deadLetterTopic = deadLetterTopic;
        b.rebalanceListener = rebalanceListener;
        b.handoverDelay = handoverDelaySet ? handoverDelay : null;
        b.maxBufferedBytes = maxBufferedBytes;
        b.maxDeadLetterAttempts = maxDeadLetterAttempts;
        b.deadLetterFailureListener = deadLetterFailureListener;
        return b;
    }

    /** {@return the consumer group id, or {@code null} when it is given to {@code createConsumer} instead} */
    public String consumerGroup() {
        return consumerGroup;
    }

    /**
     * {@return the subscribed topics: an immutable list of one or more, or {@code null} when they are given to
     * {@code createConsumer}}
     */
    public List<String> topics() {
        return topics;
    }

    /** {@return where to start reading a partition that the group has never committed (default latest)} */
    public StartPosition startPosition() {
        return startPosition;
    }

    /**
     * Whether acknowledged offsets are committed in the background every {@link #autoCommitInterval()}. Commits on
     * revocation and on close happen either way (they only ever cover acknowledged messages).
     *
     * @return {@code true} by default
     */
    public boolean enableAutoCommit() {
        return enableAutoCommit;
    }

    /** {@return how often acknowledged offsets are committed when auto-commit is on (default 5 s)} */
    public Duration autoCommitInterval() {
        return autoCommitInterval;
    }

    /**
     * The most messages one {@link Consumer#poll} returns, and the least a partition keeps buffered before it is
     * fetched again (a partition is refilled as soon as it holds fewer than one fetch's worth, or fewer than this).
     *
     * @return messages (default 100)
     */
    public int fetchSize() {
        return fetchSize;
    }

    /**
     * The {@code max_bytes} of each Fetch request: a soft limit on the broker's size estimate (352 bytes per record
     * plus key, value and headers); at least one record is always returned.
     *
     * @return bytes (default 1 MiB)
     */
    public int maxFetchBytes() {
        return maxFetchBytes;
    }

    /**
     * The wait before fetching again from a partition that had no new messages (the broker answers at once and
     * does not long-poll). Also sent as the Fetch {@code timeout_ms}.
     *
     * @return the interval (default 100 ms)
     */
    public Duration pollInterval() {
        return pollInterval;
    }

    /**
     * The group session timeout: without a successful heartbeat for this long the broker evicts the member and its
     * partitions move to other members.
     *
     * @return the timeout (default 30 s)
     */
    public Duration sessionTimeout() {
        return sessionTimeout;
    }

    /**
     * How often the member sends heartbeats, on their own thread, each with this interval as its timeout. It also
     * bounds how quickly a member notices a rebalance (the broker reports one only in a heartbeat's answer), which is
     * why the default {@link #handoverDelay()} is twice this interval.
     *
     * @return the interval (default sessionTimeout / 3, at most 3 s as Kafka's default)
     */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /**
     * How many times a negatively acknowledged message is delivered again before it goes to the dead-letter topic:
     * a message is delivered at most {@code 1 + maxRedeliveries} times. Without a dead-letter topic, nacked messages
     * are redelivered without limit.
     *
     * @return the count (default 3)
     */
    public int maxRedeliveries() {
        return maxRedeliveries;
    }

    /** {@return the fixed delay before a negatively acknowledged message is delivered again (default 1 s)} */
    public Duration redeliveryBackoff() {
        return redeliveryBackoff;
    }

    /**
     * {@return where messages go once their redeliveries are exhausted, or when their compressed value is corrupt;
     * {@code null} for none (the default)}
     */
    public String deadLetterTopic() {
        return deadLetterTopic;
    }

    /** {@return the listener told of partitions assigned and revoked (default {@link RebalanceListener#NONE})} */
    public RebalanceListener rebalanceListener() {
        return rebalanceListener;
    }

    /**
     * How long a member that gains partitions while the group has other members waits before it reads them: the
     * time their previous owner needs to notice the rebalance (its next heartbeat), commit what it acknowledged and
     * let go. The protocol has no synchronisation barrier, so reading sooner may deliver again what the previous
     * owner acknowledged; a member alone in its group reads at once.
     *
     * @return the delay (default twice {@link #heartbeatInterval()}, capped at the session timeout: 6 s by default)
     */
    public Duration handoverDelay() {
        return handoverDelay;
    }

    /**
     * The consumer's memory budget: the bytes of fetched records waiting to be delivered plus {@code maxFetchBytes}
     * for each fetch in flight stay under it (one fetch may always be in flight). Records are decompressed when the
     * application takes them, so what waits is counted as fetched.
     *
     * @return bytes (default 64 MiB)
     */
    public long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    /**
     * How many times a message is sent to the dead-letter topic before the consumer gives up on it (a failure that
     * is not retriable, such as a record too large, ends the attempts at once). Policy when it gives up: the failure
     * is counted in {@code ConsumerMetrics.deadLetterFailures}, logged at WARNING and passed to the
     * {@link #deadLetterFailureListener()}, and the message is acknowledged so that the partition's commits move on.
     *
     * @return the attempts (default 5)
     */
    public int maxDeadLetterAttempts() {
        return maxDeadLetterAttempts;
    }

    /**
     * {@return the listener told when a message could not be dead-lettered, see {@link #maxDeadLetterAttempts()}
     * (default {@link DeadLetterFailureListener#NONE})}
     */
    public DeadLetterFailureListener deadLetterFailureListener() {
        return deadLetterFailureListener;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsumerConfig c && Objects.equals(consumerGroup, c.consumerGroup)
                && Objects.equals(topics, c.topics) && startPosition.equals(c.startPosition)
                && enableAutoCommit == c.enableAutoCommit && autoCommitInterval.equals(c.autoCommitInterval)
                && fetchSize == c.fetchSize && maxFetchBytes == c.maxFetchBytes && pollInterval.equals(c.pollInterval)
                && sessionTimeout.equals(c.sessionTimeout) && heartbeatInterval.equals(c.heartbeatInterval)
                && maxRedeliveries == c.maxRedeliveries && redeliveryBackoff.equals(c.redeliveryBackoff)
                && Objects.equals(deadLetterTopic, c.deadLetterTopic) && rebalanceListener == c.rebalanceListener
                && handoverDelay.equals(c.handoverDelay) && maxBufferedBytes == c.maxBufferedBytes
                && maxDeadLetterAttempts == c.maxDeadLetterAttempts
                && deadLetterFailureListener == c.deadLetterFailureListener;
    }

    @Override
    public int hashCode() {
        return Objects.hash(consumerGroup, topics, startPosition, enableAutoCommit, autoCommitInterval, fetchSize,
                maxFetchBytes, pollInterval, sessionTimeout, heartbeatInterval, maxRedeliveries, redeliveryBackoff,
                deadLetterTopic, System.identityHashCode(rebalanceListener), handoverDelay, maxBufferedBytes,
                maxDeadLetterAttempts, System.identityHashCode(deadLetterFailureListener));
    }

    @Override
    public String toString() {
        return "ConsumerConfig{consumerGroup=" + consumerGroup + ", topics=" + topics + ", startPosition="
                + startPosition + ", enableAutoCommit=" + enableAutoCommit + ", autoCommitInterval="
                + autoCommitInterval + ", fetchSize=" + fetchSize + ", maxFetchBytes=" + maxFetchBytes
                + ", pollInterval=" + pollInterval + ", sessionTimeout=" + sessionTimeout + ", heartbeatInterval="
                + heartbeatInterval + ", maxRedeliveries=" + maxRedeliveries + ", redeliveryBackoff="
                + redeliveryBackoff + ", deadLetterTopic=" + deadLetterTopic + ", handoverDelay=" + handoverDelay
                + ", maxBufferedBytes=" + maxBufferedBytes + ", maxDeadLetterAttempts=" + maxDeadLetterAttempts + "}";
    }

    /** Builds a {@link ConsumerConfig}. Not thread-safe. */
    public static final class Builder {
        private String consumerGroup;
        private List<String> topics;
        private StartPosition startPosition = StartPosition.latest();
        private boolean enableAutoCommit = true;
        private Duration autoCommitInterval = Duration.ofSeconds(5);
        private int fetchSize = 100;
        private int maxFetchBytes = 1024 * 1024;
        private Duration pollInterval = Duration.ofMillis(100);
        private Duration sessionTimeout = Duration.ofSeconds(30);
        private Duration heartbeatInterval;
        private int maxRedeliveries = 3;
        private Duration redeliveryBackoff = Duration.ofSeconds(1);
        private String deadLetterTopic;
        private RebalanceListener rebalanceListener = RebalanceListener.NONE;
        private Duration handoverDelay;
        private long maxBufferedBytes = 64L * 1024 * 1024;
        private int maxDeadLetterAttempts = 5;
        private DeadLetterFailureListener deadLetterFailureListener = DeadLetterFailureListener.NONE;

        private Builder() {
        }

        /**
         * Sets the consumer group.
         *
         * @param consumerGroup a non-blank group id
         * @return this builder
         */
        public Builder consumerGroup(String consumerGroup) {
            this.consumerGroup = consumerGroup;
            return this;
        }

        /**
         * Sets the subscribed topics.
         *
         * @param topics one or more distinct, non-blank topics
         * @return this builder
         */
        public Builder topics(List<String> topics) {
            this.topics = topics == null ? new ArrayList<>() : new ArrayList<>(topics);
            return this;
        }

        /**
         * Sets the subscribed topics.
         *
         * @param topics one or more distinct, non-blank topics
         * @return this builder
         */
        public Builder topics(String... topics) {
            return topics(topics == null ? null : Arrays.asList(topics));
        }

        /**
         * Sets where to start without a committed offset.
         *
         * @param startPosition the position (default latest)
         * @return this builder
         */
        public Builder startPosition(StartPosition startPosition) {
            this.startPosition = startPosition;
            return this;
        }

        /**
         * Turns background commits of acknowledged offsets on or off.
         *
         * @param enableAutoCommit default true
         * @return this builder
         */
        public Builder enableAutoCommit(boolean enableAutoCommit) {
            this.enableAutoCommit = enableAutoCommit;
            return this;
        }

        /**
         * Sets the auto-commit interval.
         *
         * @param autoCommitInterval a positive duration (default 5 s)
         * @return this builder
         */
        public Builder autoCommitInterval(Duration autoCommitInterval) {
            this.autoCommitInterval = autoCommitInterval;
            return this;
        }

        /**
         * Sets the most messages per poll and the per-partition refill level.
         *
         * @param fetchSize at least 1 (default 100)
         * @return this builder
         */
        public Builder fetchSize(int fetchSize) {
            this.fetchSize = fetchSize;
            return this;
        }

        /**
         * Sets the Fetch request's {@code max_bytes}.
         *
         * @param maxFetchBytes at least 1 (default 1 MiB)
         * @return this builder
         */
        public Builder maxFetchBytes(int maxFetchBytes) {
            this.maxFetchBytes = maxFetchBytes;
            return this;
        }

        /**
         * Sets the wait between empty fetches of a partition.
         *
         * @param pollInterval a positive duration (default 100 ms)
         * @return this builder
         */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        /**
         * Sets the session timeout.
         *
         * @param sessionTimeout between 1 ms and 2^32 - 1 ms (default 30 s)
         * @return this builder
         */
        public Builder sessionTimeout(Duration sessionTimeout) {
            this.sessionTimeout = sessionTimeout;
            return this;
        }

        /**
         * Sets the heartbeat interval.
         *
         * @param heartbeatInterval positive and shorter than the session timeout (default sessionTimeout / 3, at
         *     most 3 s)
         * @return this builder
         */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            return this;
        }

        /**
         * Sets how many redeliveries a nacked message gets before it is dead-lettered.
         *
         * @param maxRedeliveries at least 0 (default 3)
         * @return this builder
         */
        public Builder maxRedeliveries(int maxRedeliveries) {
            this.maxRedeliveries = maxRedeliveries;
            return this;
        }

        /**
         * Sets the delay before a nacked message is delivered again.
         *
         * @param redeliveryBackoff zero or positive (default 1 s)
         * @return this builder
         */
        public Builder redeliveryBackoff(Duration redeliveryBackoff) {
            this.redeliveryBackoff = redeliveryBackoff;
            return this;
        }

        /**
         * Sets the dead-letter topic.
         *
         * @param deadLetterTopic a non-blank topic other than the subscribed ones, or {@code null} for none
         * @return this builder
         */
        public Builder deadLetterTopic(String deadLetterTopic) {
            this.deadLetterTopic = deadLetterTopic;
            return this;
        }

        /**
         * Sets the rebalance listener.
         *
         * @param rebalanceListener the listener, not null (default {@link RebalanceListener#NONE})
         * @return this builder
         */
        public Builder rebalanceListener(RebalanceListener rebalanceListener) {
            this.rebalanceListener = rebalanceListener;
            return this;
        }

        /**
         * Sets how long partitions taken over from another member wait before they are read; see
         * {@link ConsumerConfig#handoverDelay()}.
         *
         * @param handoverDelay zero or positive, at most the session timeout (default 2 × heartbeatInterval, capped
         *     at the session timeout)
         * @return this builder
         */
        public Builder handoverDelay(Duration handoverDelay) {
            this.handoverDelay = handoverDelay;
            return this;
        }

        /**
         * Sets the memory budget for fetched records and fetches in flight.
         *
         * @param maxBufferedBytes bytes, at least {@code maxFetchBytes} (default 64 MiB)
         * @return this builder
         */
        public Builder maxBufferedBytes(long maxBufferedBytes) {
            this.maxBufferedBytes = maxBufferedBytes;
            return this;
        }

        /**
         * Sets how many times a message is sent to the dead-letter topic before the consumer gives up on it.
         *
         * @param maxDeadLetterAttempts at least 1 (default 5)
         * @return this builder
         */
        public Builder maxDeadLetterAttempts(int maxDeadLetterAttempts) {
            this.maxDeadLetterAttempts = maxDeadLetterAttempts;
            return this;
        }

        /**
         * Sets the listener told when a message could not be dead-lettered.
         *
         * @param listener not null (default {@link DeadLetterFailureListener#NONE})
         * @return this builder
         */
        public Builder deadLetterFailureListener(DeadLetterFailureListener listener) {
            this.deadLetterFailureListener = listener;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the configuration
         * @throws ConfigurationException naming the first invalid field and its value
         */
        public ConsumerConfig build() {
            return new ConsumerConfig(this);
        }
    }
}
