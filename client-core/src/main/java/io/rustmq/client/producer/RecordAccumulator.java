package io.rustmq.client.producer;

import io.rustmq.client.RustMQException;
import io.rustmq.client.protocol.AcknowledgmentLevel;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.WireHeader;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Collects records per partition into {@link ProducerBatch}es and hands a batch to the sender when it may go: when
 * it is full (by {@code batchSize} records or by bytes) or its linger time has passed, or on flush and close, and
 * only while the partition has fewer than {@code maxInFlight} requests outstanding. Batches of a partition are sent
 * in the order they were filled; a batch that cannot go yet waits, and the next free slot takes the oldest.
 *
 * <p>A batch's bytes are capped at {@code min(batchBytes, maxRequestBytes - 1 - requestOverhead(topic))}, so that
 * no request frame exceeds the client's {@code maxRequestBytes} (which counts the whole frame, type byte included).
 *
 * <p>Per record the work is one short critical section on the partition's lock; a linger timer is scheduled once
 * per batch, not per record. Idempotence sequence numbers are taken from the partition's counter in append order.
 * Thread-safe. Internal: used by {@link DefaultProducer}.
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
    }

    private final int batchSize;
    private final int batchBytes;
    private final int maxRequestBytes;
    private final AcknowledgmentLevel acks;
    private final long lingerNanos;
    private final int maxInFlight;
    private final boolean sequenced;
    private final ScheduledExecutorService scheduler;
    private final BatchSender sender;
    private final ConcurrentHashMap<String, TopicQueues> topics = new ConcurrentHashMap<>();
    private final Set<ProducerBatch> incomplete = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;
    private volatile RustMQException aborted;

    /**
     * Creates an accumulator.
     *
     * @param batchSize the most records per batch
     * @param batchBytes the most record bytes per batch
     * @param maxRequestBytes the client's limit on a whole request frame
     * @param acks the acknowledgment level (its encoding is part of the request overhead)
     * @param lingerNanos how long a batch that is not full waits before it may go (0: at once)
     * @param maxInFlight the most batches in flight per partition
     * @param sequenced whether records carry a last header slot for their sequence number
     * @param scheduler runs linger timers
     * @param sender receives batches that may go
     */
    RecordAccumulator(int batchSize, int batchBytes, int maxRequestBytes, AcknowledgmentLevel acks, long lingerNanos,
                      int maxInFlight, boolean sequenced, ScheduledExecutorService scheduler, BatchSender sender) {
        this.batchSize = batchSize;
        this.batchBytes = batchBytes;
        this.maxRequestBytes = maxRequestBytes;
        this.acks = acks;
        this.lingerNanos = lingerNanos;
        this.maxInFlight = maxInFlight;
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
     * @param headers the record's headers; when sequenced, the last slot is left for the sequence header
     * @param timestamp epoch milliseconds
     * @param size the record's encoded size (with the sequence header at its longest)
     * @param sink a {@code CompletableFuture<SendResult>} or a {@link SendCallback}
     * @throws RustMQException if the accumulator was aborted by a close
     */
    void append(PartitionQueue q, byte[] key, byte[] value, WireHeader[] headers, long timestamp, int size,
                Object sink) {
        ProducerBatch created = null;
        ProducerBatch toSend;
        synchronized (q) {
            RustMQException abort = aborted;
            if (abort != null) {
                throw abort;
            }
            ProducerBatch b = q.open;
            if (b != null && b.bytes() + size > q.topic.maxRecordBytes) {
                seal(q);
                b = null;
            }
            if (b == null) {
                b = new ProducerBatch(q, q.nextBatchId++, q.nextSequence, sequenced, batchSize, System.nanoTime());
                q.open = b;
                incomplete.add(b);
                created = b;
            }
            b.add(key, value, headers, timestamp, size, sink);
            q.nextSequence++;
            if (b.count() >= batchSize || b.bytes() >= q.topic.maxRecordBytes) {
                seal(q);
            }
            toSend = pollSendable(q);
            if (created != null && (lingerNanos == 0 || q.open != created)) {
                created = null; // already on its way: no linger timer needed
            }
        }
        if (created != null) {
            scheduleLinger(q, created.id);
        }
        if (toSend != null) {
            sendAndDrain(q, toSend);
        }
    }

    private void scheduleLinger(PartitionQueue q, long batchId) {
        try {
            scheduler.schedule(() -> lingerExpired(q, batchId), lingerNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The client's timer is gone (client closing): let the batch go at once instead.
            lingerExpired(q, batchId);
        }
    }

    /** A linger timer fired: the batch may go if it is still the open one (holds no batch reference). */
    void lingerExpired(PartitionQueue q, long batchId) {
        ProducerBatch toSend = null;
        synchronized (q) {
            ProducerBatch b = q.open;
            if (b != null && b.id == batchId) {
                b.lingerExpired = true;
                toSend = pollSendable(q);
            }
        }
        if (toSend != null) {
            sendAndDrain(q, toSend);
        }
    }

    /**
     * Releases the in-flight slot a finished batch held and sends what may go next. Call once per batch handed to
     * the sender, after its records were completed.
     *
     * @param batch the batch, done
     */
    void completed(ProducerBatch batch) {
        incomplete.remove(batch);
        PartitionQueue q = batch.queue;
        synchronized (q) {
            q.inFlight--;
        }
        drain(q);
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
        closing = true;
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
                }
            }
        }
        List<ProducerBatch> left = new ArrayList<>(incomplete);
        incomplete.clear();
        return left;
    }

    private void sendAndDrain(PartitionQueue q, ProducerBatch first) {
        sender.send(first);
        if (maxInFlight > 1) {
            drain(q);
        }
    }

    /**
     * Sends every batch that may go. Only one thread drains a partition at a time; another thread arriving meanwhile
     * (or the same thread re-entering because a send failed at once and completed its batch) just asks the drainer
     * to look again, so a long run of failing batches is handled in a loop, not by recursion.
     */
    private void drain(PartitionQueue q) {
        synchronized (q) {
            if (q.draining) {
                q.drainAgain = true;
                return;
            }
            q.draining = true;
        }
        ProducerBatch b = null;
        try {
            while (true) {
                synchronized (q) {
                    b = pollSendable(q);
                    if (b == null) {
                        if (q.drainAgain) {
                            q.drainAgain = false;
                            continue;
                        }
                        q.draining = false;
                        return;
                    }
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
        q.ready.addLast(q.open);
        q.open = null;
        q.topic.sealed(q.partition);
    }

    /** Takes the next batch that may be sent now and its in-flight slot, or null; the caller holds the lock. */
    private ProducerBatch pollSendable(PartitionQueue q) {
        if (q.inFlight >= maxInFlight) {
            return null;
        }
        ProducerBatch b = q.ready.pollFirst();
        if (b == null) {
            b = q.open;
            if (b == null || !(lingerNanos == 0 || b.lingerExpired || closing)) {
                return null;
            }
            q.open = null;
            q.topic.sealed(q.partition);
        }
        q.inFlight++;
        return b;
    }

    /** The partitions of one topic, with the sticky partition for keyless records. */
    final class TopicQueues {
        final String name;
        /** The most record bytes one request frame can carry (the client's {@code maxRequestBytes}). */
        final int requestRecordLimit;
        /** The most record bytes per batch: {@code min(batchBytes, requestRecordLimit)}. */
        final int maxRecordBytes;
        private final AtomicInteger sticky = new AtomicInteger(-1);
        private volatile int partitionCount;
        private volatile PartitionQueue[] queues = new PartitionQueue[0];

        TopicQueues(String name) {
            this.name = name;
            this.requestRecordLimit = maxRequestBytes - 1 - ProduceRequest.encodedSize(name, List.of(), acks);
            this.maxRecordBytes = Math.min(batchBytes, requestRecordLimit);
        }

        /**
         * The partition count, once known.
         *
         * @return the count, or 0 if not known yet
         */
        int partitionCount() {
            return partitionCount;
        }

        /**
         * Records the partition count.
         *
         * @param count at least 1
         */
        void partitionCount(int count) {
            this.partitionCount = count;
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
                qs = Arrays.copyOf(qs, Math.max(partition + 1, partitionCount));
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

        /**
         * The partition keyless records stick to now (random at first).
         *
         * @param count the partition count, at least 1
         * @return a partition in {@code [0, count)}
         */
        int stickyPartition(int count) {
            int s = sticky.get();
            if (s >= 0 && s < count) {
                return s;
            }
            int chosen = ThreadLocalRandom.current().nextInt(count);
            return sticky.compareAndSet(s, chosen) ? chosen : stickyPartition(count);
        }

        /** A batch of this partition was closed: keyless records move on if they were sticking to it. */
        void sealed(int partition) {
            int count = partitionCount;
            if (count > 1 && sticky.get() == partition) {
                sticky.compareAndSet(partition, (partition + 1) % count);
            }
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
        /** Guarded by this. */
        int inFlight;
        /** Guarded by this: the next record's sequence number. */
        long nextSequence;
        /** Guarded by this. */
        long nextBatchId;
        /** Guarded by this: a thread is in {@link RecordAccumulator#drain}. */
        boolean draining;
        /** Guarded by this: the drainer must look again before it stops. */
        boolean drainAgain;

        PartitionQueue(TopicQueues topic, int partition) {
            this.topic = topic;
            this.partition = partition;
        }

        @Override
        public String toString() {
            return topic.name + ":" + Integer.toUnsignedString(partition);
        }
    }
}
