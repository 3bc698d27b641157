package io.rustmq.client.producer;

import io.rustmq.client.BrokerErrorException;
import io.rustmq.client.Header;
import io.rustmq.client.Headers;
import io.rustmq.client.Message;
import io.rustmq.client.MessageTooLargeException;
import io.rustmq.client.ProtocolException;
import io.rustmq.client.RequestTimeoutException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.SendResult;
import io.rustmq.client.compression.Compression;
import io.rustmq.client.compression.CompressionConfig;
import io.rustmq.client.metrics.LatencyHistogram;
import io.rustmq.client.metrics.ProducerMetrics;
import io.rustmq.client.protocol.AcknowledgmentLevel;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.ProduceResponse;
import io.rustmq.client.protocol.Response;
import io.rustmq.client.protocol.SizeLimits;
import io.rustmq.client.protocol.WireHeader;
import io.rustmq.client.transport.Backoff;
import io.rustmq.client.transport.ConnectionPool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The producer behind {@link Producer}. A send turns the message into a wire record on the calling thread (headers,
 * compression, size checks, partition), reserves its bytes in the buffer memory and appends it to the
 * {@link RecordAccumulator}; batches that may go are sent as one Produce request each, up to
 * {@code maxInFlightPerPartition} per partition, and their records completed with offsets {@code base + i}.
 *
 * <p>Failures (DESIGN §4, issue 18): a retriable failure (connection, timeout, {@code OutOfOrderSequence}, a moved
 * partition) puts the batch back; it is resent with the client's backoff ({@link RetrySchedule}), in order from the
 * partition's oldest unacknowledged batch, until it succeeds or {@code deliveryTimeout} has passed since its first
 * message was handed over (the client's {@code retry.maxRetries} does not end it earlier). A batch that fails for
 * good fails the partition's later unacknowledged batches with the same exception, oldest first, and the partition
 * goes on under a new producer id. Created by {@link io.rustmq.client.RustMQClient#createProducer}.
 */
public final class DefaultProducer implements Producer {
    private static final System.Logger LOG = System.getLogger(DefaultProducer.class.getName());
    private static final WireHeader[] NO_HEADERS = new WireHeader[0];
    private static final List<Header> NO_MESSAGE_HEADERS = List.of();
    private static final String RESERVED_PREFIX = "rustmq-";

    private final String topic;
    private final ProducerConfig config;
    private final ConnectionPool pool;
    private final ScheduledExecutorService scheduler;
    private final RetrySchedule schedule;
    private final LongSupplier clock;
    private final AcknowledgmentLevel acks;
    private final int requestTimeoutMs;
    private final long deliveryTimeoutNanos;
    private final Duration awaitBound;
    private final boolean idempotent;
    private final String producerId;
    private final AtomicBoolean firstIdTaken = new AtomicBoolean();
    private final Compression codec;
    private final int compressionLevel;
    /** Native compression contexts, pooled for this producer and freed when it closes (no thread-local caches). */
    private final io.rustmq.client.compression.CompressionContexts compressionContexts =
            new io.rustmq.client.compression.CompressionContexts();
    private final int compressionMinSize;
    private final WireHeader compressionHeader;
    private final int compressionHeaderBytes;
    private final WireHeader[] defaultHeaders;
    private final int defaultHeaderBytes;
    private final Partitioner partitioner;
    private final BufferPool buffer;
    private final RecordAccumulator accumulator;
    private final RecordAccumulator.TopicQueues defaultQueues;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The tracing hook (issue 16), or null when tracing is off or no tracing library is present. */
    private final io.rustmq.client.tracing.MessageTracer tracer;

    private final LongAdder messagesSent = new LongAdder();
    private final LongAdder messagesFailed = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder batchesSent = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LatencyHistogram latency = new LatencyHistogram();
    private volatile long lastSendMillis;

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
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.schedule = new RetrySchedule(new Backoff(pool.config().retry()), config.deliveryTimeout().toNanos());
        this.acks = config.ackLevel().toProtocol();
        this.requestTimeoutMs = (int) Math.min(Integer.MAX_VALUE, pool.config().requestTimeout().toMillis());
        this.deliveryTimeoutNanos = config.deliveryTimeout().toNanos();
        this.awaitBound = config.deliveryTimeout().plus(pool.config().requestTimeout()).plusSeconds(1);
        this.idempotent = config.idempotent();
        this.producerId = UUID.randomUUID().toString();
        CompressionConfig c = config.compression();
        this.codec = c.codec();
        this.compressionLevel = c.level();
        this.compressionMinSize = c.minSize();
        this.compressionHeader = WireHeader.of(Compression.HEADER, codec.headerValue());
        this.compressionHeaderBytes = headerBytes(compressionHeader);
        Headers dh = config.defaultHeaders();
        this.defaultHeaders = new WireHeader[dh.size()];
        int bytes = 0;
        for (int i = 0; i < defaultHeaders.length; i++) {
            Header h = dh.asList().get(i);
            defaultHeaders[i] = new WireHeader(h.key(), h.value());
            bytes += headerBytes(defaultHeaders[i]);
        }
        this.defaultHeaderBytes = bytes;
        this.partitioner = config.partitioner();
        this.buffer = new BufferPool(config.bufferMemory(), config.maxBlockTime().toNanos());
        this.accumulator = new RecordAccumulator(config.batchSize(), config.batchBytes(),
                pool.config().maxRequestBytes(), acks, config.lingerTime().toNanos(),
                config.maxInFlightPerPartition(), idempotent, scheduler, this::dispatch, deliveryTimeoutNanos,
                this::nextProducerId, clock);
        this.defaultQueues = topic == null ? null : accumulator.topic(topic);
        this.tracer = io.rustmq.client.tracing.Tracing.forConfig(pool.config());
    }

    /** The producer id of a partition's first batch is this producer's; after a failure a new one is drawn. */
    private String nextProducerId() {
        return firstIdTaken.compareAndSet(false, true) ? producerId : UUID.randomUUID().toString();
    }

    private static int headerBytes(WireHeader h) {
        return 16 + Frames.utf8Length(h.key()) + h.value().length;
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
            messagesFailed.increment();
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
            messagesFailed.increment();
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
            messagesFailed.increment();
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
                messagesFailed.increment();
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

        // Headers: the message's, without idempotence headers (ours replace them); a compression header marks an
        // already compressed value.
        Headers mh = message.headers();
        int userHeaders = 0;
        int userHeaderBytes = 0;
        boolean precompressed = false;
        for (Header h : mh.isEmpty() ? NO_MESSAGE_HEADERS : mh.asList()) {
            String k = h.key();
            if (k.startsWith(RESERVED_PREFIX)) {
                if (k.equals(PRODUCER_ID_HEADER) || k.equals(SEQUENCE_HEADER)) {
                    continue;
                }
                if (k.equals(Compression.HEADER)) {
                    precompressed = true;
                }
            }
            userHeaders++;
            userHeaderBytes += 16 + Frames.utf8Length(k) + h.value().length;
        }
        byte[] key = message.key();
        byte[] value = message.payload();
        int fixed = 1 + (key == null ? 0 : 8 + key.length) + 8 + 8 + 8 + defaultHeaderBytes + userHeaderBytes;
        long messageSize = (long) fixed + value.length;
        SizeLimits.checkMessage(messageSize, config.maxMessageSize());

        boolean compressed = false;
        if (codec != Compression.NONE && !precompressed && value.length >= compressionMinSize) {
            byte[] c = compressionContexts.compress(codec, value, compressionLevel);
            if (c.length < value.length) {
                value = c;
                compressed = true;
            }
        }
        int size = fixed + value.length + (compressed ? compressionHeaderBytes : 0);
        // a record alone in a request may be the first of a batch, which carries the idempotence headers
        SizeLimits.checkRecordInRequest(size + (idempotent ? ProducerBatch.IDEMPOTENCE_HEADERS_MAX_BYTES : 0),
                pool.config().maxRequestBytes(), tq.name, acks);
        if (size > config.bufferMemory()) {
            throw new MessageTooLargeException("message", size, config.bufferMemory(), "bufferMemory");
        }

        int n = defaultHeaders.length + userHeaders + (compressed ? 1 : 0);
        WireHeader[] headers = n == 0 ? NO_HEADERS : new WireHeader[n];
        int i = 0;
        for (WireHeader h : defaultHeaders) {
            headers[i++] = h;
        }
        if (userHeaders > 0) {
            for (Header h : mh.asList()) {
                String k = h.key();
                if (!(k.startsWith(RESERVED_PREFIX) && (k.equals(PRODUCER_ID_HEADER) || k.equals(SEQUENCE_HEADER)))) {
                    headers[i++] = new WireHeader(k, h.value());
                }
            }
        }
        if (compressed) {
            headers[i] = compressionHeader;
        }

        int partition = partitionFor(message, tq, t, key);
        RecordAccumulator.PartitionQueue q = tq.queue(partition);
        long timestamp = message.timestamp() != 0 ? message.timestamp() : System.currentTimeMillis();
        buffer.reserve(size);
        try {
            accumulator.append(q, key, value, headers, timestamp, size, sink);
        } catch (RuntimeException e) {
            buffer.release(size);
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

    /** Sends a batch the accumulator let go (a new one, or one to resend). Never blocks. */
    private void dispatch(ProducerBatch b) {
        if (b.isDone()) {
            accumulator.completed(b);
            return;
        }
        if (b.expiredUnsent) {
            finishAlone(b, new RequestTimeoutException(b.count() + " message(s) to " + b.queue + " were not sent"
                    + " within deliveryTimeout = " + config.deliveryTimeout().toMillis() + " ms (the partition's"
                    + " earlier requests were still unacknowledged)"));
            return;
        }
        attempt(b, b.request(acks, requestTimeoutMs), clock.getAsLong());
    }

    private void attempt(ProducerBatch b, ProduceRequest request, long now) {
        b.attemptStartNanos = now;
        lastSendMillis = System.currentTimeMillis();
        CompletableFuture<Response> response;
        try {
            response = pool.send(request);
        } catch (RuntimeException e) {
            onResponse(b, null, e);
            return;
        }
        response.whenComplete((r, e) -> onResponse(b, r, e));
    }

    /** Handles an attempt's outcome; an unexpected exception fails the batch rather than leaving it pending. */
    private void onResponse(ProducerBatch b, Response response, Throwable error) {
        try {
            handleResponse(b, response, error);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "unexpected failure while completing a produce to " + b.queue, e);
            failForGood(b, new RustMQException("internal error while completing a produce to " + b.queue + ": " + e,
                    e, false));
        }
    }

    private void handleResponse(ProducerBatch b, Response response, Throwable error) {
        long now = clock.getAsLong();
        latency.recordNanos(now - b.attemptStartNanos);
        if (error == null && response instanceof ProduceResponse r && r.errorCode() == 0) {
            if (b.markDone()) {
                messagesSent.add(b.count());
                bytesSent.add(b.wireBytes());
                batchesSent.increment();
                buffer.release(b.bytes());
                b.deliverSuccess(r.offset());
            }
            accumulator.completed(b);
            return;
        }
        if (b.isDone()) {
            accumulator.completed(b); // failed meanwhile with an earlier batch of its partition
            return;
        }
        RustMQException failure;
        if (error != null) {
            failure = ConnectionPool.unwrap(error);
        } else if (response instanceof ProduceResponse r) {
            failure = new BrokerErrorException("error code " + r.errorCode() + ": " + r.errorMessage());
        } else {
            failure = new ProtocolException("expected a ProduceResponse, got " + response);
        }
        if (isRetriable(failure)) {
            b.retries++;
            long delay = schedule.delayNanos(b.retries, b.createdNanos, now);
            if (delay >= 0) {
                retries.increment();
                LOG.log(System.Logger.Level.DEBUG, () -> "resending produce to " + b.queue + " (attempt "
                        + (b.retries + 1) + ") after: " + failure.getMessage());
                accumulator.retry(b, delay);
                return;
            }
            failForGood(b, new RequestTimeoutException(b.count() + " message(s) to " + b.queue
                    + " were not delivered within deliveryTimeout = " + config.deliveryTimeout().toMillis()
                    + " ms (" + b.retries + " attempt(s)); last failure: " + failure.getMessage()));
            return;
        }
        failForGood(b, failure);
    }

    /**
     * Whether an attempt's failure may be cured by sending again: the exception's own verdict, and a broker's
     * {@code OutOfOrderSequence} refusal (an earlier request of the partition is not stored yet).
     */
    static boolean isRetriable(RustMQException failure) {
        return failure.isRetriable() || (failure instanceof BrokerErrorException be
                && be.brokerMessage().contains("OutOfOrderSequence"));
    }

    /**
     * Fails a batch for good with its partition's later unacknowledged batches (same exception, oldest first); the
     * partition goes on under a new producer id.
     */
    private void failForGood(ProducerBatch b, RustMQException failure) {
        List<ProducerBatch> failed = accumulator.failFrom(b);
        if (failed.size() > 1 || b.assigned()) {
            LOG.log(System.Logger.Level.DEBUG, () -> failed.size() + " batch(es) to " + b.queue + " failed: "
                    + failure.getMessage() + "; the partition continues under a new producer id");
        }
        for (ProducerBatch f : failed) {
            if (f.markDone()) {
                messagesFailed.add(f.count());
                buffer.release(f.bytes());
                f.deliverFailure(failure);
            }
        }
        for (ProducerBatch f : failed) {
            accumulator.completed(f);
        }
    }

    /** Fails a batch that never went (no sequence, nothing after it affected) and releases what it held. */
    private void finishAlone(ProducerBatch b, RustMQException failure) {
        if (b.markDone()) {
            messagesFailed.add(b.count());
            buffer.release(b.bytes());
            b.deliverFailure(failure);
        }
        accumulator.completed(b);
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
            if (b.markDone()) {
                messagesFailed.add(b.count());
                buffer.release(b.bytes());
                b.deliverFailure(reason);
            }
        }
        compressionContexts.close();
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
        long sent = messagesSent.sum();
        long batches = batchesSent.sum();
        long last = lastSendMillis;
        return new ProducerMetrics(sent, messagesFailed.sum(), bytesSent.sum(), batches,
                batches == 0 ? 0 : (double) sent / batches, last == 0 ? null : Instant.ofEpochMilli(last),
                retries.sum(), latency.percentileMicros(50), latency.percentileMicros(99));
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
