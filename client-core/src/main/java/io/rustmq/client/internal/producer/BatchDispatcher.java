package io.rustmq.client.internal.producer;

import io.rustmq.client.BrokerErrorException;
import io.rustmq.client.ProtocolException;
import io.rustmq.client.RequestTimeoutException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.internal.producer.ProducerStats;
import io.rustmq.client.protocol.AcknowledgmentLevel;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.ProduceResponse;
import io.rustmq.client.protocol.Response;
import io.rustmq.client.internal.transport.ConnectionPool;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Sends the batches a {@link RecordAccumulator} lets go as Produce requests and completes them (DESIGN §4, issue 18):
 * it owns each attempt's outcome: success (offsets {@code base + i}, the buffer memory released), a retriable
 * failure (connection, timeout, {@code OutOfOrderSequence}, a moved partition) put back with the client's backoff
 * ({@link RetrySchedule}) until {@code deliveryTimeout}, and a failure for good, which fails the partition's later
 * unacknowledged batches with the same exception, oldest first. {@link #dispatch} runs on whichever thread drains the
 * partition (a sending thread, the client's timer thread, or a transport thread completing an earlier batch);
 * responses are handled on the transport's threads. It never blocks.
 *
 * <p>A successful response is handled on the network thread that read it ({@link ConnectionPool#sendInline}): the
 * bookkeeping is short, and the partition's next batch then goes from there, without a hand-off to the callback
 * executor and back for each request. What may run long leaves the network thread: the records' callbacks and
 * futures are completed on the callback executor, and a drain that reaches a batch of
 * {@link #HAND_OFF_BYTES} or more (whose encoding is long) goes on there ({@link #handOff}).
 */
final class BatchDispatcher implements RecordAccumulator.BatchSender {
    /** A batch of at least this many record bytes is not encoded on a network thread. */
    static final int HAND_OFF_BYTES = 16 * 1024;

    private static final System.Logger LOG = System.getLogger(DefaultProducer.class.getName());

    private final ConnectionPool pool;
    private final BufferPool buffer;
    private final ProducerStats stats;
    private final RetrySchedule schedule;
    private final LongSupplier clock;
    private final AcknowledgmentLevel acks;
    private final int requestTimeoutMs;
    private final long deliveryTimeoutMillis;
    /** Set once by {@link #bind}, before the first batch is dispatched. */
    private volatile RecordAccumulator accumulator;

    /**
     * Creates the dispatcher of one producer; {@link #bind} gives it its accumulator before the first send.
     *
     * @param pool the client's connections
     * @param buffer the producer's buffer memory, released as batches complete
     * @param stats the producer's counters
     * @param schedule the backoff and delivery timeout of resends
     * @param clock the nanosecond clock batch times come from
     * @param acks the acknowledgment level of the requests
     * @param requestTimeoutMs the request timeout the broker is told
     * @param deliveryTimeoutMillis the delivery timeout, for messages only
     */
    BatchDispatcher(ConnectionPool pool, BufferPool buffer, ProducerStats stats, RetrySchedule schedule,
                    LongSupplier clock, AcknowledgmentLevel acks, int requestTimeoutMs, long deliveryTimeoutMillis) {
        this.pool = pool;
        this.buffer = buffer;
        this.stats = stats;
        this.schedule = schedule;
        this.clock = clock;
        this.acks = acks;
        this.requestTimeoutMs = requestTimeoutMs;
        this.deliveryTimeoutMillis = deliveryTimeoutMillis;
    }

    /**
     * Sets the accumulator whose batches this dispatcher sends (which is created with this dispatcher as its sender).
     *
     * @param accumulator the accumulator
     */
    void bind(RecordAccumulator accumulator) {
        this.accumulator = accumulator;
    }

    @Override
    public void send(ProducerBatch batch) {
        dispatch(batch);
    }

    /**
     * The callback executor for a batch of {@link #HAND_OFF_BYTES} or more reached on a network thread, else null.
     *
     * @param batch the next batch to send
     * @return where the drain goes on, or null to send here
     */
    @Override
    public Executor handOff(ProducerBatch batch) {
        return batch.bytes() >= HAND_OFF_BYTES && pool.inNetworkThread() ? pool::runCallback : null;
    }

    /**
     * The network thread of the partition leader's open connection, when called from any other thread: a drain of
     * the open batch runs there, and records appended meanwhile join the batch. Null (send from here) on a network
     * thread, or when the leader or its connection is not known yet.
     *
     * @param q the partition
     * @return the executor, or null
     */
    @Override
    public Executor deferredDrain(RecordAccumulator.PartitionQueue q) {
        return pool.networkExecutorFor(q.topic.name, q.partition);
    }

    /**
     * Sends a batch the accumulator let go (a new one, or one to resend). Never blocks.
     *
     * @param b the batch
     */
    void dispatch(ProducerBatch b) {
        if (b.isDone()) {
            accumulator.completed(b);
            return;
        }
        if (b.expiredUnsent) {
            finishAlone(b, new RequestTimeoutException(b.count() + " message(s) to " + b.queue + " were not sent"
                    + " within deliveryTimeout = " + deliveryTimeoutMillis + " ms (the partition's"
                    + " earlier requests were still unacknowledged)"));
            return;
        }
        attempt(b, b.request(acks, requestTimeoutMs), clock.getAsLong());
    }

    private void attempt(ProducerBatch b, ProduceRequest request, long now) {
        b.attemptStartNanos = now;
        stats.attemptStarted();
        CompletableFuture<Response> response;
        try {
            response = pool.sendInline(request);
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
        stats.attemptFinished(now - b.attemptStartNanos);
        if (error == null && response instanceof ProduceResponse r && r.errorCode() == 0) {
            if (b.markDone()) {
                stats.batchSent(b.count(), b.wireBytes());
                buffer.release(b.bytes());
                long offset = r.offset();
                deliver(() -> b.deliverSuccess(offset));
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
                stats.retried();
                LOG.log(System.Logger.Level.DEBUG, () -> "resending produce to " + b.queue + " (attempt "
                        + (b.retries + 1) + ") after: " + failure.getMessage());
                accumulator.retry(b, delay);
                return;
            }
            failForGood(b, new RequestTimeoutException(b.count() + " message(s) to " + b.queue
                    + " were not delivered within deliveryTimeout = " + deliveryTimeoutMillis
                    + " ms (" + b.retries + " attempt(s)); last failure: " + failure.getMessage()));
            return;
        }
        failForGood(b, failure);
    }

    /**
     * Whether an attempt's failure may be cured by sending again: the exception's own verdict, and a broker's
     * {@code OutOfOrderSequence} refusal (an earlier request of the partition is not stored yet).
     *
     * @param failure the attempt's failure
     * @return true if the batch is to be resent
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
            fail(f, failure);
        }
        for (ProducerBatch f : failed) {
            accumulator.completed(f);
        }
    }

    /** Fails a batch that never went (no sequence, nothing after it affected) and releases what it held. */
    private void finishAlone(ProducerBatch b, RustMQException failure) {
        fail(b, failure);
        accumulator.completed(b);
    }

    /**
     * Fails a batch's records unless it is done already, and releases its buffer memory.
     *
     * @param b the batch
     * @param failure what its records fail with
     */
    void fail(ProducerBatch b, RustMQException failure) {
        if (b.markDone()) {
            stats.failed(b.count());
            buffer.release(b.bytes());
            deliver(() -> b.deliverFailure(failure));
        }
    }

    /** Completes a batch's records here, or on the callback executor when this is a network thread. */
    private void deliver(Runnable delivery) {
        if (pool.inNetworkThread()) {
            pool.runCallback(delivery);
        } else {
            delivery.run();
        }
    }
}
