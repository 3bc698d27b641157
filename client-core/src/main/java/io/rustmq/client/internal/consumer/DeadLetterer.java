package io.rustmq.client.internal.consumer;

import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQException;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.DeadLetterFailureListener;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.internal.transport.ConnectionPool;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Dead-lettering: sends a message the consumer gave up on to the dead-letter topic (built by
 * {@link DeadLetterRecords}) and acknowledges it once stored. Everything runs on the consumer's own dead-letter
 * thread, so {@code nack()} never creates the producer or does I/O on the caller's thread. A send that fails is
 * retried after the redelivery backoff, at most {@code maxAttempts} attempts in all (a failure that is not retriable
 * ends them at once); then the failure is counted, logged at WARNING and passed to the
 * {@link DeadLetterFailureListener}, and the message is acknowledged so that the partition's commits move on
 * (documented on {@code ConsumerConfig.maxDeadLetterAttempts}). A message whose partition was revoked or seeked
 * meanwhile is dropped: its next owner reads it again.
 */
public final class DeadLetterer {
    private static final System.Logger LOG = System.getLogger(DeadLetterer.class.getName());

    private final String topic;
    private final String group;
    private final SubscriptionState state;
    private final MessageAccess access;
    private final Function<String, Producer> producerFactory;
    private final int maxAttempts;
    private final long backoffNanos;
    private final DeadLetterFailureListener listener;
    private final ScheduledExecutorService executor;
    private final LongAdder stored = new LongAdder();
    private final LongAdder failures = new LongAdder();
    /** Created on the dead-letter thread at first use. */
    private volatile Producer producer;

    /**
     * Creates the dead-letterer; its thread starts at first use.
     *
     * @param topic the dead-letter topic
     * @param state the shared state (to tell whether a message is still current)
     * @param access reads a message's partition and epoch
     * @param producerFactory creates the producer for the topic, on the dead-letter thread
     * @param maxAttempts send attempts per message, at least 1
     * @param backoff the wait between attempts
     * @param listener told when a message is given up on
     * @param threads where the dead-letter thread comes from
     */
    public DeadLetterer(String topic, SubscriptionState state, MessageAccess access,
                        Function<String, Producer> producerFactory, int maxAttempts, Duration backoff,
                        DeadLetterFailureListener listener, ConsumerThreads threads) {
        this.topic = topic;
        this.group = state.group();
        this.state = state;
        this.access = access;
        this.producerFactory = producerFactory;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.backoffNanos = Math.max(backoff.toNanos(), TimeUnit.MILLISECONDS.toNanos(10));
        this.listener = listener;
        this.executor = threads.scheduler("consumer-dlq", group);
    }

    /**
     * The dead-letter topic.
     *
     * @return its name
     */
    public String topic() {
        return topic;
    }

    /**
     * Messages stored in the dead-letter topic.
     *
     * @return the count
     */
    public long stored() {
        return stored.sum();
    }

    /**
     * Messages given up on without reaching the dead-letter topic (then acknowledged).
     *
     * @return the count
     */
    public long failures() {
        return failures.sum();
    }

    /**
     * Queues a message for the dead-letter topic; returns at once.
     *
     * @param m the message
     * @param reason why, possibly {@code null}
     */
    public void deadLetter(ConsumerMessage m, Throwable reason) {
        submit(() -> attempt(m, reason, 1), 0);
    }

    private void submit(Runnable task, long delayNanos) {
        try {
            executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "not dead-lettering: the consumer of group " + group
                    + " is closed; the partition's next owner reads the message again");
        }
    }

    private void attempt(ConsumerMessage m, Throwable reason, int attempt) {
        if (!stillCurrent(m)) {
            LOG.log(System.Logger.Level.DEBUG, () -> "not dead-lettering " + m + ": its partition was revoked or"
                    + " seeked, or the consumer closed; the partition's next owner reads it again");
            return;
        }
        Message dead = DeadLetterRecords.build(topic, m, reason, group, Math.max(m.deliveryCount(), 1));
        CompletableFuture<?> sent;
        try {
            sent = producer().sendAsync(dead);
        } catch (RustMQException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((r, e) -> {
            PartitionState s = access.owner(m);
            if (e == null) {
                stored.increment();
                s.acks.ack(m.offset(), access.epoch(m));
                LOG.log(System.Logger.Level.DEBUG, () -> "dead-lettered " + m + " to " + topic);
                return;
            }
            RustMQException failure = ConnectionPool.unwrap(e);
            if (state.isClosed()) {
                LOG.log(System.Logger.Level.WARNING, "could not dead-letter " + m + " before closing ("
                        + failure.getMessage() + "); it stays unacknowledged and will be delivered again");
                return;
            }
            if (failure.isRetriable() && attempt < maxAttempts) {
                LOG.log(System.Logger.Level.WARNING, "could not dead-letter " + m + " (attempt " + attempt + " of "
                        + maxAttempts + ": " + failure.getMessage() + "); retrying");
                submit(() -> attempt(m, reason, attempt + 1), backoffNanos);
                return;
            }
            giveUp(m, reason, failure, attempt);
        });
    }

    private void giveUp(ConsumerMessage m, Throwable reason, RustMQException failure, int attempts) {
        failures.increment();
        LOG.log(System.Logger.Level.WARNING, "giving up dead-lettering " + m + " to " + topic + " after " + attempts
                + " attempt(s): " + failure.getMessage() + "; acknowledging it so that the partition's commits move on");
        try {
            listener.onDeadLetterFailed(m, reason, failure);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the dead-letter failure listener of group " + group + " threw", e);
        }
        access.owner(m).acks.ack(m.offset(), access.epoch(m));
    }

    private boolean stillCurrent(ConsumerMessage m) {
        PartitionState s = access.owner(m);
        state.lock();
        try {
            return !state.isClosed() && s.assigned && s.epoch == access.epoch(m);
        } finally {
            state.unlock();
        }
    }

    private Producer producer() {
        Producer p = producer;
        if (p == null) {
            p = producerFactory.apply(topic);
            producer = p;
        }
        return p;
    }

    /** Member thread, on close: stores what was sent so far. */
    void flush() {
        Producer p = producer;
        if (p != null) {
            try {
                p.flush();
            } catch (RustMQException e) {
                LOG.log(System.Logger.Level.WARNING, "flushing the dead-letter producer of group " + group
                        + " failed: " + e.getMessage());
            }
        }
    }

    /**
     * Stops the thread and closes the producer.
     *
     * @param timeout how long the producer may take to close
     */
    public void close(Duration timeout) {
        executor.shutdownNow();
        try {
            executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Producer p = producer;
        if (p != null) {
            p.close(timeout);
        }
    }
}
