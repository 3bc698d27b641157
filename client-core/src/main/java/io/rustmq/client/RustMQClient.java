package io.rustmq.client;

import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.DefaultConsumer;
import io.rustmq.client.producer.DefaultProducer;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.producer.ProducerConfig;
import io.rustmq.client.stream.MessageStream;
import io.rustmq.client.stream.StreamConfig;
import io.rustmq.client.transport.ConnectionPool;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The entry point: one client per application and set of brokers, shared by its producers and consumers, which
 * share its QUIC connections. Connections open on first use. Thread-safe; close it to release everything.
 *
 * <pre>{@code
 * try (RustMQClient client = RustMQClient.create(config);
 *      Producer producer = client.createProducer("orders")) {
 *     SendResult r = producer.send(Message.builder().key("user-123").payload("hello").build());
 * }
 * }</pre>
 */
public final class RustMQClient implements AutoCloseable {
    private final ClientConfig config;
    private final ConnectionPool pool;
    private final ScheduledExecutorService scheduler;
    private final Set<DefaultProducer> producers = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private RustMQClient(ClientConfig config) {
        this.config = config;
        this.pool = ConnectionPool.create(config);
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "rustmq-timer-" + config.clientId() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        this.scheduler = Executors.unconfigurableScheduledExecutorService(s);
    }

    /**
     * Creates a client. No connection is opened until the first request.
     *
     * @param config the configuration
     * @return the client
     * @throws TlsException if TLS material in the configuration cannot be loaded
     */
    public static RustMQClient create(ClientConfig config) {
        return new RustMQClient(Objects.requireNonNull(config, "config"));
    }

    /**
     * The configuration this client was created with.
     *
     * @return the configuration
     */
    public ClientConfig config() {
        return config;
    }

    /**
     * Creates a producer for a topic with the default producer configuration.
     *
     * @param topic the topic messages go to when they name none
     * @return the producer; close it when done
     */
    public Producer createProducer(String topic) {
        return createProducer(topic, ProducerConfig.defaults());
    }

    /**
     * Creates a producer for a topic.
     *
     * @param topic the topic messages go to when they name none
     * @param producerConfig the producer configuration
     * @return the producer; close it (before this client) when done
     * @throws ConfigurationException if the topic is blank or the configuration is null
     */
    public Producer createProducer(String topic, ProducerConfig producerConfig) {
        checkOpen();
        if (topic == null || topic.isBlank()) {
            throw new ConfigurationException("topic", topic, "must not be blank");
        }
        if (producerConfig == null) {
            throw new ConfigurationException("producerConfig", null, "must not be null (use ProducerConfig.defaults())");
        }
        DefaultProducer producer = new DefaultProducer(topic, producerConfig, pool, scheduler);
        producers.removeIf(DefaultProducer::isClosed);
        producers.add(producer);
        return producer;
    }

    /**
     * Creates a consumer of one topic in a group, with the default consumer configuration.
     *
     * @param topic the topic
     * @param group the consumer group
     * @return the consumer, already joining the group; close it when done
     * @throws ConfigurationException if the topic or group is blank
     */
    public Consumer createConsumer(String topic, String group) {
        return createConsumer(topic, group, ConsumerConfig.defaults());
    }

    /**
     * Creates a consumer of one topic in a group. The topic and group replace any set in the configuration.
     *
     * @param topic the topic
     * @param group the consumer group
     * @param consumerConfig the consumer configuration
     * @return the consumer, already joining the group; close it when done
     * @throws ConfigurationException if the topic or group is blank, or the topic is the dead-letter topic
     */
    public Consumer createConsumer(String topic, String group, ConsumerConfig consumerConfig) {
        return createConsumer(topic == null ? null : java.util.Collections.singletonList(topic), group,
                consumerConfig);
    }

    /**
     * Creates a consumer of several topics in a group. The topics and group replace any set in the configuration.
     *
     * @param topics the topics, at least one
     * @param group the consumer group
     * @param consumerConfig the consumer configuration
     * @return the consumer, already joining the group; close it when done
     * @throws ConfigurationException if a topic or the group is blank, or a topic is the dead-letter topic
     */
    public Consumer createConsumer(List<String> topics, String group, ConsumerConfig consumerConfig) {
        Objects.requireNonNull(consumerConfig, "consumerConfig");
        return createConsumer(consumerConfig.toBuilder().topics(topics).consumerGroup(group)
                .build());
    }

    /**
     * Creates a consumer from a configuration that names its group and topics.
     *
     * @param consumerConfig the consumer configuration, with {@code consumerGroup} and {@code topics} set
     * @return the consumer, already joining the group; close it when done
     * @throws ConfigurationException if the group or the topics are not set
     */
    public Consumer createConsumer(ConsumerConfig consumerConfig) {
        checkOpen();
        Objects.requireNonNull(consumerConfig, "consumerConfig");
        return new DefaultConsumer(consumerConfig, pool, this::createProducer);
    }

    /**
     * Creates a message stream: a consumer of the input topics in the stream's group and a producer for its outputs,
     * both owned by the stream. Set a processor, then {@link MessageStream#start()}.
     *
     * @param streamConfig the stream configuration
     * @return the stream, not yet started
     */
    public MessageStream createStream(StreamConfig streamConfig) {
        checkOpen();
        Objects.requireNonNull(streamConfig, "streamConfig");
        Consumer consumer = createConsumer(streamConfig.inputTopics(), streamConfig.consumerGroup(),
                streamConfig.consumerConfig());
        String producerTopic = streamConfig.outputTopic() != null ? streamConfig.outputTopic()
                : streamConfig.inputTopics().get(0);
        return new MessageStream(streamConfig, consumer, createProducer(producerTopic, streamConfig.producerConfig()));
    }

    /**
     * Whether a connection to at least one broker is open now. Connections open on first use, so a new client that
     * has sent nothing is not connected.
     *
     * @return {@code true} if connected
     */
    public boolean isConnected() {
        return pool.isConnected();
    }

    /**
     * Checks that a broker answers: a Metadata round trip (the broker has no health request) to a connected broker,
     * or to the next one that can be reached, within {@link ClientConfig#requestTimeout()}. Opens connections if
     * none is open yet. The same check runs in the background every {@link ClientConfig#keepAliveInterval()}.
     *
     * @return the result: which broker answered, the round-trip time, and whether every known broker is connected
     * @throws ConnectionException if no broker answered within the request timeout; the message names each broker
     *     tried and why it did not answer
     * @throws RustMQException if the client is closed
     */
    public HealthCheckResult healthCheck() {
        checkOpen();
        try {
            return pool.healthCheck().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RustMQException("interrupted while waiting for the health check", e, false);
        } catch (java.util.concurrent.ExecutionException e) {
            throw ConnectionPool.unwrap(e.getCause());
        }
    }

    /**
     * The asynchronous form of {@link #healthCheck()}.
     *
     * @return the result, or a future failed as {@link #healthCheck()} throws
     */
    public java.util.concurrent.CompletableFuture<HealthCheckResult> healthCheckAsync() {
        checkOpen();
        return pool.healthCheck();
    }

    /**
     * Fetches the cluster's metadata (a Metadata round trip, with the client's retries): every topic the brokers
     * list, with its partitions, leaders and replicas. Also refreshes the client's own partition counts.
     *
     * @return one entry per listed topic
     * @throws RustMQException if no broker answered (after retries) or the client is closed
     */
    public List<io.rustmq.client.protocol.TopicMetadata> topicMetadata() {
        checkOpen();
        try {
            return pool.refreshMetadata().get().topicsMetadata();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RustMQException("interrupted while waiting for metadata", e, false);
        } catch (java.util.concurrent.ExecutionException e) {
            throw ConnectionPool.unwrap(e.getCause());
        }
    }

    /**
     * A snapshot of the connection counters: connections, brokers, bytes and requests of the transport, health
     * checks and reconnect attempts. Counters start at zero when the client is created.
     *
     * @return an immutable snapshot
     */
    public ClientStats stats() {
        return pool.stats();
    }

    private void checkOpen() {
        if (closed) {
            throw new RustMQException("client is closed");
        }
    }

    /**
     * Closes every connection and stops reconnection and background health checks, at once: this is not a graceful
     * shutdown (close producers and consumers first for that). Producers created by this client are closed without
     * waiting, so every send still pending completes exceptionally; consumers stop working and fail their next
     * {@code receive}. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pool.close();
        for (DefaultProducer p : producers) {
            p.close(Duration.ZERO);
        }
        producers.clear();
        scheduler.shutdownNow();
    }
}
