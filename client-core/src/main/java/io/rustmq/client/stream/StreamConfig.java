package io.rustmq.client.stream;

import io.rustmq.client.ConfigurationException;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.ProducerConfig;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What a {@link MessageStream} reads, writes and how it processes. Immutable; {@link Builder#build()} validates
 * every field and names the field and value it rejects.
 */
public final class StreamConfig {
    /** How messages are handed to the processor. */
    public enum Mode {
        /** One message at a time ({@link MessageProcessor#processAll}). */
        INDIVIDUAL,
        /** Batches of up to {@code batchSize} messages or {@code batchTimeout} ({@link MessageProcessor#processBatch}). */
        BATCH
    }

    /** What must stay in order when {@code parallelism} &gt; 1. */
    public enum Ordering {
        /** Messages with the same key are processed in order (keyless ones in partition order). */
        KEY,
        /** Messages of the same partition are processed in order. */
        PARTITION
    }

    private final List<String> inputTopics;
    private final String outputTopic;
    private final String consumerGroup;
    private final int parallelism;
    private final int maxInFlight;
    private final Duration processingTimeout;
    private final Mode mode;
    private final int batchSize;
    private final Duration batchTimeout;
    private final ErrorStrategy errorStrategy;
    private final Ordering ordering;
    private final ConsumerConfig consumerConfig;
    private final ProducerConfig producerConfig;

    private StreamConfig(Builder b) {
        if (b.inputTopics == null || b.inputTopics.isEmpty()
                || b.inputTopics.stream().anyMatch(t -> t == null || t.isBlank())) {
            throw new ConfigurationException("inputTopics", b.inputTopics, "must name at least one non-blank topic");
        }
        if (b.outputTopic != null && b.outputTopic.isBlank()) {
            throw new ConfigurationException("outputTopic", b.outputTopic, "must not be blank when set");
        }
        if (b.consumerGroup == null || b.consumerGroup.isBlank()) {
            throw new ConfigurationException("consumerGroup", b.consumerGroup, "must not be blank");
        }
        if (b.parallelism < 1 || b.parallelism > 1024) {
            throw new ConfigurationException("parallelism", b.parallelism, "must be between 1 and 1024");
        }
        if (b.maxInFlight < 1) {
            throw new ConfigurationException("maxInFlight", b.maxInFlight, "must be at least 1");
        }
        if (b.processingTimeout == null || b.processingTimeout.isNegative() || b.processingTimeout.isZero()) {
            throw new ConfigurationException("processingTimeout", b.processingTimeout, "must be a positive duration");
        }
        if (b.mode == null) {
            throw new ConfigurationException("mode", null, "must not be null");
        }
        if (b.batchSize < 1) {
            throw new ConfigurationException("batchSize", b.batchSize, "must be at least 1");
        }
        if (b.batchTimeout == null || b.batchTimeout.isNegative() || b.batchTimeout.isZero()) {
            throw new ConfigurationException("batchTimeout", b.batchTimeout, "must be a positive duration");
        }
        if (b.errorStrategy == null) {
            throw new ConfigurationException("errorStrategy", null, "must not be null");
        }
        if (b.ordering == null) {
            throw new ConfigurationException("ordering", null, "must not be null");
        }
        if (b.consumerConfig == null) {
            throw new ConfigurationException("consumerConfig", null, "must not be null");
        }
        if (b.producerConfig == null) {
            throw new ConfigurationException("producerConfig", null, "must not be null");
        }
        this.inputTopics = List.copyOf(b.inputTopics);
        this.outputTopic = b.outputTopic;
        this.consumerGroup = b.consumerGroup;
        this.parallelism = b.parallelism;
        this.maxInFlight = b.maxInFlight;
        this.processingTimeout = b.processingTimeout;
        this.mode = b.mode;
        this.batchSize = b.batchSize;
        this.batchTimeout = b.batchTimeout;
        this.errorStrategy = b.errorStrategy;
        this.ordering = b.ordering;
        this.consumerConfig = b.consumerConfig;
        this.producerConfig = b.producerConfig;
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
     * The topics read.
     *
     * @return one or more topics
     */
    public List<String> inputTopics() {
        return inputTopics;
    }

    /**
     * Where outputs without a topic go, or {@code null} when the processor only drops or routes.
     *
     * @return the topic or null
     */
    public String outputTopic() {
        return outputTopic;
    }

    /**
     * The consumer group the stream reads in; several stream instances in one group share the partitions.
     *
     * @return the group
     */
    public String consumerGroup() {
        return consumerGroup;
    }

    /**
     * How many messages are processed at once (worker threads).
     *
     * @return 1 to 1024 (default 1)
     */
    public int parallelism() {
        return parallelism;
    }

    /**
     * The most input messages taken but not yet acknowledged.
     *
     * @return at least 1 (default 100)
     */
    public int maxInFlight() {
        return maxInFlight;
    }

    /**
     * The longest one processor call may take; longer counts as a failure.
     *
     * @return the timeout (default 30 s)
     */
    public Duration processingTimeout() {
        return processingTimeout;
    }

    /**
     * Individual or batch processing.
     *
     * @return the mode (default INDIVIDUAL)
     */
    public Mode mode() {
        return mode;
    }

    /**
     * The most messages in one batch (BATCH mode).
     *
     * @return at least 1 (default 100)
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * The longest a batch waits to fill (BATCH mode).
     *
     * @return the timeout (default 100 ms)
     */
    public Duration batchTimeout() {
        return batchTimeout;
    }

    /**
     * What happens on failure.
     *
     * @return the strategy (default: 3 attempts with 100 ms..10 s backoff, then stop)
     */
    public ErrorStrategy errorStrategy() {
        return errorStrategy;
    }

    /**
     * What is kept in order under parallelism.
     *
     * @return the ordering (default KEY)
     */
    public Ordering ordering() {
        return ordering;
    }

    /**
     * The configuration of the stream's consumer.
     *
     * @return the consumer configuration (default: start at earliest, auto-commit every 1 s)
     */
    public ConsumerConfig consumerConfig() {
        return consumerConfig;
    }

    /**
     * The configuration of the stream's producer.
     *
     * @return the producer configuration (default {@link ProducerConfig#defaults()})
     */
    public ProducerConfig producerConfig() {
        return producerConfig;
    }

    @Override
    public String toString() {
        return "StreamConfig{inputTopics=" + inputTopics + ", outputTopic=" + outputTopic + ", consumerGroup="
                + consumerGroup + ", parallelism=" + parallelism + ", maxInFlight=" + maxInFlight
                + ", processingTimeout=" + processingTimeout + ", mode=" + mode + ", batchSize=" + batchSize
                + ", batchTimeout=" + batchTimeout + ", errorStrategy=" + errorStrategy + ", ordering=" + ordering
                + "}";
    }

    /** Builds a {@link StreamConfig}. */
    public static final class Builder {
        private List<String> inputTopics;
        private String outputTopic;
        private String consumerGroup;
        private int parallelism = 1;
        private int maxInFlight = 100;
        private Duration processingTimeout = Duration.ofSeconds(30);
        private Mode mode = Mode.INDIVIDUAL;
        private int batchSize = 100;
        private Duration batchTimeout = Duration.ofMillis(100);
        private ErrorStrategy errorStrategy = ErrorStrategy.retry(3, Duration.ofMillis(100), Duration.ofSeconds(10), 2.0);
        private Ordering ordering = Ordering.KEY;
        private ConsumerConfig consumerConfig = ConsumerConfig.builder().startPosition(StartPosition.earliest())
                .autoCommitInterval(Duration.ofSeconds(1)).build();
        private ProducerConfig producerConfig = ProducerConfig.defaults();

        private Builder() {
        }

        /**
         * Sets the topics to read.
         *
         * @param topics one or more topics
         * @return this builder
         */
        public Builder inputTopics(String... topics) {
            this.inputTopics = topics == null ? null : Arrays.asList(topics);
            return this;
        }

        /**
         * Sets the topics to read.
         *
         * @param topics one or more topics
         * @return this builder
         */
        public Builder inputTopics(List<String> topics) {
            this.inputTopics = topics;
            return this;
        }

        /**
         * Sets the default output topic.
         *
         * @param outputTopic the topic, or {@code null} when the processor routes or drops everything
         * @return this builder
         */
        public Builder outputTopic(String outputTopic) {
            this.outputTopic = outputTopic;
            return this;
        }

        /**
         * Sets the consumer group.
         *
         * @param consumerGroup the group
         * @return this builder
         */
        public Builder consumerGroup(String consumerGroup) {
            this.consumerGroup = consumerGroup;
            return this;
        }

        /**
         * Sets the number of worker threads.
         *
         * @param parallelism 1 to 1024 (default 1)
         * @return this builder
         */
        public Builder parallelism(int parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        /**
         * Sets the most unacknowledged inputs.
         *
         * @param maxInFlight at least 1 (default 100)
         * @return this builder
         */
        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        /**
         * Sets the processing timeout.
         *
         * @param processingTimeout a positive duration (default 30 s)
         * @return this builder
         */
        public Builder processingTimeout(Duration processingTimeout) {
            this.processingTimeout = processingTimeout;
            return this;
        }

        /**
         * Processes one message at a time (the default).
         *
         * @return this builder
         */
        public Builder individual() {
            this.mode = Mode.INDIVIDUAL;
            return this;
        }

        /**
         * Processes batches.
         *
         * @param batchSize the most messages per batch, at least 1
         * @param batchTimeout the longest a batch waits to fill, positive
         * @return this builder
         */
        public Builder batch(int batchSize, Duration batchTimeout) {
            this.mode = Mode.BATCH;
            this.batchSize = batchSize;
            this.batchTimeout = batchTimeout;
            return this;
        }

        /**
         * Sets the mode directly.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /**
         * Sets the error strategy.
         *
         * @param errorStrategy the strategy
         * @return this builder
         */
        public Builder errorStrategy(ErrorStrategy errorStrategy) {
            this.errorStrategy = errorStrategy;
            return this;
        }

        /**
         * Sets what stays in order under parallelism.
         *
         * @param ordering KEY (default) or PARTITION
         * @return this builder
         */
        public Builder ordering(Ordering ordering) {
            this.ordering = ordering;
            return this;
        }

        /**
         * Sets the consumer's configuration.
         *
         * @param consumerConfig the configuration
         * @return this builder
         */
        public Builder consumerConfig(ConsumerConfig consumerConfig) {
            this.consumerConfig = consumerConfig;
            return this;
        }

        /**
         * Sets the producer's configuration.
         *
         * @param producerConfig the configuration
         * @return this builder
         */
        public Builder producerConfig(ProducerConfig producerConfig) {
            this.producerConfig = producerConfig;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the configuration
         * @throws ConfigurationException naming the first invalid field
         */
        public StreamConfig build() {
            return new StreamConfig(this);
        }
    }
}
