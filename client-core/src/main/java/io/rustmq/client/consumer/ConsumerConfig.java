package io.rustmq.client.consumer;

import io.rustmq.client.ConfigurationException;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Consumer} fetches, keeps its group membership and commits. Immutable; {@link Builder#build()}
 * validates every field and names the field and value it rejects.
 */
public final class ConsumerConfig {
    private final StartPosition startPosition;
    private final boolean enableAutoCommit;
    private final Duration autoCommitInterval;
    private final int fetchSize;
    private final int maxFetchBytes;
    private final Duration pollInterval;
    private final Duration sessionTimeout;
    private final Duration heartbeatInterval;

    private ConsumerConfig(Builder b) {
        if (b.startPosition == null) {
            throw new ConfigurationException("startPosition", null, "must not be null");
        }
        this.startPosition = b.startPosition;
        this.enableAutoCommit = b.enableAutoCommit;
        this.autoCommitInterval = positive("autoCommitInterval", b.autoCommitInterval);
        if (b.fetchSize < 1) {
            throw new ConfigurationException("fetchSize", b.fetchSize, "must be at least 1 message");
        }
        this.fetchSize = b.fetchSize;
        if (b.maxFetchBytes < 1) {
            throw new ConfigurationException("maxFetchBytes", b.maxFetchBytes, "must be at least 1 byte");
        }
        this.maxFetchBytes = b.maxFetchBytes;
        this.pollInterval = positive("pollInterval", b.pollInterval);
        this.sessionTimeout = positive("sessionTimeout", b.sessionTimeout);
        if (sessionTimeout.toMillis() > 0xFFFF_FFFFL) {
            throw new ConfigurationException("sessionTimeout", sessionTimeout, "must fit in 32 bits of milliseconds");
        }
        Duration hb = b.heartbeatInterval != null ? b.heartbeatInterval : sessionTimeout.dividedBy(3);
        this.heartbeatInterval = positive("heartbeatInterval", hb);
        if (heartbeatInterval.compareTo(sessionTimeout) >= 0) {
            throw new ConfigurationException("heartbeatInterval", heartbeatInterval,
                    "must be shorter than sessionTimeout = " + sessionTimeout);
        }
    }

    private static Duration positive(String field, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new ConfigurationException(field, d, "must be a positive duration");
        }
        return d;
    }

    /**
     * The defaults: start at latest, auto-commit every 5 s, 100 messages and 1 MiB per fetch, 100 ms between empty
     * fetches, 30 s session, heartbeat every 10 s.
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
     * Where to start when the group has no committed offset for a partition.
     *
     * @return the start position (default latest)
     */
    public StartPosition startPosition() {
        return startPosition;
    }

    /**
     * Whether acknowledged offsets are committed in the background.
     *
     * @return {@code true} by default
     */
    public boolean enableAutoCommit() {
        return enableAutoCommit;
    }

    /**
     * How often acknowledged offsets are committed when auto-commit is on.
     *
     * @return the interval (default 5 s)
     */
    public Duration autoCommitInterval() {
        return autoCommitInterval;
    }

    /**
     * The most messages buffered per partition ahead of the application.
     *
     * @return messages (default 100)
     */
    public int fetchSize() {
        return fetchSize;
    }

    /**
     * The {@code max_bytes} of each Fetch request.
     *
     * @return bytes (default 1 MiB)
     */
    public int maxFetchBytes() {
        return maxFetchBytes;
    }

    /**
     * The wait before fetching again from a partition that returned nothing (the broker does not long-poll).
     *
     * @return the interval (default 100 ms)
     */
    public Duration pollInterval() {
        return pollInterval;
    }

    /**
     * The group session timeout: without a heartbeat for this long the broker evicts the member.
     *
     * @return the timeout (default 30 s)
     */
    public Duration sessionTimeout() {
        return sessionTimeout;
    }

    /**
     * How often the member sends heartbeats.
     *
     * @return the interval (default sessionTimeout / 3)
     */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsumerConfig c && startPosition.equals(c.startPosition)
                && enableAutoCommit == c.enableAutoCommit && autoCommitInterval.equals(c.autoCommitInterval)
                && fetchSize == c.fetchSize && maxFetchBytes == c.maxFetchBytes && pollInterval.equals(c.pollInterval)
                && sessionTimeout.equals(c.sessionTimeout) && heartbeatInterval.equals(c.heartbeatInterval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(startPosition, enableAutoCommit, autoCommitInterval, fetchSize, maxFetchBytes,
                pollInterval, sessionTimeout, heartbeatInterval);
    }

    @Override
    public String toString() {
        return "ConsumerConfig{startPosition=" + startPosition + ", enableAutoCommit=" + enableAutoCommit
                + ", autoCommitInterval=" + autoCommitInterval + ", fetchSize=" + fetchSize + ", maxFetchBytes="
                + maxFetchBytes + ", pollInterval=" + pollInterval + ", sessionTimeout=" + sessionTimeout
                + ", heartbeatInterval=" + heartbeatInterval + "}";
    }

    /** Builds a {@link ConsumerConfig}. */
    public static final class Builder {
        private StartPosition startPosition = StartPosition.latest();
        private boolean enableAutoCommit = true;
        private Duration autoCommitInterval = Duration.ofSeconds(5);
        private int fetchSize = 100;
        private int maxFetchBytes = 1024 * 1024;
        private Duration pollInterval = Duration.ofMillis(100);
        private Duration sessionTimeout = Duration.ofSeconds(30);
        private Duration heartbeatInterval;

        private Builder() {
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
         * Sets the most messages buffered per partition.
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
         * Sets the wait between empty fetches.
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
         * @param sessionTimeout a positive duration (default 30 s)
         * @return this builder
         */
        public Builder sessionTimeout(Duration sessionTimeout) {
            this.sessionTimeout = sessionTimeout;
            return this;
        }

        /**
         * Sets the heartbeat interval.
         *
         * @param heartbeatInterval shorter than the session timeout (default sessionTimeout / 3)
         * @return this builder
         */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the configuration
         * @throws ConfigurationException naming the first invalid field
         */
        public ConsumerConfig build() {
            return new ConsumerConfig(this);
        }
    }
}
