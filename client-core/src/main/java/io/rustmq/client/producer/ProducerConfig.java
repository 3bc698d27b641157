package io.rustmq.client.producer;

import io.rustmq.client.ConfigurationException;
import io.rustmq.client.protocol.AcknowledgmentLevel;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Producer} batches and acknowledges. Immutable; {@link Builder#build()} validates every field and
 * names the field and value it rejects.
 */
public final class ProducerConfig {
    private final int batchSize;
    private final int batchBytes;
    private final Duration lingerTime;
    private final int maxMessageSize;
    private final AcknowledgmentLevel ackLevel;
    private final Duration deliveryTimeout;

    private ProducerConfig(Builder b) {
        if (b.batchSize < 1) {
            throw new ConfigurationException("batchSize", b.batchSize, "must be at least 1 message");
        }
        if (b.batchBytes < 1) {
            throw new ConfigurationException("batchBytes", b.batchBytes, "must be at least 1 byte");
        }
        if (b.lingerTime == null || b.lingerTime.isNegative()) {
            throw new ConfigurationException("lingerTime", b.lingerTime, "must be zero or a positive duration");
        }
        if (b.maxMessageSize < 1) {
            throw new ConfigurationException("maxMessageSize", b.maxMessageSize, "must be at least 1 byte");
        }
        if (b.ackLevel == null) {
            throw new ConfigurationException("ackLevel", null, "must not be null");
        }
        if (b.deliveryTimeout == null || b.deliveryTimeout.isNegative() || b.deliveryTimeout.isZero()) {
            throw new ConfigurationException("deliveryTimeout", b.deliveryTimeout, "must be a positive duration");
        }
        this.batchSize = b.batchSize;
        this.batchBytes = b.batchBytes;
        this.lingerTime = b.lingerTime;
        this.maxMessageSize = b.maxMessageSize;
        this.ackLevel = b.ackLevel;
        this.deliveryTimeout = b.deliveryTimeout;
    }

    /**
     * The defaults: 100 messages or 512 KiB per request, 5 ms linger, 1 MiB messages, acks ALL, 120 s delivery
     * timeout.
     *
     * @return the default configuration
     */
    public static ProducerConfig defaults() {
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
     * The most messages in one Produce request.
     *
     * @return messages (default 100)
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * The most record bytes in one Produce request (also capped by the client's {@code maxRequestBytes}).
     *
     * @return bytes (default 512 KiB)
     */
    public int batchBytes() {
        return batchBytes;
    }

    /**
     * How long a partition's batch waits for more messages before it is sent when it is not full.
     *
     * @return the linger time (default 5 ms; zero sends at once)
     */
    public Duration lingerTime() {
        return lingerTime;
    }

    /**
     * The largest message accepted, as encoded on the wire; larger ones fail before sending.
     *
     * @return bytes (default 1 MiB)
     */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * The acknowledgment level sent with each request.
     *
     * @return the level (default ALL)
     */
    public AcknowledgmentLevel ackLevel() {
        return ackLevel;
    }

    /**
     * The most time between a send call and its result, retries included; then the send fails.
     *
     * @return the timeout (default 120 s)
     */
    public Duration deliveryTimeout() {
        return deliveryTimeout;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProducerConfig p && batchSize == p.batchSize && batchBytes == p.batchBytes
                && lingerTime.equals(p.lingerTime) && maxMessageSize == p.maxMessageSize
                && ackLevel.equals(p.ackLevel) && deliveryTimeout.equals(p.deliveryTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(batchSize, batchBytes, lingerTime, maxMessageSize, ackLevel, deliveryTimeout);
    }

    @Override
    public String toString() {
        return "ProducerConfig{batchSize=" + batchSize + ", batchBytes=" + batchBytes + ", lingerTime=" + lingerTime
                + ", maxMessageSize=" + maxMessageSize + ", ackLevel=" + ackLevel.kind() + ", deliveryTimeout="
                + deliveryTimeout + "}";
    }

    /** Builds a {@link ProducerConfig}. */
    public static final class Builder {
        private int batchSize = 100;
        private int batchBytes = 512 * 1024;
        private Duration lingerTime = Duration.ofMillis(5);
        private int maxMessageSize = 1024 * 1024;
        private AcknowledgmentLevel ackLevel = AcknowledgmentLevel.ALL;
        private Duration deliveryTimeout = Duration.ofSeconds(120);

        private Builder() {
        }

        /**
         * Sets the most messages per request.
         *
         * @param batchSize at least 1 (default 100)
         * @return this builder
         */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets the most record bytes per request.
         *
         * @param batchBytes at least 1 (default 512 KiB)
         * @return this builder
         */
        public Builder batchBytes(int batchBytes) {
            this.batchBytes = batchBytes;
            return this;
        }

        /**
         * Sets the linger time.
         *
         * @param lingerTime zero or positive (default 5 ms)
         * @return this builder
         */
        public Builder lingerTime(Duration lingerTime) {
            this.lingerTime = lingerTime;
            return this;
        }

        /**
         * Sets the largest message accepted.
         *
         * @param maxMessageSize at least 1 byte (default 1 MiB)
         * @return this builder
         */
        public Builder maxMessageSize(int maxMessageSize) {
            this.maxMessageSize = maxMessageSize;
            return this;
        }

        /**
         * Sets the acknowledgment level.
         *
         * @param ackLevel the level (default ALL)
         * @return this builder
         */
        public Builder ackLevel(AcknowledgmentLevel ackLevel) {
            this.ackLevel = ackLevel;
            return this;
        }

        /**
         * Sets the delivery timeout.
         *
         * @param deliveryTimeout a positive duration (default 120 s)
         * @return this builder
         */
        public Builder deliveryTimeout(Duration deliveryTimeout) {
            this.deliveryTimeout = deliveryTimeout;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the configuration
         * @throws ConfigurationException naming the first invalid field
         */
        public ProducerConfig build() {
            return new ProducerConfig(this);
        }
    }
}
