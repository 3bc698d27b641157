package io.rustmq.client;

import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.internal.consumer.DefaultConsumer;
import io.rustmq.client.internal.ClientThreads;
import io.rustmq.client.internal.transport.NettyThreadState;
import io.rustmq.client.internal.transport.QuicPlatform;
import io.rustmq.client.internal.producer.DefaultProducer;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.producer.ProducerConfig;
import io.rustmq.client.stream.MessageStream;
import io.rustmq.client.stream.StreamConfig;
import io.rustmq.client.internal.transport.ConnectionPool;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The entry point: one client per application and set of brokers, shared by its producers and consumers, which
 * share its QUIC connections. Connections open on first use. Thread-safe; close it to release everything.
 *
 * <p>In a container: every thread the client, its producers, consumers and streams use comes from
 * {@link ClientConfig#threadFactory()} (give it the container's managed factory); {@link #close()} stops the streams,
 * closes the consumers (commit, leave the group) and the producers (deliver within
 * {@link ClientConfig#closeTimeout()}) it created, then the connections; and a closed client leaves no thread,
 * thread-local or native context behind, so the application's class loader can be collected on redeploy.
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
    private final Set<DefaultConsumer> consumers = ConcurrentHashMap.newKeySet();
    private final Set<MessageStream> streams = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;

    private RustMQClient(ClientConfig config) {
        this.config = config;
        QuicPlatform.requireNatives();
        this.pool = ConnectionPool.create(config);
        ScheduledThreadPoolExecutor s = ClientThreads.scheduler(config.threadFactory().orElse(null),
                "rustmq-timer-" + config.clientId());
        this.scheduler = Executors.unconfigurableScheduledExecutorService(s);
    }

    /**
     * Creates a client. No connection is opened until the first request.
     *
     * @param config the configuration
     * @return the client
     * @throws TlsException if TLS material in the configuration cannot be loaded
     * @throws UnsupportedPlatformException if the native QUIC library does not load on this operating system and
     *     architecture (the message names both)
     */
    public static RustMQClient create(ClientConfig config) {
        Objects.requireNonNull(config, "config");
        // building the transport runs Netty code here, on the caller's thread: leave no Netty state behind on it
        return NettyThreadState.clean(() -> new RustMQClient(config));
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
     * Creates a producer for any topic, with the default producer configuration: each message goes to its
     * {@link Message#topic()}; one buffer and one set of metrics serve all topics.
     *
     * @return the producer; close it when done
     */
    public Producer createProducer() {
        return createProducer(ProducerConfig.defaults());
    }

    /**
     * Creates a producer for any topic: each message goes to its {@link Message#topic()} (a message without one
     * fails); one buffer and one set of metrics serve all topics.
     *
     * @param producerConfig the producer configuration
     * @return the producer; close it (before this client) when done
     * @throws ConfigurationException if the configuration is null, or an uncompressed maxMessageSize set on it
     *     exceeds maxRequestBytes
     */
    public Producer createProducer(ProducerConfig producerConfig) {
        checkOpen();
        if (producerConfig == null) {
            throw new ConfigurationException("producerConfig", null, "must not be null (use ProducerConfig.defaults())");
        }
        checkSizeLimits(producerConfig);
        DefaultProducer producer = new DefaultProducer(null, producerConfig, pool, scheduler);
        producers.removeIf(DefaultProducer::isClosed);
        producers.add(producer);
        return producer;
    }

    /**
     * Creates a producer for a topic.
     *
     * @param topic the topic messages go to when they name none
     * @param producerConfig the producer configuration
     * @return the producer; close it (before this client) when done
     * @throws ConfigurationException if the topic is blank, the configuration is null, or an uncompressed
     *     maxMessageSize set on it exceeds maxRequestBytes
     */
    public Producer createProducer(String topic, ProducerConfig producerConfig) {
        checkOpen();
        if (topic == null || topic.isBlank()) {
            throw new ConfigurationException("topic", topic, "must not be blank");
        }
        if (producerConfig == null) {
            throw new ConfigurationException("producerConfig", null, "must not be null (use ProducerConfig.defaults())");
        }
        checkSizeLimits(producerConfig);
        DefaultProducer producer = new DefaultProducer(topic, producerConfig, pool, scheduler);
        producers.removeIf(DefaultProducer::isClosed);
        producers.add(producer);
        if (closed) {
            // close() ran while this producer was being created: it must not outlive the client
            producer.close(Duration.ZERO);
            checkOpen();
        }
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
        DefaultConsumer consumer = new DefaultConsumer(consumerConfig, pool, this::createProducer,
                config.threadFactory().orElse(null));
        consumers.removeIf(DefaultConsumer::isClosed);
        consumers.add(consumer);
        if (closed) {
            // close() ran while this consumer was being created: it must not outlive the client
            consumer.close();
            checkOpen();
        }
        return consumer;
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
        MessageStream stream = new MessageStream(streamConfig, consumer,
                createProducer(producerTopic, streamConfig.producerConfig()), config.threadFactory().orElse(null),
                io.rustmq.client.tracing.Tracing.forConfig(config));
        streams.removeIf(RustMQClient::terminated);
        streams.add(stream);
        return stream;
    }

    /** Refuses an uncompressed producer whose messages could never fit one request (SizeLimits, one rule). */
    private void checkSizeLimits(ProducerConfig producerConfig) {
        io.rustmq.client.protocol.SizeLimits.checkProducerLimits(producerConfig.maxMessageSize(),
                producerConfig.isMaxMessageSizeSet(), producerConfig.compression().codec() != io.rustmq.client.compression.Compression.NONE,
                config.maxRequestBytes());
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
            return NettyThreadState.clean(pool::healthCheck).get();
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
        return NettyThreadState.clean(pool::healthCheck);
    }

    /**
     * Fetches the cluster's metadata (a Metadata round trip, with the client's retries): every topic the brokers
     * list, with its partitions, leaders and replicas. Also refreshes the client's own partition counts.
     *
     * @return one entry per listed topic
     * @throws RustMQException if no broker answered (after retries) or the client is closed
     */
    public List<TopicInfo> topicMetadata() {
        checkOpen();
        try {
            return pool.refreshMetadata().get().topicsMetadata().stream()
                    .map(t -> new TopicInfo(t.name(), t.partitions().stream()
                            .map(p -> new PartitionInfo(p.partitionId(), p.leader(), p.replicas())).toList()))
                    .toList();
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

    /**
     * The producers this client created that are not closed (for metrics binders such as
     * {@code io.rustmq.client.metrics.micrometer.RustMQClientMetrics}).
     *
     * @return an immutable snapshot, empty once the client is closed
     */
    public List<Producer> producers() {
        return producers.stream().filter(p -> !p.isClosed()).map(p -> (Producer) p).toList();
    }

    /**
     * The consumers this client created that are not closed (streams' consumers included).
     *
     * @return an immutable snapshot, empty once the client is closed
     */
    public List<Consumer> consumers() {
        return consumers.stream().filter(c -> !c.isClosed()).map(c -> (Consumer) c).toList();
    }

    /**
     * The streams this client created that have not terminated.
     *
     * @return an immutable snapshot, empty once the client is closed
     */
    public List<MessageStream> streams() {
        return streams.stream().filter(s -> !terminated(s)).toList();
    }

    /**
     * Whether {@link #close()} or {@link #closeAsync()} has been called.
     *
     * @return {@code true} once closing has begun
     */
    public boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) {
            throw new RustMQException("client is closed");
        }
    }

    private static boolean terminated(MessageStream stream) {
        try {
            return stream.awaitTermination(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Shuts the client down gracefully, in order, within {@link ClientConfig#closeTimeout()}: stops the streams it
     * created (in-flight work finishes, outputs are stored, inputs committed), closes its consumers (acknowledged
     * offsets committed, group left at once so the other members take over the partitions without waiting for the
     * session timeout), closes its producers (buffered messages are sent; what is undelivered when the timeout runs
     * out fails), and finally closes every connection and background task. Idempotent: a second call, or a call
     * while {@link #closeAsync()} runs, returns at once (wait on {@link #closeAsync()} to know when it finished).
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        RuntimeException failure = shutdownAndComplete();
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Closes as {@link #close()} does, on a thread of the client's thread factory (never the caller's and never
     * {@code ForkJoinPool.commonPool()}).
     *
     * @return completes when the client is closed; every call returns the same future
     */
    public CompletableFuture<Void> closeAsync() {
        if (closing.compareAndSet(false, true)) {
            closed = true;
            Thread closer;
            try {
                closer = ClientThreads.newThread(config, this::shutdownAndComplete, "rustmq-close-" + config.clientId());
            } catch (RustMQException e) {
                // the factory refused a thread (a managed factory already shut down): close on this thread instead
                shutdownAndComplete();
                return closeFuture;
            }
            closer.start();
        }
        return closeFuture;
    }

    /** Runs the shutdown and completes {@link #closeFuture}; returns the failure, if any, for the caller to throw. */
    private RuntimeException shutdownAndComplete() {
        try {
            shutdown();
            closeFuture.complete(null);
            return null;
        } catch (RuntimeException e) {
            closeFuture.completeExceptionally(e);
            return e;
        }
    }

    private void shutdown() {
        long deadline = System.nanoTime() + config.closeTimeout().toNanos();
        RuntimeException failure = null;
        for (MessageStream s : streams) {
            failure = attempt(failure, () -> s.stop(remaining(deadline)));
        }
        streams.clear();
        for (DefaultConsumer c : consumers) {
            failure = attempt(failure, c::close);
        }
        consumers.clear();
        for (DefaultProducer p : producers) {
            failure = attempt(failure, () -> p.close(remaining(deadline)));
        }
        producers.clear();
        pool.close();
        scheduler.shutdownNow();
        if (failure != null) {
            throw failure;
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /** Runs one closing step; a failure is kept (the first one thrown at the end), and the next steps still run. */
    private static RuntimeException attempt(RuntimeException failure, Runnable step) {
        try {
            step.run();
            return failure;
        } catch (RuntimeException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
            return failure;
        }
    }
}
