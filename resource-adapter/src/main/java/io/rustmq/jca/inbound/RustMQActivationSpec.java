package io.rustmq.jca.inbound;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.ConfigurationException;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.jca.ClientProperties;
import io.rustmq.jca.RustMQResourceAdapter;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a message-driven bean consumes: {@code topics} (comma-separated), {@code consumerGroup}, {@code startPosition}
 * ({@code earliest}, {@code latest} or an offset), {@code concurrency} (parallel deliveries), {@code ordering}
 * ({@code key}: messages with one key are delivered one at a time in order; {@code partition}: per partition;
 * {@code none}), {@code maxRedeliveries}, {@code redeliveryBackoff} (ms), {@code deadLetterTopic},
 * {@code shutdownTimeout} (ms to wait for in-flight deliveries at deactivation). Client properties (brokers, TLS, ...)
 * fall back to the resource adapter's. {@link #validate()} names the bad property.
 */
public class RustMQActivationSpec extends ClientProperties implements ActivationSpec {
    private static final long serialVersionUID = 1L;

    /** Delivery ordering across the {@code concurrency} parallel deliveries. */
    public enum Ordering {
        /** Messages with the same key are delivered one at a time, in order. */
        KEY,
        /** Messages of the same partition are delivered one at a time, in order. */
        PARTITION,
        /** No order: any free delivery takes the next message. */
        NONE
    }

    private String topics;
    private String consumerGroup;
    private String startPosition = "earliest";
    private Integer concurrency = 1;
    private String ordering = "key";
    private Integer maxRedeliveries = 3;
    private Long redeliveryBackoff = 1000L;
    private String deadLetterTopic;
    private Long shutdownTimeout = 30_000L;
    private transient RustMQResourceAdapter resourceAdapter;

    /** Creates a spec; the container sets its properties from the bean's activation configuration. */
    public RustMQActivationSpec() {
    }

    /**
     * Checks every property.
     *
     * @throws InvalidPropertyException whose message names the bad property and value
     */
    @Override
    public void validate() throws InvalidPropertyException {
        try {
            consumerConfig();
            clientConfig();
            Duration.ofMillis(positive("shutdownTimeout", shutdownTimeout));
        } catch (ConfigurationException e) {
            throw new InvalidPropertyException(e.getMessage(), e);
        }
    }

    /**
     * The client configuration, this spec's values falling back to the adapter's.
     *
     * @return the configuration
     * @throws ConfigurationException naming the bad property
     */
    public ClientConfig clientConfig() {
        return toClientConfig(resourceAdapter);
    }

    /**
     * The consumer configuration.
     *
     * @return the configuration
     * @throws ConfigurationException naming the bad property
     */
    public ConsumerConfig consumerConfig() {
        if (topics == null || topics.isBlank()) {
            throw new ConfigurationException("topics", topics, "must name at least one topic (comma-separated)");
        }
        if (consumerGroup == null || consumerGroup.isBlank()) {
            throw new ConfigurationException("consumerGroup", consumerGroup, "must be set");
        }
        if (concurrency == null || concurrency < 1 || concurrency > 256) {
            throw new ConfigurationException("concurrency", concurrency, "must be between 1 and 256");
        }
        orderingMode();
        if (maxRedeliveries == null) {
            throw new ConfigurationException("maxRedeliveries", null, "must be set");
        }
        if (redeliveryBackoff == null || redeliveryBackoff < 0) {
            throw new ConfigurationException("redeliveryBackoff", redeliveryBackoff, "must be 0 or more milliseconds");
        }
        return ConsumerConfig.builder()
                .topics(topicList())
                .consumerGroup(consumerGroup)
                .startPosition(parseStartPosition())
                .maxRedeliveries(maxRedeliveries)
                .redeliveryBackoff(Duration.ofMillis(redeliveryBackoff))
                .deadLetterTopic(deadLetterTopic == null || deadLetterTopic.isEmpty() ? null : deadLetterTopic)
                .build();
    }

    /**
     * The topics as a list.
     *
     * @return the topics
     */
    public List<String> topicList() {
        return Arrays.stream(topics.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * The ordering mode.
     *
     * @return the mode
     * @throws ConfigurationException naming {@code ordering} if unknown
     */
    public Ordering orderingMode() {
        try {
            return Ordering.valueOf(String.valueOf(ordering).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("ordering", ordering, "must be key, partition or none");
        }
    }

    private StartPosition parseStartPosition() {
        String s = startPosition == null ? "" : startPosition.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "earliest":
                return StartPosition.earliest();
            case "latest":
                return StartPosition.latest();
            default:
                try {
                    return StartPosition.offset(Long.parseLong(s));
                } catch (NumberFormatException e) {
                    throw new ConfigurationException("startPosition", startPosition,
                            "must be earliest, latest or an offset");
                }
        }
    }

    private static long positive(String name, Long v) {
        if (v == null || v <= 0) {
            throw new ConfigurationException(name, v, "must be a positive number of milliseconds");
        }
        return v;
    }

    /**
     * The bound on waiting for in-flight deliveries at deactivation.
     *
     * @return the duration
     */
    public Duration shutdownDuration() {
        return Duration.ofMillis(shutdownTimeout);
    }

    /**
     * The associated adapter.
     *
     * @return the adapter
     */
    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    /**
     * Associates the adapter whose client properties are the defaults.
     *
     * @param ra a {@link RustMQResourceAdapter}
     * @throws ResourceException if another kind of adapter
     */
    @Override
    public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
        if (!(ra instanceof RustMQResourceAdapter r)) {
            throw new ResourceException("not a RustMQ resource adapter: " + ra);
        }
        this.resourceAdapter = r;
    }

    /** @return comma-separated topics */
    public String getTopics() {
        return topics;
    }

    /** @param topics comma-separated topics */
    public void setTopics(String topics) {
        this.topics = topics;
    }

    /** @return the consumer group */
    public String getConsumerGroup() {
        return consumerGroup;
    }

    /** @param consumerGroup the consumer group */
    public void setConsumerGroup(String consumerGroup) {
        this.consumerGroup = consumerGroup;
    }

    /** @return earliest, latest or an offset */
    public String getStartPosition() {
        return startPosition;
    }

    /** @param startPosition earliest (default), latest or an offset */
    public void setStartPosition(String startPosition) {
        this.startPosition = startPosition;
    }

    /** @return parallel deliveries */
    public Integer getConcurrency() {
        return concurrency;
    }

    /** @param concurrency parallel deliveries, 1 to 256 (default 1) */
    public void setConcurrency(Integer concurrency) {
        this.concurrency = concurrency;
    }

    /** @return key, partition or none */
    public String getOrdering() {
        return ordering;
    }

    /** @param ordering key (default), partition or none */
    public void setOrdering(String ordering) {
        this.ordering = ordering;
    }

    /** @return redeliveries before dead-lettering */
    public Integer getMaxRedeliveries() {
        return maxRedeliveries;
    }

    /** @param maxRedeliveries redeliveries before dead-lettering (default 3) */
    public void setMaxRedeliveries(Integer maxRedeliveries) {
        this.maxRedeliveries = maxRedeliveries;
    }

    /** @return milliseconds before a redelivery */
    public Long getRedeliveryBackoff() {
        return redeliveryBackoff;
    }

    /** @param redeliveryBackoff milliseconds before a redelivery (default 1000) */
    public void setRedeliveryBackoff(Long redeliveryBackoff) {
        this.redeliveryBackoff = redeliveryBackoff;
    }

    /** @return the dead-letter topic, or null for none */
    public String getDeadLetterTopic() {
        return deadLetterTopic;
    }

    /** @param deadLetterTopic the dead-letter topic (unset: a message out of redeliveries is logged and skipped) */
    public void setDeadLetterTopic(String deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
    }

    /** @return milliseconds to wait for in-flight deliveries at deactivation */
    public Long getShutdownTimeout() {
        return shutdownTimeout;
    }

    /** @param shutdownTimeout milliseconds to wait for in-flight deliveries at deactivation (default 30000) */
    public void setShutdownTimeout(Long shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    /**
     * The spec's properties.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "RustMQActivationSpec[topics=" + topics + ", consumerGroup=" + consumerGroup + ", concurrency="
                + concurrency + ", ordering=" + ordering + ", maxRedeliveries=" + maxRedeliveries + ", deadLetterTopic="
                + deadLetterTopic + ", " + setClientProperties() + "]";
    }
}
