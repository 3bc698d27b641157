package io.rustmq.client.internal.consumer;

import io.rustmq.client.Message;
import io.rustmq.client.ProtocolException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.protocol.EncodedRecords;
import io.rustmq.client.protocol.FetchOffsetRequest;
import io.rustmq.client.protocol.FetchOffsetResponse;
import io.rustmq.client.protocol.FetchRequest;
import io.rustmq.client.protocol.FetchResponse;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.TopicPartition;
import io.rustmq.client.protocol.WireHeader;
import io.rustmq.client.protocol.WireRecord;
import io.rustmq.client.internal.transport.ConnectionPool;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Fetching: positions (resolving where a newly assigned partition starts, from its committed offset or the
 * {@link StartPosition}; resetting a position that fell outside the log), prefetch (at most one Fetch in flight per
 * partition, sent again as soon as the partition holds fewer buffered records than one fetch returned, so the next
 * fetch is in flight while the application works through the current one; bounded by the memory budget of
 * {@link SubscriptionState}), and decompression (turning records into messages). Fetch answers are handled on the
 * transport's threads; idle partitions are restarted and positions resolved on the member thread; records become
 * messages on the application's threads.
 *
 * <p><b>Reset policy</b> for a position outside the log (a stale committed offset past the high watermark, or an
 * offset below the log start after retention): {@code earliest} moves to the log start (0 when the broker did not
 * name it), {@code latest} to the high watermark, and an explicit offset or timestamp to the earliest valid offset
 * (the log start). Each reset logs one warning with the offsets and counts in {@code ConsumerMetrics.positionResets}.
 */
public final class Fetcher {
    private static final System.Logger LOG = System.getLogger(Fetcher.class.getName());
    static final long NEVER = Long.MAX_VALUE;

    /** Native decompression contexts, pooled for this consumer and freed when it closes. */
    private final io.rustmq.client.compression.CompressionContexts compressionContexts =
            new io.rustmq.client.compression.CompressionContexts();
    private final SubscriptionState state;
    private final BrokerChannel broker;
    private final String group;
    private final StartPosition startPosition;
    private final int fetchSize;
    private final int maxFetchBytes;
    private final long pollNanos;
    private final int pollMillis;
    private final int maxDecompressedBytes;
    private final Runnable wakeMember;
    private final Consumer<RustMQException> fail;
    private final LongAdder positionResets = new LongAdder();

    /**
     * Creates the fetcher.
     *
     * @param state the shared state
     * @param broker the broker
     * @param startPosition where partitions without a committed offset start, and the reset policy
     * @param fetchSize records per fetch
     * @param maxFetchBytes bytes per fetch
     * @param pollNanos how long an idle partition waits before it is fetched again
     * @param maxDecompressedBytes the largest value a decompression may produce
     * @param wakeMember wakes the member thread (an idle partition has a due time)
     * @param fail reports a non-retriable failure
     */
    public Fetcher(SubscriptionState state, BrokerChannel broker, StartPosition startPosition, int fetchSize,
                   int maxFetchBytes, long pollNanos, int maxDecompressedBytes, Runnable wakeMember,
                   Consumer<RustMQException> fail) {
        this.state = state;
        this.broker = broker;
        this.group = state.group();
        this.startPosition = startPosition;
        this.fetchSize = fetchSize;
        this.maxFetchBytes = maxFetchBytes;
        this.pollNanos = pollNanos;
        this.pollMillis = (int) Math.min(Integer.MAX_VALUE, pollNanos / 1_000_000);
        this.maxDecompressedBytes = maxDecompressedBytes;
        this.wakeMember = wakeMember;
        this.fail = fail;
    }

    /**
     * Positions reset because they fell outside the log.
     *
     * @return the count since creation
     */
    public long positionResets() {
        return positionResets.sum();
    }

    /** Whether a partition should be fetched now. Lock held. */
    boolean shouldFetch(PartitionState s, long now) {
        return s.assigned && s.active && !s.paused && !s.fetching && s.buffered < s.refillBelow
                && s.idleUntilNanos - now <= 0 && !state.isClosed() && state.budgetAllowsFetch();
    }

    /** Marks a fetch started. Lock held. */
    FetchTask startFetch(PartitionState s) {
        s.fetching = true;
        state.fetchStarted();
        return new FetchTask(s, s.epoch, s.fetchPosition);
    }

    /** Adds the fetches due now to {@code out}: every partition that may fetch. Lock held. */
    void dueFetches(long now, List<FetchTask> out) {
        for (PartitionState s : state.partitions().values()) {
            if (shouldFetch(s, now)) {
                out.add(startFetch(s));
            }
        }
    }

    /** Sends a fetch. Lock not held. */
    void send(FetchTask f) {
        TopicPartition tp = f.state().tp;
        broker.send(new FetchRequest(tp.topic(), tp.partition(), f.offset(), maxFetchBytes, pollMillis),
                FetchResponse.class).whenComplete((response, error) -> onFetch(f, response, error));
    }

    /** Sends fetches. Lock not held. */
    void sendAll(List<FetchTask> tasks) {
        for (FetchTask t : tasks) {
            send(t);
        }
    }

    private void onFetch(FetchTask f, FetchResponse r, Throwable error) {
        PartitionState s = f.state();
        List<FetchTask> next = new ArrayList<>(0);
        boolean wake = false;
        RustMQException failure = null;
        state.lock();
        try {
            s.fetching = false;
            state.fetchEnded();
            long now = System.nanoTime();
            if (!s.assigned || state.isClosed()) {
                return;
            }
            if (f.epoch() != s.epoch) {
                dueFetches(now, next); // seeked meanwhile: the answer is for the old position
                return;
            }
            if (error != null) {
                RustMQException e = ConnectionPool.unwrap(error);
                if (!e.isRetriable()) {
                    failure = e;
                    return;
                }
                LOG.log(System.Logger.Level.DEBUG, () -> "fetch of " + s.tp + " failed, retrying: " + e.getMessage());
                s.idleUntilNanos = now + pollNanos;
                wake = true;
                return;
            }
            long logStart = OffsetOutOfRange.logStart(r);
            if (logStart != OffsetOutOfRange.NOT_OUT_OF_RANGE) {
                reset(s, f.offset(), logStart, r.highWatermark(), "below the log start " + logStart);
                dueFetches(System.nanoTime(), next);
                wake = true;
                return;
            }
            if (r.errorCode() != 0) {
                LOG.log(System.Logger.Level.DEBUG, () -> "fetch of " + s.tp + " answered error " + r.errorCode() + ": "
                        + r.errorMessage());
                s.idleUntilNanos = now + pollNanos;
                wake = true;
                return;
            }
            s.highWatermark = r.highWatermark();
            List<WireRecord> records = r.records();
            int n = records.size();
            if (n == 0 && Long.compareUnsigned(f.offset(), r.highWatermark()) > 0) {
                reset(s, f.offset(), -1, r.highWatermark(), "past the high watermark " + r.highWatermark());
                dueFetches(System.nanoTime(), next);
                wake = true;
                return;
            }
            if (n > 0 && f.offset() == s.fetchPosition) {
                long bytes = sizeOf(records);
                PartitionState.Batch b = new PartitionState.Batch(s, f.epoch(), records, f.offset(), bytes);
                if (s.paused) {
                    s.parked.add(b);
                } else {
                    state.ready().addLast(b);
                    state.changed().signalAll();
                }
                s.fetchPosition += n;
                s.buffered += n;
                state.buffered(s, bytes);
                s.refillBelow = Math.max(fetchSize, n);
            }
            if (n == 0 || Long.compareUnsigned(s.fetchPosition, s.highWatermark) >= 0) {
                s.idleUntilNanos = now + pollNanos;
                wake = true;
            } else if (shouldFetch(s, now)) {
                next.add(startFetch(s));
            }
        } finally {
            state.unlock();
            sendAll(next);
            if (failure != null) {
                fail.accept(failure);
            }
            if (wake) {
                wakeMember.run();
            }
        }
    }

    /** Moves a position that fell outside the log per the reset policy. Lock held. */
    private void reset(PartitionState s, long from, long logStart, long highWatermark, String why) {
        long start = Math.max(logStart, 0);
        long to = startPosition instanceof StartPosition.Latest ? highWatermark : start;
        positionResets.increment();
        LOG.log(System.Logger.Level.WARNING, "group " + group + ": position " + from + " of " + s.tp + " is " + why
                + " (log start " + (logStart < 0 ? "unknown" : Long.toString(logStart)) + ", high watermark "
                + highWatermark + "); resetting to " + to + " per startPosition " + startPosition);
        state.reposition(s, to);
        s.highWatermark = highWatermark;
    }

    static long sizeOf(List<WireRecord> records) {
        if (records instanceof EncodedRecords e) {
            return e.sizeEstimate(); // the same estimate, summed while the frame was checked: no decoding here
        }
        long bytes = 0;
        for (WireRecord r : records) {
            bytes += EncodedRecords.RECORD_OVERHEAD + (r.key() == null ? 0 : r.key().length)
                    + (r.value() == null ? 0 : r.value().length);
            for (WireHeader h : r.headers()) {
                bytes += EncodedRecords.HEADER_OVERHEAD + Frames.utf8Length(h.key())
                        + (h.value() == null ? 0 : h.value().length);
            }
        }
        return bytes;
    }

    /**
     * Member thread: starts the fetches that are due and returns when the next idle partition becomes due.
     *
     * @param now {@link System#nanoTime()}
     * @return the next due time, or {@link #NEVER}
     */
    long fetchDue(long now) {
        List<FetchTask> tasks = new ArrayList<>(0);
        long next = NEVER;
        state.lock();
        try {
            for (PartitionState s : state.partitions().values()) {
                if (s.assigned && s.active && !s.paused && !s.fetching && s.buffered < s.refillBelow) {
                    if (s.idleUntilNanos - now > 0) {
                        next = Math.min(next, s.idleUntilNanos);
                    } else if (shouldFetch(s, now)) {
                        tasks.add(startFetch(s));
                    }
                }
            }
        } finally {
            state.unlock();
        }
        sendAll(tasks);
        return next;
    }

    /**
     * Application thread: the message a record becomes, decompressed.
     *
     * @param tp where it was read
     * @param offset its offset
     * @param record the record
     * @return the message
     * @throws ProtocolException if its compressed value is corrupt
     */
    /**
     * Frees the native decompression contexts this fetcher pooled (no thread-locals, so a redeployed application's
     * class loader is not kept alive by them). Called once the consumer has stopped delivering.
     */
    public void closeCompressionContexts() {
        compressionContexts.close();
    }

    Message toMessage(TopicPartition tp, long offset, WireRecord record) {
        return RecordConverter.toMessage(tp.topic(), tp.partition(), offset, record, maxDecompressedBytes,
                compressionContexts);
    }

    /**
     * Member thread: resolves the start offsets of partitions whose hand-over delay has passed (their committed
     * offset, or the start position).
     *
     * @param now {@link System#nanoTime()}
     * @return when the next one is due, or {@link #NEVER}
     * @throws RustMQException if a lookup fails
     */
    long resolvePositions(long now) {
        List<PartitionState> due = new ArrayList<>(0);
        long next = NEVER;
        state.lock();
        try {
            for (PartitionState s : state.partitions().values()) {
                if (!s.active) {
                    if (s.handoverAtNanos - now <= 0) {
                        due.add(s);
                    } else {
                        next = Math.min(next, s.handoverAtNanos);
                    }
                }
            }
        } finally {
            state.unlock();
        }
        if (due.isEmpty()) {
            return next;
        }
        List<TopicPartition> tps = new ArrayList<>(due.size());
        for (PartitionState s : due) {
            tps.add(s.tp);
        }
        FetchOffsetResponse committed = BrokerChannel.await(broker.sendWithRetry(new FetchOffsetRequest(group, tps),
                FetchOffsetResponse.class));
        for (PartitionState s : due) {
            Long c = committed.offsets().get(s.tp);
            long position = c != null ? c : startOffset(s.tp);
            state.lock();
            try {
                if (s.assigned && !s.active) {
                    state.reposition(s, position);
                    s.committed = c != null ? c : -1;
                }
            } finally {
                state.unlock();
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "group " + group + ": " + s.tp + " starts at " + position
                    + (c != null ? " (committed)" : " (" + startPosition + ")"));
        }
        return next;
    }

    private long startOffset(TopicPartition tp) {
        if (startPosition instanceof StartPosition.Earliest) {
            return 0;
        }
        if (startPosition instanceof StartPosition.Offset o) {
            return o.offset();
        }
        if (startPosition instanceof StartPosition.Timestamp t) {
            return offsetForTimestamp(tp, t.instant());
        }
        return highWatermark(tp);
    }

    /**
     * The partition's high watermark, from a Fetch past any offset (which returns no records). Blocks.
     *
     * @param tp the partition
     * @return the high watermark
     */
    public long highWatermark(TopicPartition tp) {
        FetchResponse r = BrokerChannel.await(broker.sendWithRetry(
                new FetchRequest(tp.topic(), tp.partition(), Long.MAX_VALUE, 0, 0), FetchResponse.class));
        return r.highWatermark();
    }

    /**
     * The first offset whose timestamp is at or after an instant. Blocks.
     *
     * @param tp the partition
     * @param instant the instant
     * @return the offset, or the high watermark when every record is older
     */
    public long offsetForTimestamp(TopicPartition tp, Instant instant) {
        long end = highWatermark(tp);
        return TimestampSearch.firstOffsetAtOrAfter(0, end, instant.toEpochMilli(), offset -> {
            FetchResponse r = BrokerChannel.await(broker.sendWithRetry(
                    new FetchRequest(tp.topic(), tp.partition(), offset, 0, 0), FetchResponse.class));
            return r.records().isEmpty() ? TimestampSearch.NO_RECORD : r.records().get(0).timestamp();
        });
    }

    /** A fetch to send. */
    record FetchTask(PartitionState state, int epoch, long offset) {
    }
}
