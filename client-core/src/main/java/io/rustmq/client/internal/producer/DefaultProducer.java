package io.rustmq.client.internal.producer;

import io.rustmq.client.producer.Partitioner;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.producer.ProducerConfig;
import io.rustmq.client.producer.SendCallback;
import io.rustmq.client.Message;
import io.rustmq.client.RequestTimeoutException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.SendResult;
import io.rustmq.client.internal.producer.ProducerStats;
import io.rustmq.client.internal.producer.RecordEncoder;
import io.rustmq.client.metrics.ProducerMetrics;
import io.rustmq.client.protocol.AcknowledgmentLevel;
import io.rustmq.client.internal.transport.Backoff;
import io.rustmq.client.internal.transport.ConnectionPool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The producer behind {@link Producer}, a facade over its parts. A send runs on the calling thread: the
 * {@link RecordEncoder} turns the message into a wire record (headers, compression, size checks), the partition is
 * chosen, its bytes are reserved in the {@link BufferPool} and it is appended to the {@link RecordAccumulator}, whose
 * {@link SendWindow} lets batches go up to {@code maxInFlightPerPartition} per partition and whose
 * {@link LingerTimer} runs on the client's timer thread. The {@link BatchDispatcher} sends each batch as one Produce
 * request and completes its records with offsets {@code base + i} on the transport's threads.
 *
 * <p>Failures (DESIGN §4, issue 18): a retriable failure (connection, timeout, {@code OutOfOrderSequence}, a moved
 * partition) puts the batch back; it is resent with the client's backoff ({@link RetrySchedule}), in order from the
 * partition's oldest unacknowledged batch, until it succeeds or {@code deliveryTimeout} has passed since its first
 * message was handed over (the client's {@code retry.maxRetries} does not end it earlier). A batch that fails for
 * good fails the partition's later unacknowledged batches with the same exception, oldest first, and the partition
 * goes on under a new producer id. Created by {@link io.rustmq.client.RustMQClient#createProducer}.
 */
public final class DefaultProducer implements Producer {
    private final String topic;
    private final ProducerConfig config;
    private final ConnectionPool pool;
    private final AcknowledgmentLevel acks;
    private final Duration awaitBound;
    private final String producerId;
    private final AtomicBoolean firstIdTaken = new AtomicBoolean();
    private final RecordEncoder encoder;
    private final Partitioner partitioner;
    private final BufferPool buffer;
    private final RecordAccumulator accumulator;
    private final RecordAccumulator.TopicQueues defaultQueues;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The tracing hook (issue 16), or null when tracing is off or no tracing library is present. */
    private final io.rustmq.client.tracing.MessageTracer tracer;

    private final ProducerStats stats = new ProducerStats();
    private final BatchDispatcher dispatcher;

    /**
     * Creates a producer; use {@link io.rustmq.client.RustMQClient#createProducer(String, ProducerConfig)}.
     *
     * @param topic the default topic, or null for a producer that sends each message to its own topic
     * @param config the producer configuration
     * @param pool the client's connections
     * @param scheduler the client's timer thread, for linger times and retry delays
     */
    public DefaultProducer(String topic, ProducerConfig config, ConnectionPool pool, ScheduledExecutorService scheduler) {
        this(topic, config, pool, scheduler, System::nanoTime);
    }

    /**
     * Creates a producer with its own clock (for tests).
     *
     * @param topic the default topic, or null for a producer that sends each message to its own topic
     * @param config the producer configuration
     * @param pool the client's connections
     * @param scheduler the client's timer thread, for linger times and retry delays
     * @param clock the nanosecond clock for delivery timeouts and backoff
     */
    DefaultProducer(String topic, ProducerConfig config, ConnectionPool pool, ScheduledExecutorService scheduler,
                    LongSupplier clock) {
        this.topic = topic;
        this.config = Objects.requireNonNull(config, "config");
        this.pool = Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(clock, "clock");
        this.acks = AckLevels.toWire(config.ackLevel());
        this.awaitBound = config.deliveryTimeout().plus(pool.config().requestTimeout()).plusSeconds(1);
        boolean idempotent = config.idempotent();
        this.producerId = UUID.randomUUID().toString();
        this.encoder = new RecordEncoder(config, pool.config().maxRequestBytes(), acks,
                idempotent ? ProducerBatch.IDEMPOTENCE_HEADERS_MAX_BYTES : 0);
        this.partitioner = config.partitioner();
        this.buffer = new BufferPool(config.bufferMemory(), config.maxBlockTime().toNanos());
        this.dispatcher = new BatchDispatcher(pool, buffer, stats,
                new RetrySchedule(new Backoff(pool.config().retry()), config.deliveryTimeout().toNanos()), clock, acks,
                (int) Math.min(Integer.MAX_VALUE, pool.config().requestTimeout().toMillis()),
                config.deliveryTimeout().toMillis());
        this.accumulator = new RecordAccumulator(config.batchSize(), config.batchBytes(),
                pool.config().maxRequestBytes(), acks, config.lingerTime().toNanos(),
                config.maxInFlightPerPartition(), idempotent, scheduler, dispatcher,
                config.deliveryTimeout().toNanos(), this::nextProducerId, clock);
        dispatcher.bind(accumulator);
        this.defaultQueues = topic == null ? null : accumulator.topic(topic);
        this.tracer = io.rustmq.client.tracing.Tracing.forConfig(pool.config());
    }

    /** The producer id of a partition's first batch is this producer's; after a failure a new one is drawn. */
    private String nextProducerId() {
        return firstIdTaken.compareAndSet(false, true) ? producerId : UUID.randomUUID().toString();
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public ProducerConfig config() {
        return config;
    }

    /**
     * The idempotence id every partition starts with, sent in the {@value Producer#PRODUCER_ID_HEADER} header; a
     * partition moves to a new random id after a send to it failed for good.
     *
     * @return a random UUID chosen when the producer was created
     */
    public String producerId() {
        return producerId;
    }

    // ----------------------------------------------------------------------------------------------------------
    // Sending

    /** {@inheritDoc} The message's batch goes without waiting for the linger time, as the caller waits anyway. */
    @Override
    public SendResult send(Message message) {
        CompletableFuture<SendResult> future = new CompletableFuture<>();
        try {
            accumulator.expedite(submit(message, future));
        } catch (RustMQException e) {
            stats.failed(1);
            throw e;
        }
        return await(future, awaitBound);
    }

    @Override
    public CompletableFuture<SendResult> sendAsync(Message message) {
        CompletableFuture<SendResult> future = new CompletableFuture<>();
        try {
            submit(message, future);
        } catch (RustMQException e) {
            stats.failed(1);
            future.completeExceptionally(e);
        }
        return future;
    }

    @Override
    public void send(Message message, SendCallback callback) {
        Objects.requireNonNull(callback, "callback");
        try {
            submit(message, callback);
        } catch (RustMQException e) {
            stats.failed(1);
            ProducerBatch.deliver(callback, null, e);
        }
    }

    /** {@inheritDoc} The batches go without waiting for the linger time, as the caller waits anyway. */
    @Override
    public List<SendResult> sendBatch(List<Message> messages) {
        List<CompletableFuture<SendResult>> futures = new ArrayList<>(messages.size());
        List<RecordAccumulator.PartitionQueue> touched = new ArrayList<>(4);
        for (Message m : messages) {
            CompletableFuture<SendResult> future = new CompletableFuture<>();
            try {
                RecordAccumulator.PartitionQueue q = submit(m, future);
                if (!touched.contains(q)) {
                    touched.add(q);
                }
            } catch (RustMQException e) {
                stats.failed(1);
                future.completeExceptionally(e);
            }
            futures.add(future);
        }
        for (RecordAccumulator.PartitionQueue q : touched) {
            accumulator.expedite(q);
        }
        long deadline = System.nanoTime() + awaitBound.toNanos();
        List<SendResult> results = new ArrayList<>(futures.size());
        RustMQException first = null;
        for (CompletableFuture<SendResult> f : futures) {
            try {
                results.add(await(f, Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
            } catch (RustMQException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return results;
    }

    /**
     * Builds the record and appends it; the sink is completed later. Throws for anything refused up front.
     *
     * @return the partition the record went to
     */
    private RecordAccumulator.PartitionQueue submit(Message message, Object sink) {
        Objects.requireNonNull(message, "message");
        String traceTopic = message.topic() != null ? message.topic() : topic;
        if (tracer == null || traceTopic == null || closed.get()) {
            return submitRecord(message, sink);
        }
        // Tracing hook (issue 16): a publish span per message, its context in the message headers, ended with the
        // send's outcome.
        io.rustmq.client.tracing.MessageTracer.Publish trace = tracer.startPublish(traceTopic, message);
        if (!trace.needsEnd()) {
            return submitRecord(trace.message(), sink); // no span: the callback stays as given
        }
        Object tracedSink;
        CompletableFuture<SendResult> future = null;
        if (sink instanceof SendCallback callback) {
            tracedSink = (SendCallback) (result, error) -> {
                trace.end(result, error);
                callback.onCompletion(result, error);
            };
        } else {
            @SuppressWarnings("unchecked")
            CompletableFuture<SendResult> f = (CompletableFuture<SendResult>) sink;
            future = f;
            future.whenComplete(trace::end);
            tracedSink = future;
        }
        try {
            return submitRecord(trace.message(), tracedSink);
        } catch (RuntimeException e) {
            if (future != null) {
                future.completeExceptionally(e); // ends the span; the caller fails the same future or throws e
            } else {
                trace.end(null, e);
            }
            throw e;
        }
    }

    private RecordAccumulator.PartitionQueue submitRecord(Message message, Object sink) {
        if (closed.get()) {
            throw new RustMQException(this + " is closed");
        }
        String t = message.topic();
        if (t == null) {
            if (topic == null) {
                throw new RustMQException("the message names no topic, and this producer has no default topic"
                        + " (created by RustMQClient.createProducer() without one): set Message.topic", null, false);
            }
            t = topic;
        }
        RecordAccumulator.TopicQueues tq = t.equals(topic) ? defaultQueues : accumulator.topic(t);

        RecordEncoder.Encoded r = encoder.encode(message, tq.name);
        int partition = partitionFor(message, tq, t, r.key());
        RecordAccumulator.PartitionQueue q = tq.queue(partition);
        long timestamp = message.timestamp() != 0 ? message.timestamp() : System.currentTimeMillis();
        buffer.reserve(r.size());
        try {
            accumulator.append(q, r.key(), r.value(), r.headers(), timestamp, r.size(), sink);
        } catch (RuntimeException e) {
            buffer.release(r.size());
            throw e;
        }
        return q;
    }

    private int partitionFor(Message message, RecordAccumulator.TopicQueues tq, String t, byte[] key) {
        if (message.partition().isPresent()) {
            return message.partition().getAsInt();
        }
        int count = tq.partitionCount();
        if (count == 0) {
            count = await(tq.partitionCountLookup(() -> pool.partitionCount(t)), config.maxBlockTime(),
                    "the partition count of topic '" + t + "' was not known within maxBlockTime = "
                            + config.maxBlockTime().toMillis() + " ms (the lookup goes on; a later send may"
                            + " succeed)");
        }
        int p;
        try {
            p = partitioner.partition(t, key, count);
        } catch (RuntimeException e) {
            throw new RustMQException("the partitioner " + partitioner + " failed for topic '" + t + "': " + e, e,
                    false);
        }
        if (p == Partitioner.UNASSIGNED) {
            return tq.stickyPartition(count);
        }
        if (p < 0 || p >= count) {
            throw new RustMQException("the partitioner " + partitioner + " chose partition " + p + " of topic '" + t
                    + "', which has " + count + " partitions");
        }
        return p;
    }

    // ----------------------------------------------------------------------------------------------------------
    // Flush, close, metrics

    @Override
    public void flush() {
        if (closed.get()) {
            throw new RustMQException(this + " is closed");
        }
        accumulator.flushAll();
        if (!awaitBatches(accumulator.incomplete(), awaitBound.toNanos())) {
            throw new RequestTimeoutException("flush did not complete within " + awaitBound.toMillis()
                    + " ms (deliveryTimeout + requestTimeout)");
        }
    }

    /**
     * Whether {@link #close} has been called.
     *
     * @return {@code true} once closing has begun
     */
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        close(config.deliveryTimeout());
    }

    @Override
    public void close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        buffer.close();
        accumulator.beginClose();
        boolean drained = awaitBatches(accumulator.incomplete(), Math.max(0, timeout.toNanos()));
        RustMQException reason = drained
                ? new RustMQException(this + " is closed")
                : new RequestTimeoutException(this + " was closed before these"
                + " messages were delivered (close timeout " + timeout.toMillis() + " ms)");
        for (ProducerBatch b : accumulator.abort(reason)) {
            dispatcher.fail(b, reason);
        }
        encoder.close();
    }

    /** Waits for batches to complete; true if all did in time. */
    private static boolean awaitBatches(List<ProducerBatch> batches, long timeoutNanos) {
        if (batches.isEmpty()) {
            return true;
        }
        CompletableFuture<?>[] completions = new CompletableFuture<?>[batches.size()];
        for (int i = 0; i < completions.length; i++) {
            completions[i] = batches.get(i).completion();
        }
        try {
            CompletableFuture.allOf(completions).get(timeoutNanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("batch completions never fail", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RustMQException("interrupted while waiting for sends to complete", e, false);
        }
    }

    @Override
    public ProducerMetrics metrics() {
        return stats.snapshot();
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout) {
        return await(future, timeout, "no result within " + timeout.toMillis() + " ms");
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout, String timeoutMessage) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw ConnectionPool.unwrap(e.getCause());
        } catch (TimeoutException e) {
            throw new RequestTimeoutException(timeoutMessage);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RustMQException("interrupted while waiting for the broker", e, false);
        }
    }

    @Override
    public String toString() {
        return "DefaultProducer{topic=" + (topic == null ? "(any)" : topic) + ", producerId=" + producerId + ", closed=" + closed.get() + "}";
    }
}
