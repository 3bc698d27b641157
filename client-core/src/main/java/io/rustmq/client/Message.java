package io.rustmq.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rustmq.client.protocol.Frames;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A message to send or one that was received: topic, optional key, payload, headers, optional partition and
 * timestamp. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * Message m = Message.builder().topic("orders").key("user-123")
 *         .payloadJson(Map.of("event", "login")).header("source", "auth").build();
 * }</pre>
 */
public final class Message {
    private static final byte[] EMPTY = new byte[0];

    private final String topic;
    private final byte[] key;
    private final byte[] payload;
    private final Headers headers;
    private final int partition;
    private final long timestamp;
    /** Lazily computed {@link #encodedSize()}; 0 until then (a real size is always at least 33). */
    private int encodedSize;

    private Message(Builder b) {
        this.topic = b.topic;
        this.key = b.key;
        this.payload = b.payload;
        this.headers = b.headers;
        this.partition = b.partition;
        this.timestamp = b.timestamp;
    }

    /**
     * A builder for a message with an empty payload and no key.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this message's fields, to derive a changed copy.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.topic = topic;
        b.key = key;
        b.payload = payload;
        b.headers = headers;
        b.partition = partition;
        b.timestamp = timestamp;
        return b;
    }

    /**
     * The topic, or {@code null} when the producer's topic applies.
     *
     * @return the topic name or null
     */
    public String topic() {
        return topic;
    }

    /**
     * The key bytes (not copied: do not modify).
     *
     * @return the key, or {@code null} for a keyless message
     */
    public byte[] key() {
        return key;
    }

    /**
     * The key as UTF-8 text.
     *
     * @return the text, or {@code null} for a keyless message
     */
    public String keyAsString() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    /**
     * The payload bytes (not copied: do not modify).
     *
     * @return the payload, possibly empty, never null
     */
    public byte[] payload() {
        return payload;
    }

    /**
     * The payload as UTF-8 text.
     *
     * @return the text (invalid UTF-8 is replaced with U+FFFD)
     */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /**
     * The payload parsed as JSON with Jackson.
     *
     * @param type the class to bind to
     * @param <T> the result type
     * @return the parsed value
     * @throws RustMQException if the payload is not valid JSON for {@code type}
     */
    public <T> T payloadAsJson(Class<T> type) {
        try {
            return Json.MAPPER.readValue(payload, type);
        } catch (IOException e) {
            throw new RustMQException("payload is not valid JSON for " + type.getName() + ": " + e.getMessage(), e,
                    false);
        }
    }

    /**
     * The headers, in order.
     *
     * @return the headers, never null
     */
    public Headers headers() {
        return headers;
    }

    /**
     * The partition chosen by the sender, or the partition it was read from.
     *
     * @return the partition, or empty to let the partitioner choose
     */
    public OptionalInt partition() {
        return partition < 0 ? OptionalInt.empty() : OptionalInt.of(partition);
    }

    /**
     * The timestamp in epoch milliseconds. On sending it is informative only: the broker stamps its own time.
     *
     * @return epoch ms, or 0 when unset
     */
    public long timestamp() {
        return timestamp;
    }

    /**
     * The timestamp as an instant.
     *
     * @return the instant, or {@code null} when unset
     */
    public Instant timestampInstant() {
        return timestamp == 0 ? null : Instant.ofEpochMilli(timestamp);
    }

    /**
     * The size of this message as one record on the wire (spec §5.3): key, payload, headers and timestamp, as the
     * producer would send it before compression and without the producer's own headers (compression, idempotence).
     * Used for {@code maxMessageSize} and by {@link MessageBatch} to split batches.
     *
     * @return bytes
     */
    public int encodedSize() {
        int size = encodedSize;
        if (size == 0) {
            long s = 1 + (key == null ? 0 : 8L + key.length) + 8L + payload.length + 8 + 8;
            for (Header h : headers) {
                s += 16L + Frames.utf8Length(h.key()) + h.value().length;
            }
            size = (int) Math.min(Integer.MAX_VALUE, s);
            encodedSize = size;
        }
        return size;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && Objects.equals(topic, m.topic) && Arrays.equals(key, m.key)
                && Arrays.equals(payload, m.payload) && headers.equals(m.headers) && partition == m.partition
                && timestamp == m.timestamp;
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(key), Arrays.hashCode(payload), headers, partition, timestamp);
    }

    /**
     * The topic, partition and the sizes of key, payload and header values, never their contents, so that a message
     * can be logged without leaking data.
     *
     * @return for example {@code Message{topic=orders, key=8 bytes, payload=120 bytes, headers=[source=4 bytes]}}
     */
    @Override
    public String toString() {
        return "Message{topic=" + topic + ", key=" + (key == null ? "null" : key.length + " bytes") + ", payload="
                + payload.length + " bytes, headers=" + headers + (partition >= 0 ? ", partition=" + partition : "")
                + "}";
    }

    /** Builds a {@link Message}. */
    public static final class Builder {
        private String topic;
        private byte[] key;
        private byte[] payload = EMPTY;
        private Headers headers = Headers.empty();
        private int partition = -1;
        private long timestamp;

        private Builder() {
        }

        /**
         * Sets the topic (optional when the producer is bound to a topic).
         *
         * @param topic the topic name
         * @return this builder
         */
        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /**
         * Sets the key bytes (not copied).
         *
         * @param key the key, or {@code null} for none
         * @return this builder
         */
        public Builder key(byte[] key) {
            this.key = key;
            return this;
        }

        /**
         * Sets the key as UTF-8 text.
         *
         * @param key the key, or {@code null} for none
         * @return this builder
         */
        public Builder key(String key) {
            this.key = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /**
         * Sets the payload bytes (not copied).
         *
         * @param payload the payload, not null
         * @return this builder
         */
        public Builder payload(byte[] payload) {
            this.payload = Objects.requireNonNull(payload, "payload");
            return this;
        }

        /**
         * Sets the payload as UTF-8 text.
         *
         * @param payload the text, not null
         * @return this builder
         */
        public Builder payload(String payload) {
            return payload(payload.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Sets the payload to the JSON form of a value (Jackson).
         *
         * @param value the value to serialise
         * @return this builder
         * @throws RustMQException if the value cannot be serialised
         */
        public Builder payloadJson(Object value) {
            try {
                return payload(Json.MAPPER.writeValueAsBytes(value));
            } catch (JsonProcessingException e) {
                throw new RustMQException("cannot serialise " + value.getClass().getName() + " as JSON: "
                        + e.getOriginalMessage(), e, false);
            }
        }

        /**
         * Adds a UTF-8 header (names may repeat).
         *
         * @param key the name
         * @param value the text value
         * @return this builder
         */
        public Builder header(String key, String value) {
            this.headers = headers.with(key, value);
            return this;
        }

        /**
         * Adds a binary header.
         *
         * @param key the name
         * @param value the bytes
         * @return this builder
         */
        public Builder header(String key, byte[] value) {
            this.headers = headers.with(key, value);
            return this;
        }

        /**
         * Replaces all headers.
         *
         * @param headers the headers, not null
         * @return this builder
         */
        public Builder headers(Headers headers) {
            this.headers = Objects.requireNonNull(headers, "headers");
            return this;
        }

        /**
         * Sends to this partition instead of letting the partitioner choose.
         *
         * @param partition 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder partition(int partition) {
            if (partition < 0) {
                throw new IllegalArgumentException("partition must be >= 0, got " + partition);
            }
            this.partition = partition;
            return this;
        }

        /**
         * Sets the timestamp (informative: the broker stamps its own).
         *
         * @param epochMillis epoch milliseconds
         * @return this builder
         */
        public Builder timestamp(long epochMillis) {
            this.timestamp = epochMillis;
            return this;
        }

        /**
         * Sets the timestamp.
         *
         * @param instant the instant
         * @return this builder
         */
        public Builder timestamp(Instant instant) {
            this.timestamp = instant.toEpochMilli();
            return this;
        }

        /**
         * Builds the message.
         *
         * @return the message
         */
        public Message build() {
            return new Message(this);
        }
    }
}
