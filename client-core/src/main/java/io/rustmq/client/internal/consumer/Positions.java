package io.rustmq.client.internal.consumer;

import io.rustmq.client.protocol.TopicPartition;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The application's view of positions: seeks (to an offset, the beginning, the end or a timestamp), the next
 * position of each partition, and the lag. Seeks run on the calling application thread; the end and timestamp
 * lookups are blocking broker round trips made there, never on the member or heartbeat thread.
 */
public final class Positions {
    private final SubscriptionState state;
    private final Fetcher fetcher;
    private final Runnable wakeMember;

    /**
     * Creates the view.
     *
     * @param state the shared state
     * @param fetcher starts fetches at new positions and looks up ends and timestamps
     * @param wakeMember wakes the member thread after a seek
     */
    public Positions(SubscriptionState state, Fetcher fetcher, Runnable wakeMember) {
        this.state = state;
        this.fetcher = fetcher;
        this.wakeMember = wakeMember;
    }

    /**
     * Moves a partition's position: nothing buffered or acknowledged there survives.
     *
     * @param tp an assigned partition
     * @param offset the next offset to deliver, at least 0
     * @throws IllegalArgumentException if the offset is negative
     * @throws IllegalStateException if the partition is not assigned
     */
    public void seek(TopicPartition tp, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        }
        Fetcher.FetchTask task = null;
        state.lock();
        try {
            PartitionState s = state.requireAssigned(tp);
            state.reposition(s, offset);
            if (fetcher.shouldFetch(s, System.nanoTime())) {
                task = fetcher.startFetch(s);
            }
        } finally {
            state.unlock();
        }
        if (task != null) {
            fetcher.send(task);
        }
        wakeMember.run();
    }

    /**
     * Seeks partitions to offset 0.
     *
     * @param tps assigned partitions
     * @throws IllegalStateException if one is not assigned (then none moves)
     */
    public void seekToBeginning(List<TopicPartition> tps) {
        checkAssigned(tps);
        for (TopicPartition tp : tps) {
            seek(tp, 0);
        }
    }

    /**
     * Seeks partitions to their high watermark.
     *
     * @param tps assigned partitions
     * @throws IllegalStateException if one is not assigned (then none moves)
     */
    public void seekToEnd(List<TopicPartition> tps) {
        checkAssigned(tps);
        for (TopicPartition tp : tps) {
            seek(tp, fetcher.highWatermark(tp));
        }
    }

    /**
     * Seeks partitions to the first record at or after an instant.
     *
     * @param tps assigned partitions
     * @param timestamp the instant
     * @throws IllegalStateException if one is not assigned (then none moves)
     */
    public void seekToTimestamp(List<TopicPartition> tps, Instant timestamp) {
        checkAssigned(tps);
        for (TopicPartition tp : tps) {
            seek(tp, fetcher.offsetForTimestamp(tp, timestamp));
        }
    }

    private void checkAssigned(List<TopicPartition> tps) {
        state.lock();
        try {
            for (TopicPartition tp : tps) {
                state.requireAssigned(tp);
            }
        } finally {
            state.unlock();
        }
    }

    /**
     * The next offset to hand to the application.
     *
     * @param tp the partition
     * @return the offset, empty when not assigned or not resolved yet
     */
    public OptionalLong position(TopicPartition tp) {
        state.lock();
        try {
            PartitionState s = state.partitions().get(tp);
            return s != null && s.active ? OptionalLong.of(s.deliveredPosition) : OptionalLong.empty();
        } finally {
            state.unlock();
        }
    }

    /**
     * The lag of each partition whose high watermark is known.
     *
     * @return the lag
     */
    public Lag lag() {
        Map<TopicPartition, Long> lag = new HashMap<>();
        long total = 0;
        state.lock();
        try {
            for (PartitionState s : state.partitions().values()) {
                if (s.active && s.highWatermark >= 0) {
                    long l = Math.max(0, s.highWatermark - s.deliveredPosition);
                    lag.put(s.tp, l);
                    total += l;
                }
            }
        } finally {
            state.unlock();
        }
        return new Lag(lag, total);
    }

    /**
     * Lag per partition and in total.
     *
     * @param perPartition high watermark minus position, per partition
     * @param total the sum
     */
    public record Lag(Map<TopicPartition, Long> perPartition, long total) {
    }
}
