package io.rustmq.client.producer;

import io.rustmq.client.ConfigurationException;
import io.rustmq.client.Headers;
import io.rustmq.client.compression.Compression;
import io.rustmq.client.compression.CompressionConfig;

import java.time.Duration;
import java.util.Objects;

import static io.rustmq.client.producer.ProducerConfigRules.notNegative;
import static io.rustmq.client.producer.ProducerConfigRules.require;

/**
 * How a {@link Producer} batches, compresses, acknowledges and bounds its memory and time. Immutable;
 * {@link Builder#build()} validates every field and names the field and the value it rejects.
 *
 * <pre>{@code
 * ProducerConfig config = ProducerConfig.builder()
 *         .batchSize(500).lingerTime(Duration.ofMillis(10))
 *         .compression(Compression.ZSTD).ackLevel(AckLevel.LEADER)
 *         .build();
 * }</pre>
 */
public final class ProducerConfig {
    /** The most requests in flight per partition when idempotence is on: the broker remembers 5 per producer. */
    public static final int MAX_IN_FLIGHT_WITH_IDEMPOTENCE = 5;

    /**
     * Default {@code batchSize}: 4,000 messages, so that {@code batchBytes} (512 KiB) or {@code lingerTime} usually
     * ends a request first. Each request has a fixed cost on both sides (a QUIC stream, a response, one completion
     * hand-off), which fewer, larger requests spread over more records: against the embedded broker, 100-byte records
     * went from about 300,000 to about 400,000 per second when this default went from 100 to 4,000.
     */
    public static final int DEFAULT_BATCH_SIZE = 4_000;
    /**
     * The default {@link #bufferMemory()}: 8 MiB, a quarter of Kafka's {@code buffer.memory}. That still holds three
     * full 512 KiB requests in flight on each of five partitions, and a full buffer only adds queueing: with 32 MiB of
     * 100 B records a saturating producer kept about 240,000 records waiting, which cost it a quarter of its CPU in
     * young collections and half a second of send-to-acknowledgment latency, for no more throughput.
     */
    public static final long DEFAULT_BUFFER_MEMORY = 8L * 1024 * 1024;

    private final int batchSize;
    private final int batchBytes;
    private final Duration lingerTime;
    private final int maxMessageSize;
    private final boolean maxMessageSizeSet;
    private final AckLevel ackLevel;
    private final boolean idempotent;
    private final CompressionConfig compression;
    private final int maxInFlightPerPartition;
    private final long bufferMemory;
    private final Duration maxBlockTime;
    private final Duration deliveryTimeout;
    private final Partitioner partitioner;
    private final Headers defaultHeaders;

    private ProducerConfig(Builder b) {
        require(b.batchSize >= 1, "batchSize", b.batchSize, "must be at least 1 message");
        require(b.batchBytes >= 1, "batchBytes", b.batchBytes, "must be at least 1 byte");
        notNegative("lingerTime", b.lingerTime);
        require(b.maxMessageSize >= 1, "maxMessageSize", b.maxMessageSize, "must be at least 1 byte");
        require(b.ackLevel != null, "ackLevel", null, "must not be null");
        require(b.ackLevel.kind() != AckLevel.Kind.CUSTOM || b.ackLevel.replicas() >= 1, "ackLevel", b.ackLevel,
                "a custom replica count must be at least 1");
        // CompressionConfig names compression.codec, compression.level or compression.minSize.
        this.compression = new CompressionConfig(b.codec,
                b.compressionLevel != null ? b.compressionLevel : b.codec == null ? 0 : b.codec.defaultLevel(),
                b.compressionMinSize);
        this.maxInFlightPerPartition = ProducerConfigRules.maxInFlight(b.maxInFlightPerPartition, b.idempotent);
        require(b.bufferMemory >= 1, "bufferMemory", b.bufferMemory, "must be at least 1 byte");
        this.maxBlockTime = notNegative("maxBlockTime", b.maxBlockTime);
        this.deliveryTimeout = ProducerConfigRules.deliveryTimeout(b.deliveryTimeout, b.lingerTime);
        require(b.partitioner != null, "partitioner", null, "must not be null (use Partitioner.DEFAULT)");
        this.defaultHeaders = ProducerConfigRules.defaultHeaders(b.defaultHeaders);
        this.batchSize = b.batchSize;
        this.batchBytes = b.batchBytes;
        this.lingerTime = b.lingerTime;
        this.maxMessageSize = b.maxMessageSize;
        this.maxMessageSizeSet = b.maxMessageSizeSet;
        this.ackLevel = b.ackLevel;
        this.idempotent = b.idempotent;
        this.bufferMemory = b.bufferMemory;
        this.partitioner = b.partitioner;
    }

    /**
     * The defaults: 4,000 messages or 512 KiB per request, 5 ms linger, 1 MiB messages, acks ALL, idempotent, no
     * compression, 5 requests in flight per partition, 8 MiB buffer memory, 60 s max block time, 120 s delivery
     * timeout, {@link Partitioner#DEFAULT}, no default headers.
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
     * A builder holding this configuration's values, to derive a changed copy.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.batchSize = batchSize;
        b.batchBytes = batchBytes;
        b.lingerTime = lingerTime;
        b.maxMessageSize = maxMessageSize;
        b.maxMessageSizeSet = maxMessageSizeSet;
        b.ackLevel = ackLevel;
        b.idempotent = idempotent;
        b.compression(compression);
        b.maxInFlightPerPartition = maxInFlightPerPartition;
        b.bufferMemory = bufferMemory;
        b.maxBlockTime = maxBlockTime;
        b.deliveryTimeout = deliveryTimeout;
        b.partitioner = partitioner;
        b.defaultHeaders = defaultHeaders;
        return b;
    }

    /** {@return the most messages in one Produce request (default 100)} */
    public int batchSize() {
        return batchSize;
    }

    /**
     * The most record bytes (as encoded on the wire) in one Produce request; a batch is also cut so that its request
     * frame stays within the client's {@code maxRequestBytes}. A single record larger than this is sent alone.
     *
     * @return bytes (default 512 KiB)
     */
    public int batchBytes() {
        return batchBytes;
    }

    /**
     * How long a partition's batch waits for more messages when it is not full before it may be sent.
     *
     * @return the linger time (default 5 ms; zero sends as soon as the partition has a free request slot, from the
     *     client's network thread, so that messages sent until then go in the same request)
     */
    public Duration lingerTime() {
        return lingerTime;
    }

    /** {@return the linger time; alias of {@link #lingerTime()}} */
    public Duration batchTimeout() {
        return lingerTime;
    }

    /**
     * The largest message accepted: the record's size on the wire as built from the message (key, uncompressed
     * payload, its headers and the default headers; see {@link io.rustmq.client.Message#encodedSize()}), before
     * compression and without the producer's own headers. Larger messages fail before anything is sent. Without
     * compression a value set on the builder must not exceed the client's {@code maxRequestBytes} (a message must fit
     * in one request; checked when the producer is created); with compression it may, for messages that compress
     * into one request. The default is not checked: a client with a smaller {@code maxRequestBytes} (such as the
     * shipped broker's 8 KiB) then refuses each larger message by that limit (see
     * {@link io.rustmq.client.protocol.SizeLimits}).
     *
     * @return bytes (default 1 MiB)
     */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * Whether {@link #maxMessageSize()} was set on the builder rather than left at its default; only a set value is
     * checked against the client's {@code maxRequestBytes} when the producer is created.
     *
     * @return true if {@link Builder#maxMessageSize(int)} was called
     */
    public boolean isMaxMessageSizeSet() {
        return maxMessageSizeSet;
    }

    /** {@return the acknowledgment level sent with each request (default {@link AckLevel#ALL})} */
    public AckLevel ackLevel() {
        return ackLevel;
    }

    /**
     * Whether records carry the idempotence headers ({@value Producer#PRODUCER_ID_HEADER},
     * {@value Producer#SEQUENCE_HEADER}) so that a retried request is not stored twice (DESIGN §4). When off, a
     * retry after a lost response may store a message twice.
     *
     * @return {@code true} by default
     */
    public boolean idempotent() {
        return idempotent;
    }

    /**
     * How values are compressed: values of at least {@code minSize} bytes are compressed per record and marked with
     * the {@value Compression#HEADER} header; smaller ones, and values that would not get smaller, are sent as they
     * are.
     *
     * @return the compression settings (default {@link CompressionConfig#NONE})
     */
    public CompressionConfig compression() {
        return compression;
    }

    /**
     * The most Produce requests of a partition sent and not yet acknowledged. With idempotence (the default) the
     * broker checks each request's first sequence (DESIGN §4), and a refused or failed request is resent in order
     * from the oldest unacknowledged one, so up to 5 in flight keep order and store each message once. Without
     * idempotence more than 1 can store a retried request twice. The shipped RustMQ broker can assign the same
     * offsets to concurrent requests (spec B7): use 1 against it.
     *
     * @return requests (default 5; at most 5 when idempotent)
     */
    public int maxInFlightPerPartition() {
        return maxInFlightPerPartition;
    }

    /**
     * The most bytes of records (as encoded on the wire, after compression) buffered or in flight; a send that
     * needs more waits up to {@link #maxBlockTime()} for earlier sends to complete.
     *
     * @return bytes (default {@value #DEFAULT_BUFFER_MEMORY}, 8 MiB)
     */
    public long bufferMemory() {
        return bufferMemory;
    }

    /**
     * The most time a send call ({@code send}, {@code sendAsync}, {@code send(message, callback)}) blocks its caller,
     * waiting for {@link #bufferMemory()} or for the topic's partition count; then {@code sendAsync} and the
     * callback form fail the send (never throw) with {@link BufferExhaustedException} or a
     * {@link io.rustmq.client.RequestTimeoutException} naming {@code maxBlockTime}. Zero is the non-blocking mode: a
     * send that would wait fails at once (the partition-count lookup it started goes on, so a later send can
     * succeed). Nothing else blocks a send call: the network and retries run on the client's threads.
     *
     * @return the time (default 60 s; zero never blocks)
     */
    public Duration maxBlockTime() {
        return maxBlockTime;
    }

    /**
     * The most time between a send call and its result, lingering and retries included: a failed request is resent
     * (with the client's retry backoff, reconnecting as needed) until it succeeds or this time has passed since the
     * message was handed to the producer; the client's {@code retry.maxRetries} does not end it earlier. A message
     * still undelivered then fails with a {@link io.rustmq.client.RequestTimeoutException} that names
     * {@code deliveryTimeout}, and so do the later in-flight messages of its partition.
     *
     * @return the timeout (default 120 s)
     */
    public Duration deliveryTimeout() {
        return deliveryTimeout;
    }

    /** {@return how messages without a partition are spread (default {@link Partitioner#DEFAULT})} */
    public Partitioner partitioner() {
        return partitioner;
    }

    /** {@return the headers added to every message, before the message's own headers (default none)} */
    public Headers defaultHeaders() {
        return defaultHeaders;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProducerConfig p && batchSize == p.batchSize && batchBytes == p.batchBytes
                && lingerTime.equals(p.lingerTime) && maxMessageSize == p.maxMessageSize
                && maxMessageSizeSet == p.maxMessageSizeSet
                && ackLevel.equals(p.ackLevel) && idempotent == p.idempotent && compression.equals(p.compression)
                && maxInFlightPerPartition == p.maxInFlightPerPartition && bufferMemory == p.bufferMemory
                && maxBlockTime.equals(p.maxBlockTime) && deliveryTimeout.equals(p.deliveryTimeout)
                && partitioner.equals(p.partitioner) && defaultHeaders.equals(p.defaultHeaders);
    }

    @Override
    public int hashCode() {
        return Objects.hash(batchSize, batchBytes, lingerTime, maxMessageSize, maxMessageSizeSet, ackLevel, idempotent, compression,
                maxInFlightPerPartition, bufferMemory, maxBlockTime, deliveryTimeout, partitioner, defaultHeaders);
    }

    @Override
    public String toString() {
        return "ProducerConfig{batchSize=" + batchSize + ", batchBytes=" + batchBytes + ", lingerTime=" + lingerTime
                + ", maxMessageSize=" + maxMessageSize + ", ackLevel=" + ackLevel + ", idempotent=" + idempotent
                + ", compression=" + compression + ", maxInFlightPerPartition=" + maxInFlightPerPartition
                + ", bufferMemory=" + bufferMemory + ", maxBlockTime=" + maxBlockTime + ", deliveryTimeout="
                + deliveryTimeout + ", partitioner=" + partitioner + ", defaultHeaders=" + defaultHeaders + "}";
    }

    /** Builds a {@link ProducerConfig}; nothing is checked until {@link #build()}. */
    public static final class Builder {
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int batchBytes = 512 * 1024;
        private Duration lingerTime = Duration.ofMillis(5);
        private int maxMessageSize = 1024 * 1024;
        private boolean maxMessageSizeSet;
        private AckLevel ackLevel = AckLevel.ALL;
        private boolean idempotent = true;
        private Compression codec = Compression.NONE;
        private Integer compressionLevel;
        private int compressionMinSize = CompressionConfig.DEFAULT_MIN_SIZE;
        private int maxInFlightPerPartition = MAX_IN_FLIGHT_WITH_IDEMPOTENCE;
        private long bufferMemory = DEFAULT_BUFFER_MEMORY;
        private Duration maxBlockTime = Duration.ofSeconds(60);
        private Duration deliveryTimeout = Duration.ofSeconds(120);
        private Partitioner partitioner = Partitioner.DEFAULT;
        private Headers defaultHeaders = Headers.empty();

        private Builder() {
        }

        /**
         * Sets the most messages per request. A request also ends at {@code batchBytes} and after {@code lingerTime},
         * whichever comes first.
         *
         * @param batchSize at least 1 (default {@value ProducerConfig#DEFAULT_BATCH_SIZE})
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
         * Alias of {@link #lingerTime(Duration)}.
         *
         * @param batchTimeout zero or positive (default 5 ms)
         * @return this builder
         */
        public Builder batchTimeout(Duration batchTimeout) {
            return lingerTime(batchTimeout);
        }

        /**
         * Sets the largest message accepted (see {@link ProducerConfig#maxMessageSize()}).
         *
         * @param maxMessageSize at least 1 byte (default 1 MiB)
         * @return this builder
         */
        public Builder maxMessageSize(int maxMessageSize) {
            this.maxMessageSize = maxMessageSize;
            this.maxMessageSizeSet = true;
            return this;
        }

        /**
         * Sets the acknowledgment level.
         *
         * @param ackLevel the level; {@code custom(n)} needs n &ge; 1 (default ALL)
         * @return this builder
         */
        public Builder ackLevel(AckLevel ackLevel) {
            this.ackLevel = ackLevel;
            return this;
        }

        /**
         * Turns idempotence on or off.
         *
         * @param idempotent whether retries must not duplicate (default true)
         * @return this builder
         */
        public Builder idempotent(boolean idempotent) {
            this.idempotent = idempotent;
            return this;
        }

        /**
         * Sets codec, level and minimum size at once.
         *
         * @param compression the settings, not null
         * @return this builder
         */
        public Builder compression(CompressionConfig compression) {
            if (compression == null) {
                this.codec = null;
                return this;
            }
            this.codec = compression.codec();
            this.compressionLevel = compression.level();
            this.compressionMinSize = compression.minSize();
            return this;
        }

        /**
         * Sets the codec, with its default level unless {@link #compressionLevel(int)} is also called.
         *
         * @param codec the codec (default NONE)
         * @return this builder
         */
        public Builder compression(Compression codec) {
            this.codec = codec;
            this.compressionLevel = null;
            return this;
        }

        /**
         * Sets the codec's level.
         *
         * @param level within the codec's {@link Compression#levelRange()}
         * @return this builder
         */
        public Builder compressionLevel(int level) {
            this.compressionLevel = level;
            return this;
        }

        /**
         * Sets the smallest value that is compressed.
         *
         * @param minSize bytes, at least 0 (default 1 KiB)
         * @return this builder
         */
        public Builder compressionMinSize(int minSize) {
            this.compressionMinSize = minSize;
            return this;
        }

        /**
         * Sets the most requests in flight per partition (see {@link ProducerConfig#maxInFlightPerPartition()}).
         *
         * @param maxInFlightPerPartition at least 1; at most 5 when idempotent (default 5)
         * @return this builder
         */
        public Builder maxInFlightPerPartition(int maxInFlightPerPartition) {
            this.maxInFlightPerPartition = maxInFlightPerPartition;
            return this;
        }

        /**
         * Sets the memory for buffered and in-flight records.
         *
         * @param bufferMemory bytes, at least 1 (default 8 MiB)
         * @return this builder
         */
        public Builder bufferMemory(long bufferMemory) {
            this.bufferMemory = bufferMemory;
            return this;
        }

        /**
         * Sets how long a send may block.
         *
         * @param maxBlockTime zero or positive (default 60 s)
         * @return this builder
         */
        public Builder maxBlockTime(Duration maxBlockTime) {
            this.maxBlockTime = maxBlockTime;
            return this;
        }

        /**
         * Sets the delivery timeout.
         *
         * @param deliveryTimeout positive and not shorter than the linger time (default 120 s)
         * @return this builder
         */
        public Builder deliveryTimeout(Duration deliveryTimeout) {
            this.deliveryTimeout = deliveryTimeout;
            return this;
        }

        /**
         * Sets the partitioner.
         *
         * @param partitioner thread-safe, not null (default {@link Partitioner#DEFAULT})
         * @return this builder
         */
        public Builder partitioner(Partitioner partitioner) {
            this.partitioner = partitioner;
            return this;
        }

        /**
         * Replaces the default headers.
         *
         * @param defaultHeaders headers added to every message, not null
         * @return this builder
         */
        public Builder defaultHeaders(Headers defaultHeaders) {
            this.defaultHeaders = defaultHeaders;
            return this;
        }

        /**
         * Adds one UTF-8 default header.
         *
         * @param key the name (not one of the producer's own header names)
         * @param value the text value
         * @return this builder
         */
        public Builder defaultHeader(String key, String value) {
            this.defaultHeaders = (defaultHeaders == null ? Headers.empty() : defaultHeaders).with(key, value);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the configuration
         * @throws ConfigurationException naming the first invalid field and its value
         */
        public ProducerConfig build() {
            return new ProducerConfig(this);
        }
    }
}
