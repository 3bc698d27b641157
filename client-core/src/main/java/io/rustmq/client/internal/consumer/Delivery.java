package io.rustmq.client.internal.consumer;

import io.rustmq.client.Message;
import io.rustmq.client.ProtocolException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.protocol.TopicPartition;
import io.rustmq.client.protocol.WireRecord;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Delivery: hands buffered records and due redeliveries to the application ({@code receive}/{@code poll}), keeps
 * nacked messages until their redelivery time, parks the records of paused partitions, and reports failures from
 * the next call. Runs on the application's threads (under the {@link SubscriptionState} lock only while taking
 * records; conversion and decompression happen outside it) and, for redeliveries scheduled by a nack, on whatever
 * thread nacked. Acknowledgments go straight to the partition's {@link AckTracker}, without this lock.
 */
public final class Delivery {
    private static final System.Logger LOG = System.getLogger(Delivery.class.getName());

    private final SubscriptionState state;
    private final Fetcher fetcher;
    private final MessageAccess access;
    private final DeadLetterer deadLetterer;
    /** Nacked messages waiting for their redelivery time. Lock held. */
    private final PriorityQueue<Redelivery> redeliveries =
            new PriorityQueue<>(Comparator.comparingLong(Redelivery::dueNanos));
    /** Failures to report from the next receive or poll. Lock held. */
    private final ArrayDeque<RustMQException> pendingErrors = new ArrayDeque<>();
    private final LongAdder corrupt = new LongAdder();

    /**
     * Creates the delivery.
     *
     * @param state the shared state
     * @param fetcher refills partitions as records are taken, and converts records
     * @param access builds messages
     * @param deadLetterer where corrupt records go when a dead-letter topic is configured; {@code null} for none
     */
    public Delivery(SubscriptionState state, Fetcher fetcher, MessageAccess access, DeadLetterer deadLetterer) {
        this.state = state;
        this.fetcher = fetcher;
        this.access = access;
        this.deadLetterer = deadLetterer;
    }

    /**
     * Records whose compressed value was corrupt.
     *
     * @return the count
     */
    public long corruptRecords() {
        return corrupt.sum();
    }

    /**
     * Takes up to {@code max} messages, waiting until the deadline for the first.
     *
     * @param deadlineNanos {@link System#nanoTime()} deadline
     * @param max the most messages
     * @return the messages, empty at the deadline
     * @throws RustMQException a pending failure, the consumer's fatal failure, or if the consumer is closed
     */
    public List<ConsumerMessage> take(long deadlineNanos, int max) {
        while (true) {
            List<Taken> taken = takeRaw(deadlineNanos, max);
            if (taken.isEmpty()) {
                return List.of();
            }
            List<ConsumerMessage> out = new ArrayList<>(count(taken));
            List<RustMQException> errors = null;
            for (Taken t : taken) {
                if (t.redelivered() != null) {
                    out.add(t.redelivered());
                    continue;
                }
                for (int i = 0; i < t.count(); i++) {
                    try {
                        ConsumerMessage m = materialize(t, i);
                        if (m != null) {
                            out.add(m);
                        }
                    } catch (ProtocolException e) {
                        if (errors == null) {
                            errors = new ArrayList<>(1);
                        }
                        errors.add(e);
                    }
                }
            }
            if (errors != null) {
                if (out.isEmpty()) {
                    stash(errors.subList(1, errors.size()));
                    throw errors.get(0);
                }
                stash(errors);
            }
            if (!out.isEmpty()) {
                return out;
            }
        }
    }

    private static int count(List<Taken> taken) {
        int n = 0;
        for (Taken t : taken) {
            n += t.redelivered() != null ? 1 : t.count();
        }
        return n;
    }

    private void stash(List<RustMQException> errors) {
        if (errors.isEmpty()) {
            return;
        }
        state.lock();
        try {
            pendingErrors.addAll(errors);
        } finally {
            state.unlock();
        }
    }

    private List<Taken> takeRaw(long deadline, int max) {
        List<Taken> out = new ArrayList<>(4);
        List<Fetcher.FetchTask> fetches = new ArrayList<>(0);
        state.lock();
        try {
            while (true) {
                throwIfUnusable();
                long now = System.nanoTime();
                if (!state.isSuspended()) {
                    takeLocked(now, max, out, fetches);
                }
                if (!out.isEmpty()) {
                    break;
                }
                long wait = deadline - now;
                if (wait <= 0) {
                    break;
                }
                Redelivery next = redeliveries.peek();
                if (next != null) {
                    wait = Math.min(wait, Math.max(next.dueNanos() - now, 0));
                }
                if (wait > 0) {
                    state.changed().awaitNanos(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RustMQException("interrupted while receiving", e, false);
        } finally {
            state.unlock();
            fetcher.sendAll(fetches);
        }
        return out;
    }

    private void throwIfUnusable() {
        RustMQException pending = pendingErrors.poll();
        if (pending != null) {
            throw pending;
        }
        RustMQException f = state.fatal();
        if (f != null) {
            throw f;
        }
        if (state.isClosed()) {
            throw new RustMQException("consumer of group '" + state.group() + "' is closed");
        }
    }

    /** Takes up to {@code max} deliveries: due redeliveries one by one, buffered records as runs of a batch. */
    private void takeLocked(long now, int max, List<Taken> out, List<Fetcher.FetchTask> fetches) {
        int taken = 0;
        while (taken < max && !redeliveries.isEmpty() && redeliveries.peek().dueNanos() - now <= 0) {
            ConsumerMessage m = redeliveries.poll().message();
            PartitionState s = access.owner(m);
            int epoch = access.epoch(m);
            if (!s.assigned || epoch != s.epoch) {
                continue;
            }
            if (s.paused) {
                s.parkedRedeliveries.add(m);
                continue;
            }
            s.acks.delivered(1, epoch);
            out.add(new Taken(m, s, epoch, null, 0, 0, m.offset()));
            taken++;
        }
        boolean tookRecords = false;
        while (taken < max) {
            PartitionState.Batch b = state.ready().peekFirst();
            if (b == null) {
                break;
            }
            PartitionState s = b.state;
            if (!s.assigned || b.epoch != s.epoch) {
                state.ready().pollFirst();
                continue;
            }
            if (s.paused) {
                state.ready().pollFirst();
                s.parked.add(b);
                continue;
            }
            int n = Math.min(max - taken, b.records.size() - b.next);
            // One entry per run; the records are decoded after the lock is released (EncodedRecords decodes on get).
            out.add(new Taken(null, s, b.epoch, b.records, b.next, n, b.base + b.next));
            taken += n;
            b.next += n;
            if (b.next == b.records.size()) {
                state.ready().pollFirst();
                state.buffered(s, -b.bytes);
            }
            s.buffered -= n;
            s.deliveredPosition = b.base + b.next;
            s.acks.delivered(n, b.epoch);
            tookRecords = true;
        }
        if (tookRecords) {
            fetcher.dueFetches(now, fetches);
        }
    }

    /**
     * Converts record {@code i} of a run into the application's message; {@code null} if it was corrupt and
     * dead-lettered.
     */
    private ConsumerMessage materialize(Taken t, int i) {
        PartitionState s = t.state();
        TopicPartition tp = s.tp;
        long offset = t.offset() + i;
        WireRecord record = t.records().get(t.from() + i);
        try {
            Message m = fetcher.toMessage(tp, offset, record);
            return access.create(m, tp, offset, 1, s, t.epoch());
        } catch (ProtocolException e) {
            corrupt.increment();
            if (deadLetterer != null) {
                LOG.log(System.Logger.Level.WARNING, "{0}; sending it to the dead-letter topic {1}", e.getMessage(),
                        deadLetterer.topic());
                ConsumerMessage raw = access.create(RecordConverter.rawMessage(tp.topic(), tp.partition(),
                        record), tp, offset, 0, s, t.epoch());
                deadLetterer.deadLetter(raw, e);
                return null;
            }
            LOG.log(System.Logger.Level.WARNING, "{0}; skipping it (no dead-letter topic is configured)",
                    e.getMessage());
            s.acks.ack(offset, t.epoch());
            throw e;
        }
    }

    /**
     * Queues a message for redelivery after a delay, unless its partition was revoked or seeked since.
     *
     * @param m the message as it will be delivered
     * @param delayNanos how long from now
     */
    public void scheduleRedelivery(ConsumerMessage m, long delayNanos) {
        PartitionState s = access.owner(m);
        state.lock();
        try {
            if (state.isClosed() || !s.assigned || access.epoch(m) != s.epoch) {
                LOG.log(System.Logger.Level.DEBUG, () -> "not redelivering " + m + ": partition revoked or seeked,"
                        + " or the consumer is closed; the partition's next owner reads it again");
                return;
            }
            redeliveries.add(new Redelivery(m, System.nanoTime() + delayNanos));
            state.changed().signalAll();
        } finally {
            state.unlock();
        }
    }

    /**
     * Stops delivering partitions; their buffered records are parked, fetching stops.
     *
     * @param tps assigned partitions
     * @throws IllegalStateException if one is not assigned (then nothing changes)
     */
    public void pause(Collection<TopicPartition> tps) {
        state.lock();
        try {
            for (TopicPartition tp : tps) {
                state.requireAssigned(tp);
            }
            for (TopicPartition tp : tps) {
                PartitionState s = state.partitions().get(tp);
                if (s.paused) {
                    continue;
                }
                s.paused = true;
                for (Iterator<PartitionState.Batch> it = state.ready().iterator(); it.hasNext(); ) {
                    PartitionState.Batch b = it.next();
                    if (b.state == s) {
                        it.remove();
                        s.parked.add(b);
                    }
                }
            }
        } finally {
            state.unlock();
        }
    }

    /**
     * Resumes paused partitions: parked records and redeliveries become deliverable, fetching restarts.
     *
     * @param tps assigned partitions
     * @throws IllegalStateException if one is not assigned (then nothing changes)
     */
    public void resume(Collection<TopicPartition> tps) {
        List<Fetcher.FetchTask> tasks = new ArrayList<>(0);
        state.lock();
        try {
            for (TopicPartition tp : tps) {
                state.requireAssigned(tp);
            }
            long now = System.nanoTime();
            for (TopicPartition tp : tps) {
                PartitionState s = state.partitions().get(tp);
                if (!s.paused) {
                    continue;
                }
                s.paused = false;
                state.ready().addAll(s.parked);
                s.parked.clear();
                for (ConsumerMessage m : s.parkedRedeliveries) {
                    redeliveries.add(new Redelivery(m, now));
                }
                s.parkedRedeliveries.clear();
                if (fetcher.shouldFetch(s, now)) {
                    tasks.add(fetcher.startFetch(s));
                }
            }
            state.changed().signalAll();
        } finally {
            state.unlock();
        }
        fetcher.sendAll(tasks);
    }

    /**
     * The paused partitions.
     *
     * @return an immutable set
     */
    public Set<TopicPartition> paused() {
        state.lock();
        try {
            Set<TopicPartition> out = new HashSet<>();
            for (PartitionState s : state.partitions().values()) {
                if (s.paused) {
                    out.add(s.tp);
                }
            }
            return Set.copyOf(out);
        } finally {
            state.unlock();
        }
    }

    /** A nacked message and when to deliver it again. */
    private record Redelivery(ConsumerMessage message, long dueNanos) {
    }

    /**
     * A delivery taken under the lock: a redelivered message, or a run of {@code count} records still to convert,
     * {@code records[from, from + count)} at offsets from {@code offset}.
     */
    private record Taken(ConsumerMessage redelivered, PartitionState state, int epoch, List<WireRecord> records,
                         int from, int count, long offset) {
    }
}
