package io.rustmq.client.internal.consumer;

import io.rustmq.client.RustMQException;
import io.rustmq.client.protocol.TopicPartition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The consumer's shared state: the assigned partitions and their positions, the buffer of fetched record lists in
 * arrival order, the memory budget those lists and the fetches in flight draw on, and whether the consumer is closed
 * or failed. One lock guards it all; the fetcher (on transport threads), the delivery (on application threads) and
 * the group membership (on the member thread) each hold it only briefly and never across I/O.
 */
public final class SubscriptionState {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<TopicPartition, PartitionState> partitions = new LinkedHashMap<>();
    private final ArrayDeque<PartitionState.Batch> ready = new ArrayDeque<>();
    private final String group;
    private final int fetchSize;
    private final long maxFetchBytes;
    private final long maxBufferedBytes;
    private volatile Set<TopicPartition> assignmentView = Set.of();
    private long bufferedBytes;
    private int fetchesInFlight;
    private volatile boolean closed;
    private volatile RustMQException fatal;
    /** Whether delivery is held back because the group session may have lapsed. */
    private volatile boolean suspended;

    /**
     * Empty state.
     *
     * @param group the group, for messages
     * @param fetchSize records per fetch, the initial refill threshold
     * @param maxFetchBytes the most bytes one fetch asks for
     * @param maxBufferedBytes the memory budget: buffered record bytes plus {@code maxFetchBytes} per fetch in flight
     */
    public SubscriptionState(String group, int fetchSize, long maxFetchBytes, long maxBufferedBytes) {
        this.group = Objects.requireNonNull(group, "group");
        this.fetchSize = fetchSize;
        this.maxFetchBytes = maxFetchBytes;
        this.maxBufferedBytes = maxBufferedBytes;
    }

    void lock() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }

    Condition changed() {
        return changed;
    }

    /** Wakes every thread waiting for messages. */
    void signalAll() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    String group() {
        return group;
    }

    int fetchSize() {
        return fetchSize;
    }

    long maxFetchBytes() {
        return maxFetchBytes;
    }

    /** Partitions by topic-partition, in assignment order. Lock held. */
    Map<TopicPartition, PartitionState> partitions() {
        return partitions;
    }

    /** Fetched record lists, in arrival order. Lock held. */
    ArrayDeque<PartitionState.Batch> ready() {
        return ready;
    }

    /**
     * A copy of the partitions.
     *
     * @return the assigned partitions' states
     */
    public List<PartitionState> snapshot() {
        lock.lock();
        try {
            return new ArrayList<>(partitions.values());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The assignment, readable without the lock.
     *
     * @return an immutable set
     */
    public Set<TopicPartition> assignment() {
        return assignmentView;
    }

    /** Adds new partitions, not active until their start offset is resolved. Lock not held. */
    void add(Collection<TopicPartition> tps, long handoverAtNanos) {
        lock.lock();
        try {
            for (TopicPartition tp : tps) {
                PartitionState s = new PartitionState(tp, fetchSize);
                s.handoverAtNanos = handoverAtNanos;
                partitions.put(tp, s);
            }
            assignmentView = Set.copyOf(partitions.keySet());
        } finally {
            lock.unlock();
        }
    }

    /** Removes partitions: nothing of theirs is delivered from now on. Lock not held. */
    void remove(Collection<PartitionState> states) {
        lock.lock();
        try {
            for (PartitionState s : states) {
                s.assigned = false;
                s.parked.clear();
                s.parkedRedeliveries.clear();
                drop(s);
                partitions.remove(s.tp);
            }
            assignmentView = Set.copyOf(partitions.keySet());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves a partition to an offset: new epoch, nothing buffered or acknowledged. Lock held.
     *
     * @param s the partition
     * @param offset the next offset to fetch and deliver
     */
    void reposition(PartitionState s, long offset) {
        s.epoch++;
        s.acks.reset(offset, s.epoch);
        s.fetchPosition = offset;
        s.deliveredPosition = offset;
        s.active = true;
        s.refillBelow = fetchSize;
        s.idleUntilNanos = System.nanoTime();
        s.parkedRedeliveries.clear();
        drop(s);
    }

    /** Forgets what is buffered and parked for a partition, releasing its budget. Lock held. */
    private void drop(PartitionState s) {
        ready.removeIf(b -> b.state == s);
        s.parked.clear();
        bufferedBytes -= s.bufferedBytes;
        s.bufferedBytes = 0;
        s.buffered = 0;
    }

    /**
     * The partition, which must be assigned. Lock held.
     *
     * @param tp the partition
     * @return its state
     * @throws IllegalStateException if it is not assigned
     */
    PartitionState requireAssigned(TopicPartition tp) {
        PartitionState s = partitions.get(Objects.requireNonNull(tp, "partition"));
        if (s == null) {
            throw new IllegalStateException(tp + " is not assigned to this consumer of group '" + group
                    + "' (assignment: " + partitions.keySet() + ")");
        }
        return s;
    }

    /** Whether the budget allows one more fetch. Lock held. */
    boolean budgetAllowsFetch() {
        return fetchesInFlight == 0 && bufferedBytes == 0
                || bufferedBytes + (fetchesInFlight + 1L) * maxFetchBytes <= maxBufferedBytes;
    }

    /** A fetch was sent. Lock held. */
    void fetchStarted() {
        fetchesInFlight++;
    }

    /** A fetch completed (whatever its outcome). Lock held. */
    void fetchEnded() {
        fetchesInFlight--;
    }

    /** Records were buffered (positive) or handed out or dropped (negative). Lock held. */
    void buffered(PartitionState s, long bytes) {
        s.bufferedBytes += bytes;
        bufferedBytes += bytes;
    }

    /**
     * What the budget holds now: buffered record bytes plus the bytes reserved for fetches in flight.
     *
     * @return bytes
     */
    public long budgetInUse() {
        lock.lock();
        try {
            return bufferedBytes + fetchesInFlight * maxFetchBytes;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The memory budget.
     *
     * @return bytes
     */
    public long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    boolean isClosed() {
        return closed;
    }

    /** Marks the consumer closed and wakes waiting threads. */
    public void close() {
        closed = true;
        signalAll();
    }

    RustMQException fatal() {
        return fatal;
    }

    /**
     * Records the consumer's fatal failure (the first one; none after close) and wakes waiting threads.
     *
     * @param e the failure, thrown from later receives
     */
    public void fail(RustMQException e) {
        if (fatal == null && !closed) {
            fatal = e;
        }
        signalAll();
    }

    boolean isSuspended() {
        return suspended;
    }

    /** Holds back (true) or resumes (false) delivery while the group session may have lapsed. */
    void suspend(boolean value) {
        suspended = value;
        if (!value) {
            signalAll();
        }
    }
}
