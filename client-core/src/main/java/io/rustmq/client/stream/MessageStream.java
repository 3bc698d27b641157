package io.rustmq.client.stream;

import io.rustmq.client.Message;
import io.rustmq.client.RustMQException;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.DeadLetterHeaders;
import io.rustmq.client.internal.consumer.ConsumerThreads;
import io.rustmq.client.internal.stream.Lane;
import io.rustmq.client.internal.stream.StreamCounters;
import io.rustmq.client.metrics.StreamMetrics;
import io.rustmq.client.producer.Producer;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Consumes input topics, hands each message (or batch) to a {@link MessageProcessor}, produces its outputs, and
 * acknowledges an input only after all its outputs were stored by the broker, so input offsets are committed only
 * behind stored outputs (at-least-once end to end). With {@code parallelism} &gt; 1, messages of one key (or
 * partition) go to the same worker and keep their order, also when an output send fails (the worker retries the
 * failed inputs in order before it takes new ones); different keys run in parallel. Create with
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
     * Header with the number of processing attempts made before dead-lettering: {@link DeadLetterHeaders#ATTEMPTS}.
     * Dead-letter records of streams and consumers are built the same way, with the same headers.
     */
    public static final String DLQ_ATTEMPTS = DeadLetterHeaders.ATTEMPTS;

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
    private final StreamCounters counters = new StreamCounters();
    private final ConsumerThreads threads;
    /** The tracing hook (issue 16), or null when tracing is off or no tracing library is present. */
    private final io.rustmq.client.tracing.MessageTracer tracer;
    private volatile MessageProcessor processor;
    private volatile boolean running;
    private volatile boolean started;
    private Thread dispatcher;

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
     * Creates a stream whose threads (dispatcher, workers, processing calls) come from a factory.
     *
     * @param config the stream configuration
     * @param consumer the consumer of the input topics in the stream's group
     * @param producer the producer for outputs and dead letters
     * @param threadFactory where every thread of the stream comes from; {@code null} for named daemon threads
     */
    public MessageStream(StreamConfig config, Consumer consumer, Producer producer, ThreadFactory threadFactory) {
        this(config, consumer, producer, threadFactory, null);
    }

    /**
     * Creates a stream whose threads come from a factory and whose processing calls are traced.
     *
     * @param config the stream configuration
     * @param consumer the consumer of the input topics in the stream's group
     * @param producer the producer for outputs and dead letters
     * @param threadFactory where every thread of the stream comes from; {@code null} for named daemon threads
     * @param tracer runs each processing call in a {@code process} span; {@code null} for none
     */
    public MessageStream(StreamConfig config, Consumer consumer, Producer producer, ThreadFactory threadFactory,
                         io.rustmq.client.tracing.MessageTracer tracer) {
        this.tracer = tracer;
        this.config = Objects.requireNonNull(config, "config");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.permits = new Semaphore(config.maxInFlight());
        this.lanes = new Lane[config.parallelism()];
        this.threads = new ConsumerThreads(threadFactory);
        this.calls = threads.cachedPool("stream-call", config.consumerGroup());
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
            throw new IllegalStateException(running ? "the stream is already running"
                    : "the stream is closed (a stream can be started once)");
        }
        started = true;
        running = true;
        processor.onStart();
        // tracing hook (issue 16): every processing call in a process span
        MessageProcessor laneProcessor = tracer == null ? processor : tracer.wrap(processor, config.consumerGroup());
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(i, config, laneProcessor, producer, calls, permits, counters, this::fail,
                    () -> running, threads);
            lanes[i].start();
        }
        dispatcher = threads.newThread("stream", config.consumerGroup(), this::dispatch);
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
     * The configuration this stream was created with.
     *
     * @return the configuration
     */
    public StreamConfig config() {
        return config;
    }

    /**
     * A snapshot of the stream's counters.
     *
     * @return the metrics
     */
    public StreamMetrics metrics() {
        long callCount = counters.processingCalls.sum();
        Duration avg = callCount == 0 ? Duration.ZERO
                : Duration.ofNanos(counters.processingNanos.sum() / callCount);
        return new StreamMetrics(counters.processed.sum(), counters.failed.sum(), counters.retried.sum(),
                counters.deadLettered.sum(), counters.skipped.sum(),
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
                    lane.interrupt();
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
                terminated.countDown();
            }
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
                lanes[laneFor(m)].submit(m);
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
            threads.newThread("stream-stop", config.consumerGroup(), () -> shutdown(false)).start();
        }
    }
}
