package io.rustmq.messaging;

import io.rustmq.client.Headers;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * Overrides a {@code smallrye-rustmq} outgoing channel's settings for one message: attach it with
 * {@code Message.of(payload).addMetadata(OutgoingRustMQMetadata.builder().key("k").build())}. Unset fields keep the
 * channel's values. Immutable.
 */
public final class OutgoingRustMQMetadata {
    private final String topic;
    private final String key;
    private final Integer partition;
    private final Headers headers;

    private OutgoingRustMQMetadata(Builder b) {
        this.topic = b.topic;
        this.key = b.key;
        this.partition = b.partition;
        this.headers = b.headers;
    }

    /**
     * Starts building.
     *
     * @return a builder with nothing set
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The topic to send to instead of the channel's.
     *
     * @return the topic, or {@code null} for the channel's
     */
    public String getTopic() {
        return topic;
    }

    /**
     * The key (UTF-8) instead of the channel's {@code key}.
     *
     * @return the key, or {@code null}
     */
    public String getKey() {
        return key;
    }

    /**
     * The partition instead of the partitioner's choice.
     *
     * @return the partition, or empty
     */
    public OptionalInt getPartition() {
        return partition == null ? OptionalInt.empty() : OptionalInt.of(partition);
    }

    /**
     * Headers added to the record.
     *
     * @return the headers, never null
     */
    public Headers getHeaders() {
        return headers;
    }

    @Override
    public String toString() {
        return "OutgoingRustMQMetadata{topic=" + topic + ", key=" + key + ", partition=" + partition + ", headers="
                + headers + "}";
    }

    /** Builds an {@link OutgoingRustMQMetadata}. */
    public static final class Builder {
        private String topic;
        private String key;
        private Integer partition;
        private Headers headers = Headers.empty();

        private Builder() {
        }

        /**
         * Sets the topic.
         *
         * @param topic the topic, or {@code null} for the channel's
         * @return this builder
         */
        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /**
         * Sets the key.
         *
         * @param key UTF-8 key, or {@code null}
         * @return this builder
         */
        public Builder key(String key) {
            this.key = key;
            return this;
        }

        /**
         * Sets the partition.
         *
         * @param partition at least 0
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder partition(int partition) {
            if (partition < 0) {
                throw new IllegalArgumentException("partition must be at least 0, got " + partition);
            }
            this.partition = partition;
            return this;
        }

        /**
         * Adds a header.
         *
         * @param name the header name
         * @param value UTF-8 value
         * @return this builder
         */
        public Builder header(String name, String value) {
            this.headers = headers.with(name, value);
            return this;
        }

        /**
         * Replaces the headers.
         *
         * @param headers the headers
         * @return this builder
         */
        public Builder headers(Headers headers) {
            this.headers = Objects.requireNonNull(headers, "headers");
            return this;
        }

        /**
         * Builds the metadata.
         *
         * @return the metadata
         */
        public OutgoingRustMQMetadata build() {
            return new OutgoingRustMQMetadata(this);
        }
    }
}
