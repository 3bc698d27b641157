package io.rustmq.client.internal.consumer;

import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.protocol.TopicPartition;
import io.rustmq.client.protocol.WireRecord;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One assigned partition: its positions, what is buffered and parked, and its acknowledgments. Fields other than
 * {@link #acks} and {@link #committed} are guarded by the {@link SubscriptionState} lock; the acknowledgment tracker
 * has its own monitor and is touched by application threads without that lock.
 */
public final class PartitionState {
    final TopicPartition tp;
    final AckTracker acks = new AckTracker();
    final ArrayDeque<Batch> parked = new ArrayDeque<>();
    final List<ConsumerMessage> parkedRedeliveries = new ArrayList<>(0);
    int epoch;
    boolean assigned = true;
    /** Whether the position is known (resolved or seeked). */
    boolean active;
    long handoverAtNanos;
    long fetchPosition;
    long deliveredPosition;
    long highWatermark = -1;
    int buffered;
    long bufferedBytes;
    int refillBelow;
    boolean fetching;
    long idleUntilNanos;
    boolean paused;
    /** The last offset committed (or found committed), -1 if none. */
    volatile long committed = -1;

    PartitionState(TopicPartition tp, int refillBelow) {
        this.tp = tp;
        this.refillBelow = refillBelow;
    }

    /**
     * The partition.
     *
     * @return its topic and number
     */
    public TopicPartition topicPartition() {
        return tp;
    }

    @Override
    public String toString() {
        return tp.toString();
    }

    /** The records of one fetch, handed out from {@link #next}. */
    static final class Batch {
        final PartitionState state;
        final int epoch;
        final List<WireRecord> records;
        final long base;
        final long bytes;
        int next;

        Batch(PartitionState state, int epoch, List<WireRecord> records, long base, long bytes) {
            this.state = state;
            this.epoch = epoch;
            this.records = records;
            this.base = base;
            this.bytes = bytes;
        }
    }
}
