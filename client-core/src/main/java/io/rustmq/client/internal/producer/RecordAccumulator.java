package io.rustmq.client.internal.producer;

import io.rustmq.client.producer.SendCallback;
import io.rustmq.client.RustMQException;
import io.rustmq.client.protocol.AcknowledgmentLevel;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.WireHeader;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Collects records per partition into {@link ProducerBatch}es and hands a batch to the sender when it may go: when
 * it is full (by {@code batchSize} records or by bytes) or its linger time has passed, or on flush and close, and
 * only while the partition has fewer than {@code maxInFlight} requests outstanding. Batches of a partition are sent
 * in the order they were filled; a batch that cannot go yet waits, and the next free slot takes the oldest.
 *
 * <p>It owns the topics' and partitions' queues and the draining of a partition (one drainer at a time); which batch
 * may go next, with which producer id and sequence, is decided by its {@link SendWindow} (DESIGN §4: at most
 * {@code maxInFlight} sent since the oldest unacknowledged batch, one at a time until the broker knows the
 * partition's producer id, resends in order from the oldest, {@link #failFrom} moving to a new producer id), and
 * linger times are kept by its {@link LingerTimer}. A batch's bytes are capped at
 * {@code min(batchBytes, maxRequestBytes - 1 - requestOverhead(topic))}, so that no request frame exceeds the
 * client's {@code maxRequestBytes}. Per record the work is one short critical section on the partition's lock.
 * Thread-safe: appends run on the sending threads, drains on whichever thread appended, completed a batch or fired a
 * timer. Internal: used by {@link DefaultProducer}.
 */
final class RecordAccumulator {
    /** Receives a batch that may be sent now; it holds one of its partition's in-flight slots until done. */
    @FunctionalInterface
    interface BatchSender {
        /**
         * Sends a batch; must not block.
         *
         * @param batch the batch
         */
        void send(ProducerBatch batch);

        /**
         * Where the drain that reached this batch goes on instead of the calling thread, or null to send it here.
         * The drain moves whole, with its place as the partition's drainer, so batches still reach the sender in
         * order. By default null.
         *
         * @param batch the next batch to send
         * @return an executor to go on in, or null
         */
        default Executor handOff(ProducerBatch batch) {
            return null;
        }

        /**
         * Where to drain a partition whose only batch that may go is its open one, instead of the appending thread,
         * so that records appended until the drain runs join that batch (what a zero linger time means in a client
         * that sends from a thread of its own); null to send it from the appending thread at once. Called with the
         * partition locked; must not block. By default null.
         *
         * @param q the partition
         * @return an executor to drain in, or null
         */
        default Executor deferredDrain(PartitionQueue q) {
            return null;
        }
    }

    private final int batchSize;
    private final int batchBytes;
    private final int maxRequestBytes;
    private final AcknowledgmentLevel acks;
    private final boolean sequenced;
    private final ScheduledExecutorService scheduler;
    private final BatchSender sender;
    private final LongSupplier clock;
    private final SendWindow window;
    private final LingerTimer linger;
    /** Bytes a batch adds for the idempotence headers on its first record. */
    private final int batchOverhead;
    private final ConcurrentHashMap<String, TopicQueues> topics = new ConcurrentHashMap<>();
    private final Set<ProducerBatch> incomplete = ConcurrentHashMap.newKeySet();
    private volatile RustMQException aborted;

    /**
     * Creates an accumulator with no delivery timeout, random producer ids and the system clock.
     *
     * @param batchSize the most records per batch
     * @param batchBytes the most record bytes per batch
     * @param maxRequestBytes the client's limit on a whole request frame
     * @param acks the acknowledgment level (its encoding is part of the request overhead)
     * @param lingerNanos how long a batch that is not full waits before it may go (0: at once)
     * @param maxInFlight the most unacknowledged batches per partition
     * @param sequenced whether batches carry the idempotence headers
     * @param scheduler runs linger timers
     * @param sender receives batches that may go
     */
    RecordAccumulator(int batchSize, int batchBytes, int maxRequestBytes, AcknowledgmentLevel acks, long lingerNanos,
                      int maxInFlight, boolean sequenced, ScheduledExecutorService scheduler, BatchSender sender) {
        this(batchSize, batchBytes, maxRequestBytes, acks, lingerNanos, maxInFlight, sequenced, scheduler, sender,
                Long.MAX_VALUE, () -> UUID.randomUUID().toString(), System::nanoTime);
    }

    /**
     * Creates an accumulator; the parameters as above, and:
     *
     * @param batchSize the most records per batch
     * @param batchBytes the most record bytes per batch
     * @param maxRequestBytes the client's limit on a whole request frame
     * @param acks the acknowledgment level
     * @param lingerNanos how long a batch that is not full waits before it may go (0: at once)
     * @param maxInFlight the most unacknowledged batches per partition
     * @param sequenced whether batches carry the idempotence headers
     * @param scheduler runs linger and retry timers
     * @param sender receives batches that may go
     * @param deliveryTimeoutNanos how long a batch may wait unsent after it was created
     * @param producerIds gives producer ids: its first is every partition's at first, a new one after
     *     {@link #failFrom}
     * @param clock nanosecond clock for creation times, expiry and retry times
     */
    RecordAccumulator(int batchSize, int batchBytes, int maxRequestBytes, AcknowledgmentLevel acks, long lingerNanos,
                      int maxInFlight, boolean sequenced, ScheduledExecutorService scheduler, BatchSender sender,
                      long deliveryTimeoutNanos, Supplier<String> producerIds, LongSupplier clock) {
        this.window = new SendWindow(maxInFlight, sequenced, lingerNanos, deliveryTimeoutNanos, producerIds, clock);
        this.linger = new LingerTimer(lingerNanos, scheduler, clock, this::lingerExpired);
        this.clock = clock;
        this.batchOverhead = sequenced ? ProducerBatch.IDEMPOTENCE_HEADERS_MAX_BYTES : 0;
        this.batchSize = batchSize;
        this.batchBytes = batchBytes;
        this.maxRequestBytes = maxRequestBytes;
        this.acks = acks;
        this.sequenced = sequenced;
        this.scheduler = scheduler;
        this.sender = sender;
    }

    /**
     * The queues of a topic, created on first use.
     *
     * @param topic the topic
     * @return its queues
     */
    TopicQueues topic(String topic) {
        TopicQueues t = topics.get(topic);
        return t != null ? t : topics.computeIfAbsent(topic, TopicQueues::new);
    }

    /**
     * Appends one record to its partition's open batch, starting a batch when needed, and sends whatever may go.
     *
     * @param q the partition
     * @param key the key or null
     * @param value the value as sent
     * @param headers the record's headers (the idempotence headers are added to a batch's first record when sent)
     * @param timestamp epoch milliseconds
     * @param size the record's encoded size
     * @param sink a {@code CompletableFuture<SendResult>} or a {@link SendCallback}
     * @throws RustMQException if the accumulator was aborted by a close
     */
    void append(PartitionQueue q, byte[] key, byte[] value, WireHeader[] headers, long timestamp, int size,
                Object sink) {
        boolean arm;
        ProducerBatch toSend = null;
        Executor deferTo = null;
        synchronized (q) {
            RustMQException abort = aborted;
            if (abort != null) {
                throw abort;
            }
            ProducerBatch b = q.open;
            if (b != null && b.bytes() + batchOverhead + size > q.topic.maxRecordBytes) {
                seal(q);
                b = null;
            }
            if (b == null) {
                b = new ProducerBatch(q, q.nextBatchId++, sequenced, batchSize, clock.getAsLong(), q.lastBatchCount);
                q.open = b;
                incomplete.add(b);
            }
            b.add(key, value, headers, timestamp, size, sink);
            if (b.count() >= batchSize || b.bytes() + batchOverhead >= q.topic.maxRecordBytes) {
                seal(q);
            }
            if (!q.draining && q.ready.isEmpty() && q.retries.isEmpty() && window.hasSendable(q)
                    && (deferTo = sender.deferredDrain(q)) != null) {
                q.draining = true; // the deferred drain is the drainer; appends until it runs join the open batch
            } else {
                toSend = claimSendable(q);
            }
            arm = linger.claim(q);
        }
        if (arm) {
            linger.arm(q);
        }
        if (deferTo != null) {
            deferDrain(q, deferTo);
        } else if (toSend != null) {
            drainFrom(q, toSend);
        }
    }

    /** Runs the partition's drain, whose drainer role the caller took, in the executor; here if it refuses. */
    private void deferDrain(PartitionQueue q, Executor executor) {
        try {
            executor.execute(() -> drainFrom(q, null));
        } catch (RejectedExecutionException e) {
            drainFrom(q, null); // the network thread has stopped: the send fails there on its own terms
        }
    }

    /**
     * Takes the next batch that may go and makes this thread the partition's drainer, or, if another thread drains
     * it, asks that thread to look again when something may go; the caller holds the lock. Batches are sent only by
     * the drainer, so they reach the transport in the order they were given their sequence numbers.
     *
     * @return the batch to send (then the caller must call {@link #drainFrom}), or null
     */
    private ProducerBatch claimSendable(PartitionQueue q) {
        if (q.draining) {
            if (!q.drainAgain && window.hasSendable(q)) {
                q.drainAgain = true;
            }
            return null;
        }
        ProducerBatch b = window.pollSendable(q);
        if (b != null) {
            q.draining = true;
        }
        return b;
    }

    /**
     * Moves the drain, from {@code next} on, to the executor the sender names for it, if it names one; this thread
     * then stops draining without giving up the partition's drainer role, which the task takes over.
     *
     * @return true if the drain went on elsewhere
     */
    private boolean handedOff(PartitionQueue q, ProducerBatch next) {
        Executor elsewhere = sender.handOff(next);
        if (elsewhere == null) {
            return false;
        }
        elsewhere.execute(() -> drainFrom(q, next));
        return true;
    }

    /** The open batch's linger time is over: send what may go. */
    private void lingerExpired(PartitionQueue q) {
        drain(q);
    }

    /**
     * Releases the in-flight slot a finished batch held and sends what may go next. Call once per batch handed to
     * the sender, after its records were completed.
     *
     * @param batch the batch, done
     */
    void completed(ProducerBatch batch) {
        // A batch stays incomplete (for flush and close) until its records are completed, which a sender may do on
        // another thread after this call.
        CompletableFuture<Void> delivered = batch.completion();
        if (delivered.isDone()) {
            incomplete.remove(batch);
        } else {
            delivered.thenRun(() -> incomplete.remove(batch));
        }
        PartitionQueue q = batch.queue;
        synchronized (q) {
            window.completed(q, batch);
        }
        drain(q);
    }

    /**
     * Puts back a batch whose attempt failed, to be resent no sooner than {@code delayNanos} from now and only once
     * it is its partition's oldest unacknowledged batch; until it has gone, no later batch goes.
     *
     * @param batch the batch, sent before and not done
     * @param delayNanos the backoff, 0 or more
     */
    void retry(ProducerBatch batch, long delayNanos) {
        PartitionQueue q = batch.queue;
        synchronized (q) {
            if (!window.queueRetry(q, batch, delayNanos)) {
                return; // failed meanwhile with an earlier batch (failFrom)
            }
        }
        if (delayNanos > 0) {
            try {
                scheduler.schedule(() -> drain(q), delayNanos, TimeUnit.NANOSECONDS);
                return;
            } catch (RejectedExecutionException e) {
                // the client's timer is gone (client closing): try at once instead
            }
        }
        drain(q);
    }

    /**
     * Takes a batch that failed for good out of its partition with every later unacknowledged batch (in flight or
     * waiting to be resent), in sequence order, and moves the partition to a new producer id with sequences from 0,
     * so that the next batches are not refused for the gap. The caller fails the returned batches, then calls
     * {@link #completed} for each.
     *
     * @param batch the batch that failed
     * @return the batch and the later unacknowledged ones, oldest first
     */
    List<ProducerBatch> failFrom(ProducerBatch batch) {
        PartitionQueue q = batch.queue;
        synchronized (q) {
            return window.failFrom(q, batch);
        }
    }

    /**
     * The producer id a partition's next batch will be sent with (for diagnostics and tests).
     *
     * @param q the partition
     * @return the id
     */
    String producerId(PartitionQueue q) {
        synchronized (q) {
            return window.producerId(q);
        }
    }

    /**
     * Ends the linger time of a partition's open batch: it goes as soon as the partition has a free in-flight slot,
     * and keeps taking records until then. Used by blocking sends, whose callers wait anyway.
     *
     * @param q the partition
     */
    void expedite(PartitionQueue q) {
        synchronized (q) {
            if (q.open != null) {
                q.open.lingerExpired = true;
            }
        }
        drain(q);
    }

    /**
     * Seals a partition's open batch so that it may go without waiting for its linger time, and sends what may go.
     *
     * @param q the partition
     */
    void flush(PartitionQueue q) {
        synchronized (q) {
            if (q.open != null) {
                seal(q);
            }
        }
        drain(q);
    }

    /** Seals every open batch so that it may go without waiting for its linger time, and sends what may go. */
    void flushAll() {
        for (TopicQueues t : topics.values()) {
            for (PartitionQueue q : t.queues) {
                if (q != null) {
                    flush(q);
                }
            }
        }
    }

    /** From now on open batches go as soon as a slot is free; then flushes. */
    void beginClose() {
        window.beginClose();
        flushAll();
    }

    /**
     * Batches created and not yet completed, for flush and close to wait on.
     *
     * @return a snapshot
     */
    List<ProducerBatch> incomplete() {
        return new ArrayList<>(incomplete);
    }

    /**
     * Refuses further appends and drops every batch not yet sent; returns all batches not yet completed (queued and
     * in flight) for the caller to fail.
     *
     * @param reason what later appends fail with
     * @return the incomplete batches
     */
    List<ProducerBatch> abort(RustMQException reason) {
        aborted = reason;
        for (TopicQueues t : topics.values()) {
            for (PartitionQueue q : t.queues) {
                if (q == null) {
                    continue;
                }
                synchronized (q) {
                    q.open = null;
                    q.ready.clear();
                    q.retries.clear();
                    q.unacked.clear();
                }
            }
        }
        List<ProducerBatch> left = new ArrayList<>(incomplete);
        incomplete.clear();
        return left;
    }

    /**
     * Sends every batch that may go. Only one thread drains a partition at a time, so that batches go to the
     * transport in sequence order (an append that finds a batch to send becomes the drainer itself, see
     * {@link #claimSendable}); another thread arriving meanwhile (or the same thread re-entering because a send failed
     * at once and completed its batch) just asks the drainer to look again, so a long run of failing batches is
     * handled in a loop, not by recursion.
     */
    private void drain(PartitionQueue q) {
        synchronized (q) {
            if (q.draining) {
                q.drainAgain = true;
                return;
            }
            q.draining = true;
        }
        drainFrom(q, null);
    }

    /**
     * The drainer's loop: sends {@code first} (if not null), then every batch that may go, and stops being the
     * drainer when none may; or, when the sender names another executor for a batch ({@link BatchSender#handOff}),
     * leaves that batch and the rest of the drain, drainer role included, to a task there. The caller has made this
     * thread the partition's drainer.
     */
    private void drainFrom(PartitionQueue q, ProducerBatch first) {
        ProducerBatch b = first;
        try {
            while (true) {
                if (b == null) {
                    synchronized (q) {
                        b = window.pollSendable(q);
                        if (b == null) {
                            if (q.drainAgain) {
                                q.drainAgain = false;
                                continue;
                            }
                            q.draining = false;
                            return;
                        }
                    }
                }
                if (handedOff(q, b)) {
                    b = null; // the task is the drainer now: the finally must not give up the role
                    return;
                }
                sender.send(b);
                b = null;
            }
        } finally {
            if (b != null) {
                synchronized (q) {
                    q.draining = false;
                }
            }
        }
    }

    /** Moves the open batch to the ready queue; the caller holds the lock. */
    private void seal(PartitionQueue q) {
        q.ready.addLast(q.takeOpen());
    }

    /** The partitions of one topic; its partition count and sticky partition are kept by the superclass. */
    final class TopicQueues extends TopicPartitioning {
        final String name;
        /** The most record bytes one request frame can carry (the client's {@code maxRequestBytes}). */
        final int requestRecordLimit;
        /** The most record bytes per batch: {@code min(batchBytes, requestRecordLimit)}. */
        final int maxRecordBytes;
        private volatile PartitionQueue[] queues = new PartitionQueue[0];

        TopicQueues(String name) {
            this.name = name;
            this.requestRecordLimit = maxRequestBytes - 1 - ProduceRequest.encodedSize(name, List.of(), acks);
            this.maxRecordBytes = Math.min(batchBytes, requestRecordLimit);
        }

        /**
         * The queue of a partition, created on first use.
         *
         * @param partition 0 or more
         * @return the queue
         */
        PartitionQueue queue(int partition) {
            PartitionQueue[] qs = queues;
            if (partition < qs.length) {
                PartitionQueue q = qs[partition];
                if (q != null) {
                    return q;
                }
            }
            return create(partition);
        }

        private synchronized PartitionQueue create(int partition) {
            PartitionQueue[] qs = queues;
            if (partition >= qs.length) {
                qs = Arrays.copyOf(qs, Math.max(partition + 1, partitionCount()));
            } else if (qs[partition] != null) {
                return qs[partition];
            } else {
                qs = qs.clone();
            }
            PartitionQueue q = new PartitionQueue(this, partition);
            qs[partition] = q;
            queues = qs;
            return q;
        }
    }

    /** One partition: its open batch, its sealed batches waiting for a slot, its in-flight count. */
    static final class PartitionQueue {
        final TopicQueues topic;
        final int partition;
        /** Guarded by this. */
        ProducerBatch open;
        /** Guarded by this. */
        final ArrayDeque<ProducerBatch> ready = new ArrayDeque<>();
        /** Guarded by this: batches sent and not completed, in sequence order. */
        final ArrayDeque<ProducerBatch> unacked = new ArrayDeque<>();
        /** Guarded by this: unacknowledged batches waiting to be resent, in sequence order. */
        final ArrayDeque<ProducerBatch> retries = new ArrayDeque<>();
        /** Guarded by this: the producer id header of the partition's next batch; null until needed. */
        WireHeader producerId;
        /**
         * Guarded by this: a batch with the current producer id has been stored. Until then one batch goes at a
         * time, since the broker accepts an id it does not know at any sequence and a later first request would be
         * taken as the start.
         */
        boolean producerIdKnown;
        /** Guarded by this: a linger timer is scheduled for this partition. */
        boolean lingerTimerArmed;
        /** Guarded by this: the send order number of the partition's next new batch. */
        long nextOrdinal;
        /** Guarded by this: the next batch's first sequence number. */
        long nextSequence;
        /** Guarded by this. */
        long nextBatchId;
        /**
         * Guarded by this: records in the last batch closed for appends (at least the minimum), the next batch's
         * capacity.
         */
        int lastBatchCount = ProducerBatch.MIN_CAPACITY;
        /** Guarded by this: a thread is in {@link RecordAccumulator#drain}. */
        boolean draining;
        /** Guarded by this: the drainer must look again before it stops. */
        boolean drainAgain;

        PartitionQueue(TopicQueues topic, int partition) {
            this.topic = topic;
            this.partition = partition;
        }

        /**
         * Closes the open batch for appends, whether it is sealed into the ready queue or sent straight from here,
         * and sizes the next batch's record arrays by its count (a batch taken open at a low rate holds a few
         * records; sizing the next one by an earlier full batch allocated {@code batchSize} slots per request).
         * The caller holds the lock; the open batch is not null.
         *
         * @return the batch that was open
         */
        ProducerBatch takeOpen() {
            ProducerBatch b = open;
            open = null;
            lastBatchCount = Math.max(ProducerBatch.MIN_CAPACITY, b.count());
            topic.sealed(partition);
            return b;
        }

        @Override
        public String toString() {
            return topic.name + ":" + Integer.toUnsignedString(partition);
        }
    }
}
