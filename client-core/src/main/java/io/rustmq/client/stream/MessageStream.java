package io.rustmq.client.stream;

import io.rustmq.client.Message;
import io.rustmq.client.RequestTimeoutException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.SendResult;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.DeadLetterHeaders;
import io.rustmq.client.internal.ClientThreads;
import io.rustmq.client.metrics.StreamMetrics;
import io.rustmq.client.producer.Producer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Consumes input topics, hands each message (or batch) to a {@link MessageProcessor}, produces its outputs, and
 * acknowledges an input only after all its outputs were stored by the broker, so input offsets are committed only
 * behind stored outputs (at-least-once end to end). With {@code parallelism} &gt; 1, messages of one key (or
 * partition) go to the same worker and keep their order; different keys run in parallel. Create with
 * {@link io.rustmq.client.RustMQClient#createStream(StreamConfig)}, set a processor, {@link #start()}, and
 * {@link #stop()} (or close) when done.
 *
 * <pre>{@code
 * try (MessageStream s = client.createStream(config).map(m -> Message.builder()
 *         .key(m.key()).payload(m.payloadAsString().toUpperCase()).build()).start()) { ... }
 * }</pre>
 */
public final class MessageStream implements AutoCloseable {
    /**
     * Header with the number of processing attempts made before dead-lettering; the other dead-letter headers are
     * the consumer's ({@link DeadLetterHeaders}), so both paths produce the same shape.
     */
    public static final String DLQ_ATTEMPTS = "rustmq-dlq-attempts";

    private static final System.Logger LOG = System.getLogger(MessageStream.class.getName());
    private static final Duration POLL = Duration.ofMillis(50);

    private final StreamConfig config;
    private final Consumer consumer;
    private final Producer producer;
    private final Semaphore permits;
    private final Lane[] lanes;
    private final ExecutorService calls;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final LongAdder processed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder processingNanos = new LongAdder();
    private final LongAdder processingCalls = new LongAdder();
    private volatile MessageProcessor processor;
    private volatile boolean running;
    private volatile boolean started;
    private Thread dispatcher;
    private final ThreadFactory threadFactory;
    private final Object retryTimerLock = new Object();
    /** The timer of retry backoffs: one thread from the factory, made on first use; guarded by the lock. */
    private ScheduledExecutorService retryTimer;

    /**
     * Creates a stream over a consumer and a producer that it owns and closes; use
     * {@link io.rustmq.client.RustMQClient#createStream(StreamConfig)}.
     *
     * @param config the stream configuration
     * @param consumer the consumer of the input topics in the stream's group
     * @param producer the producer for outputs and dead letters
     */
    public MessageStream(StreamConfig config, Consumer consumer, Producer producer) {
        this(config, consumer, producer, null);
    }

    /**
     * Creates a stream whose threads (dispatcher, workers, processor calls, retry timer) come from a factory; use
     * {@link io.rustmq.client.RustMQClient#createStream(StreamConfig)}, which passes the client's.
     *
     * @param config the stream configuration
     * @param consumer the consumer of the input topics in the stream's group
     * @param producer the producer for outputs and dead letters
     * @param threadFactory the factory of the stream's threads, or {@code null} for daemon threads named
     *     {@code rustmq-stream-*}
     */
    public MessageStream(StreamConfig config, Consumer consumer, Producer producer, ThreadFactory threadFactory) {
        this.threadFactory = threadFactory;
        this.config = Objects.requireNonNull(config, "config");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.permits = new Semaphore(config.maxInFlight());
        this.lanes = new Lane[config.parallelism()];
        this.calls = Executors.newCachedThreadPool(
                ClientThreads.factory(threadFactory, "rustmq-stream-call-" + config.consumerGroup()));
    }

    /**
     * Sets the processor. Must be called before {@link #start()}.
     *
     * @param processor the processor
     * @return this stream
     * @throws IllegalStateException if the stream has started
     */
    public MessageStream process(MessageProcessor processor) {
        if (started) {
            throw new IllegalStateException("the processor cannot change after start()");
        }
        this.processor = Objects.requireNonNull(processor, "processor");
        return this;
    }

    /**
     * Sets a one-to-one transform as the processor (return {@code null} to drop a message).
     *
     * @param transform the transform
     * @return this stream
     */
    public MessageStream map(Function<ConsumerMessage, Message> transform) {
        Objects.requireNonNull(transform, "transform");
        return process(transform::apply);
    }

    /**
     * Starts the worker threads and begins consuming.
     *
     * @return this stream
     * @throws IllegalStateException if no processor is set or the stream was already started
     */
    public synchronized MessageStream start() {
        if (processor == null) {
            throw new IllegalStateException("set a processor with process(...) or map(...) before start()");
        }
        if (started) {
            throw new IllegalStateException("a stream can be started once");
        }
        started = true;
        running = true;
        processor.onStart();
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(i);
            lanes[i].thread.start();
        }
        dispatcher = ClientThreads.newThread(threadFactory, this::dispatch, "rustmq-stream-" + config.consumerGroup());
        dispatcher.start();
        return this;
    }

    /**
     * Whether the stream is consuming.
     *
     * @return {@code false} before start, after stop and after a failure stopped it
     */
    public boolean isRunning() {
        return running;
    }

    /**
     * The error that stopped the stream, if one did.
     *
     * @return the failure, or {@code null}
     */
    public Throwable failure() {
        return failure.get();
    }

    /**
     * Waits until the stream has stopped (by {@link #stop()} or a failure) and released its resources.
     *
     * @param timeout the most time to wait
     * @return {@code true} if it stopped in time
     * @throws InterruptedException if interrupted
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A snapshot of the stream's counters.
     *
     * @return the metrics
     */
    public StreamMetrics metrics() {
        long callCount = processingCalls.sum();
        Duration avg = callCount == 0 ? Duration.ZERO : Duration.ofNanos(processingNanos.sum() / callCount);
        return new StreamMetrics(processed.sum(), failed.sum(), retried.sum(), deadLettered.sum(), skipped.sum(),
                (long) config.maxInFlight() - permits.availablePermits(), avg);
    }

    /** Stops within 30 seconds: see {@link #stop(Duration)}. */
    public void stop() {
        stop(Duration.ofSeconds(30));
    }

    /**
     * Stops taking new messages, waits for in-flight work to finish and its outputs to be stored, commits, calls
     * {@link MessageProcessor#onStop()}, and closes the consumer and producer. Work still in flight after
     * {@code timeout} is abandoned uncommitted (it will be redelivered to the group).
     *
     * @param timeout the most time to wait for in-flight work
     * @return {@code true} if everything in flight completed in time
     */
    public boolean stop(Duration timeout) {
        synchronized (this) {
            if (!started || terminated.getCount() == 0) {
                return true;
            }
            running = false;
        }
        boolean drained = false;
        try {
            drained = permits.tryAcquire(config.maxInFlight(), timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (drained) {
                permits.release(config.maxInFlight());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutdown(drained);
        return drained;
    }

    private void shutdown(boolean drained) {
        synchronized (this) {
            if (terminated.getCount() == 0) {
                return;
            }
            running = false;
            for (Lane lane : lanes) {
                if (lane != null) {
                    lane.thread.interrupt();
                }
            }
            try {
                if (dispatcher != null && dispatcher != Thread.currentThread()) {
                    dispatcher.join(5_000);
                }
                if (drained) {
                    producer.flush();
                }
                // commits only acknowledged inputs, whose outputs are stored
                consumer.commit();
            } catch (RustMQException e) {
                LOG.log(System.Logger.Level.WARNING, "stream " + config.consumerGroup() + ": final flush/commit failed: "
                        + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                try {
                    processor.onStop();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "processor.onStop() failed", e);
                }
                closeQuietly(consumer);
                if (drained) {
                    closeQuietly(producer);
                } else {
                    // in-flight outputs may never complete (the broker is gone): don't wait the delivery timeout
                    producer.close(Duration.ofSeconds(5));
                }
                calls.shutdownNow();
                synchronized (retryTimerLock) {
                    if (retryTimer != null) {
                        retryTimer.shutdownNow();
                    }
                }
                terminated.countDown();
            }
        }
    }

    private ScheduledExecutorService retryTimer() {
        synchronized (retryTimerLock) {
            if (retryTimer == null) {
                retryTimer = ClientThreads.scheduler(threadFactory, "rustmq-stream-retry-" + config.consumerGroup());
            }
            return retryTimer;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + c + " failed: " + e.getMessage());
        }
    }

    /** Closes the stream: {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    // ---- dispatcher: consumer → lanes ----

    private void dispatch() {
        try {
            while (running) {
                if (!permits.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                    continue;
                }
                ConsumerMessage m;
                try {
                    m = consumer.receive(POLL);
                } catch (RuntimeException e) {
                    permits.release();
                    throw e;
                }
                if (m == null) {
                    permits.release();
                    continue;
                }
                lanes[laneFor(m)].queue.add(new Task(List.of(m), 1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (running) {
                fail(e);
            }
        }
    }

    private int laneFor(ConsumerMessage m) {
        int hash;
        if (config.ordering() == StreamConfig.Ordering.KEY && m.key() != null) {
            hash = Arrays.hashCode(m.key());
        } else {
            hash = m.topic().hashCode() * 31 + m.partition();
        }
        return Math.floorMod(hash * 0x9E3779B9, lanes.length);
    }

    private void fail(Throwable error) {
        if (failure.compareAndSet(null, error)) {
            LOG.log(System.Logger.Level.ERROR, "stream " + config.consumerGroup() + " stopped: " + error, error);
            running = false;
            Thread stopper = ClientThreads.newThread(threadFactory, () -> shutdown(false),
                    "rustmq-stream-stop-" + config.consumerGroup());
            stopper.start();
        }
    }

    // ---- lanes: ordered processing ----

    /** Inputs processed together (one message in INDIVIDUAL mode) and the attempt about to be made. */
    private record Task(List<ConsumerMessage> messages, int attempt) {
    }

    private final class Lane {
        final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
        final Thread thread;

        Lane(int index) {
            thread = ClientThreads.newThread(threadFactory, this::run,
                    "rustmq-stream-" + config.consumerGroup() + "-worker-" + index);
        }

        private void run() {
            try {
                while (running || !queue.isEmpty()) {
                    Task task = queue.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                    if (task == null) {
                        continue;
                    }
                    if (config.mode() == StreamConfig.Mode.BATCH && task.attempt() == 1) {
                        task = fillBatch(task);
                    }
                    handle(task);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                fail(e);
            }
        }

        private Task fillBatch(Task first) throws InterruptedException {
            List<ConsumerMessage> batch = new ArrayList<>(first.messages());
            long deadline = System.nanoTime() + config.batchTimeout().toNanos();
            while (batch.size() < config.batchSize()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Task next = queue.peek();
                if (next != null && next.attempt() > 1) {
                    break;
                }
                next = queue.poll(left, TimeUnit.NANOSECONDS);
                if (next == null) {
                    break;
                }
                batch.addAll(next.messages());
            }
            return new Task(batch, 1);
        }

        private void handle(Task task) throws InterruptedException {
            List<Message> outputs;
            long start = System.nanoTime();
            try {
                outputs = invoke(task);
                processingNanos.add(System.nanoTime() - start);
                processingCalls.increment();
            } catch (ExecutionException e) {
                failed(task, e.getCause());
                return;
            } catch (TimeoutException e) {
                failed(task, new RequestTimeoutException("processing took longer than processingTimeout = "
                        + config.processingTimeout()));
                return;
            }
            List<CompletableFuture<SendResult>> sends = new ArrayList<>(outputs.size());
            try {
                for (Message out : outputs) {
                    sends.add(producer.sendAsync(routed(out)));
                }
            } catch (RuntimeException e) {
                failed(task, e);
                return;
            }
            if (sends.isEmpty()) {
                succeeded(task);
                return;
            }
            CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).whenComplete((v, error) -> {
                if (error == null) {
                    succeeded(task);
                } else {
                    // the send failed after the producer's own retries: reprocess through this lane
                    onFailure(task, error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                            ? error.getCause() : error, true);
                }
            });
        }

        private List<Message> invoke(Task task) throws InterruptedException, ExecutionException, TimeoutException {
            MessageProcessor p = processor;
            Future<List<Message>> call = calls.submit(() -> config.mode() == StreamConfig.Mode.BATCH
                    ? p.processBatch(task.messages()) : p.processAll(task.messages().get(0)));
            try {
                List<Message> out = call.get(config.processingTimeout().toMillis(), TimeUnit.MILLISECONDS);
                return out == null ? List.of() : out;
            } catch (TimeoutException | InterruptedException e) {
                call.cancel(true);
                throw e;
            }
        }

        private void failed(Task task, Throwable error) throws InterruptedException {
            Task retry = onFailure(task, error, false);
            if (retry != null) {
                Thread.sleep(config.errorStrategy().backoffBefore(retry.attempt()).toMillis());
                handle(retry);
            }
        }

        /**
         * Applies the error strategy. Returns the next attempt to run now on this lane, or {@code null} when the
         * outcome was settled (or, for asynchronous send failures, queued on the lane).
         */
        private Task onFailure(Task task, Throwable error, boolean async) {
            failed.increment();
            ErrorStrategy strategy = config.errorStrategy();
            ErrorAction action = ErrorAction.DEFAULT;
            try {
                action = processor.onError(task.messages().get(0), error, task.attempt());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "processor.onError threw; following the error strategy", e);
            }
            if (action == ErrorAction.DEFAULT) {
                action = defaultAction(strategy, task.attempt());
            }
            if (action == ErrorAction.DEAD_LETTER && strategy.deadLetterTopic() == null) {
                fail(new IllegalStateException("onError chose DEAD_LETTER but the error strategy has no dead-letter "
                        + "topic", error));
                release(task);
                return null;
            }
            switch (action) {
                case RETRY: {
                    retried.increment();
                    Task next = new Task(task.messages(), task.attempt() + 1);
                    if (!async) {
                        return next;
                    }
                    queueRetry(next);
                    return null;
                }
                case SKIP:
                    skipped.add(task.messages().size());
                    LOG.log(System.Logger.Level.DEBUG, () -> "skipping " + task.messages().size()
                            + " message(s) after: " + error);
                    acknowledge(task);
                    return null;
                case DEAD_LETTER:
                    deadLetter(task, error);
                    return null;
                default:
                    fail(error);
                    release(task);
                    return null;
            }
        }

        private void queueRetry(Task next) {
            long delay = config.errorStrategy().backoffBefore(next.attempt()).toMillis();
            retryTimer().schedule(() -> queue.add(next), delay, TimeUnit.MILLISECONDS);
        }

        private ErrorAction defaultAction(ErrorStrategy strategy, int attempt) {
            switch (strategy.kind()) {
                case SKIP:
                    return ErrorAction.SKIP;
                case STOP:
                    return ErrorAction.STOP;
                case DEAD_LETTER:
                    return ErrorAction.DEAD_LETTER;
                default:
                    if (attempt < strategy.maxAttempts()) {
                        return ErrorAction.RETRY;
                    }
                    return strategy.deadLetterTopic() != null ? ErrorAction.DEAD_LETTER : ErrorAction.STOP;
            }
        }

        private void deadLetter(Task task, Throwable error) {
            String topic = config.errorStrategy().deadLetterTopic();
            List<CompletableFuture<SendResult>> sends = new ArrayList<>();
            for (ConsumerMessage m : task.messages()) {
                // a fresh message: the original partition number may not exist in the dead-letter topic
                Message dead = Message.builder().topic(topic).key(m.key()).payload(m.payload()).headers(m.headers())
                        .header(DeadLetterHeaders.REASON, DeadLetterHeaders.reason(error))
                        .header(DeadLetterHeaders.TOPIC, m.topic())
                        .header(DeadLetterHeaders.PARTITION, Integer.toString(m.partition()))
                        .header(DeadLetterHeaders.OFFSET, Long.toString(m.offset()))
                        .header(DeadLetterHeaders.GROUP, config.consumerGroup())
                        .header(DLQ_ATTEMPTS, Integer.toString(task.attempt()))
                        .build();
                sends.add(producer.sendAsync(dead));
            }
            CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).whenComplete((v, e) -> {
                if (e == null) {
                    deadLettered.add(task.messages().size());
                    acknowledge(task);
                } else {
                    fail(new RustMQException("could not send to dead-letter topic '" + topic + "': " + e.getMessage(),
                            e, false));
                    release(task);
                }
            });
        }
    }

    private Message routed(Message out) {
        if (out.topic() != null) {
            return out;
        }
        if (config.outputTopic() == null) {
            throw new IllegalStateException("an output has no topic and the stream has no outputTopic");
        }
        return out.toBuilder().topic(config.outputTopic()).build();
    }

    private void succeeded(Task task) {
        processed.add(task.messages().size());
        acknowledge(task);
    }

    private void acknowledge(Task task) {
        for (ConsumerMessage m : task.messages()) {
            m.ack();
        }
        release(task);
    }

    private void release(Task task) {
        permits.release(task.messages().size());
    }
}
