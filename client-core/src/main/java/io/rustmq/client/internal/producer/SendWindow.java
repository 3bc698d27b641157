package io.rustmq.client.internal.producer;

import io.rustmq.client.producer.Producer;
import io.rustmq.client.protocol.WireHeader;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The per-partition in-flight, sequence and retry bookkeeping of a {@link RecordAccumulator} (DESIGN §4): it owns
 * the rule for which batch of a partition may be sent next, the assignment of producer ids, send ordinals and
 * sequence numbers, the order of batches waiting to be resent, and the move to a new producer id after a failure.
 * It keeps no state of its own beyond its settings; the state lives in each
 * {@link RecordAccumulator.PartitionQueue}, and every method here is called by the accumulator with that partition's
 * monitor held, on whichever thread is appending, draining, completing or firing a timer for the partition.
 */
final class SendWindow {
    private final int maxInFlight;
    private final boolean sequenced;
    private final long lingerNanos;
    private final long deliveryTimeoutNanos;
    private final Supplier<String> producerIds;
    private final WireHeader initialProducerId;
    private final LongSupplier clock;
    private volatile boolean closing;

    /**
     * Creates the bookkeeping of one accumulator.
     *
     * @param maxInFlight the most unacknowledged batches per partition
     * @param sequenced whether batches carry the idempotence headers (then one batch at a time until an id is known)
     * @param lingerNanos how long an open batch waits before it may go (0: at once)
     * @param deliveryTimeoutNanos how long a batch may wait unsent after it was created
     * @param producerIds gives producer ids: its first is every partition's at first, a new one after
     *     {@link #failFrom}
     * @param clock nanosecond clock
     */
    SendWindow(int maxInFlight, boolean sequenced, long lingerNanos, long deliveryTimeoutNanos,
               Supplier<String> producerIds, LongSupplier clock) {
        this.maxInFlight = maxInFlight;
        this.sequenced = sequenced;
        this.lingerNanos = lingerNanos;
        this.deliveryTimeoutNanos = deliveryTimeoutNanos;
        this.producerIds = producerIds;
        this.initialProducerId = WireHeader.of(Producer.PRODUCER_ID_HEADER, producerIds.get());
        this.clock = clock;
    }

    /** From now on open batches may go as soon as a slot is free, whatever their linger time. */
    void beginClose() {
        closing = true;
    }

    /**
     * Takes the next batch that may be sent now, or null; the caller holds the lock. A batch to resend goes first,
     * once it is the oldest unacknowledged one and its backoff has passed; a new batch gets the partition's producer
     * id and next sequence and becomes unacknowledged. A new batch that waited past the delivery timeout is returned
     * marked {@link ProducerBatch#expiredUnsent}, without a sequence.
     *
     * @param q the partition, locked
     * @return the batch to send, or null
     */
    ProducerBatch pollSendable(RecordAccumulator.PartitionQueue q) {
        ProducerBatch r = q.retries.peekFirst();
        if (r != null) {
            if (r != q.unacked.peekFirst() || clock.getAsLong() - r.notBeforeNanos < 0) {
                return null; // an earlier batch is in flight, or the backoff runs: a completion or timer drains
            }
            return q.retries.pollFirst();
        }
        ProducerBatch oldest = q.unacked.peekFirst();
        if ((oldest != null && q.nextOrdinal - oldest.ordinal >= maxInFlight)
                || (sequenced && !q.producerIdKnown && unackedOfCurrentId(q))) {
            return null;
        }
        ProducerBatch b = q.ready.pollFirst();
        if (b == null) {
            b = q.open;
            if (b == null || !(lingerNanos == 0 || b.lingerExpired || closing)) {
                return null;
            }
            q.takeOpen();
        }
        if (clock.getAsLong() - b.createdNanos > deliveryTimeoutNanos) {
            b.expiredUnsent = true;
            return b;
        }
        if (q.producerId == null) {
            q.producerId = initialProducerId;
        }
        b.producerIdHeader = q.producerId;
        b.ordinal = q.nextOrdinal++;
        b.baseSequence = q.nextSequence;
        q.nextSequence += b.count();
        q.unacked.addLast(b);
        return b;
    }

    /**
     * Whether {@link #pollSendable} would return a batch now, without taking it; the caller holds the lock.
     *
     * @param q the partition, locked
     * @return true if a batch may be sent now
     */
    boolean hasSendable(RecordAccumulator.PartitionQueue q) {
        ProducerBatch r = q.retries.peekFirst();
        if (r != null) {
            return r == q.unacked.peekFirst() && clock.getAsLong() - r.notBeforeNanos >= 0;
        }
        ProducerBatch oldest = q.unacked.peekFirst();
        if ((oldest != null && q.nextOrdinal - oldest.ordinal >= maxInFlight)
                || (sequenced && !q.producerIdKnown && unackedOfCurrentId(q))) {
            return false;
        }
        if (!q.ready.isEmpty()) {
            return true;
        }
        ProducerBatch b = q.open;
        return b != null && (lingerNanos == 0 || b.lingerExpired || closing);
    }

    /** Whether a batch with the partition's current producer id is unacknowledged; the caller holds the lock. */
    private static boolean unackedOfCurrentId(RecordAccumulator.PartitionQueue q) {
        WireHeader id = q.producerId;
        for (ProducerBatch b : q.unacked) {
            if (b.producerIdHeader == id || id == null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Forgets a finished batch; a success under the partition's current producer id makes that id known to the
     * broker. The caller holds the lock.
     *
     * @param q the partition, locked
     * @param batch the batch, done
     */
    void completed(RecordAccumulator.PartitionQueue q, ProducerBatch batch) {
        q.unacked.remove(batch);
        q.retries.remove(batch);
        if (batch.succeeded() && batch.producerIdHeader == q.producerId) {
            q.producerIdKnown = true;
        }
    }

    /**
     * Queues an unacknowledged batch to be resent no sooner than {@code delayNanos} from now, in sequence order
     * among the batches waiting to be resent. The caller holds the lock.
     *
     * @param q the partition, locked
     * @param batch the batch, sent before and not done
     * @param delayNanos the backoff, 0 or more
     * @return false if the batch is no longer unacknowledged (failed meanwhile with an earlier batch)
     */
    boolean queueRetry(RecordAccumulator.PartitionQueue q, ProducerBatch batch, long delayNanos) {
        if (!q.unacked.contains(batch)) {
            return false;
        }
        batch.notBeforeNanos = clock.getAsLong() + delayNanos;
        Iterator<ProducerBatch> it = q.retries.descendingIterator();
        int after = q.retries.size();
        while (it.hasNext() && it.next().baseSequence > batch.baseSequence) {
            after--;
        }
        if (after == q.retries.size()) {
            q.retries.addLast(batch);
        } else {
            ArrayDeque<ProducerBatch> sorted = new ArrayDeque<>(q.retries.size() + 1);
            int i = 0;
            for (ProducerBatch r : q.retries) {
                if (i++ == after) {
                    sorted.addLast(batch);
                }
                sorted.addLast(r);
            }
            q.retries.clear();
            q.retries.addAll(sorted);
        }
        return true;
    }

    /**
     * Takes a failed batch and every later unacknowledged one out of the partition, oldest first, and moves the
     * partition to a new producer id with sequences from 0 if the batch had a sequence. The caller holds the lock.
     *
     * @param q the partition, locked
     * @param batch the batch that failed
     * @return the batch and the later unacknowledged ones, oldest first
     */
    List<ProducerBatch> failFrom(RecordAccumulator.PartitionQueue q, ProducerBatch batch) {
        List<ProducerBatch> out = new ArrayList<>();
        boolean found = false;
        for (ProducerBatch b : q.unacked) {
            found |= b == batch;
            if (found) {
                out.add(b);
            }
        }
        if (!found) {
            out.add(batch);
        }
        q.unacked.removeAll(out);
        q.retries.removeAll(out);
        if (batch.assigned()) {
            q.producerId = WireHeader.of(Producer.PRODUCER_ID_HEADER, producerIds.get());
            q.producerIdKnown = false;
            q.nextSequence = 0;
        }
        return out;
    }

    /**
     * The producer id the partition's next batch will be sent with; the caller holds the lock.
     *
     * @param q the partition, locked
     * @return the id
     */
    String producerId(RecordAccumulator.PartitionQueue q) {
        WireHeader h = q.producerId == null ? initialProducerId : q.producerId;
        return new String(h.value(), StandardCharsets.UTF_8);
    }
}
