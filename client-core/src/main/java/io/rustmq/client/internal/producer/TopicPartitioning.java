package io.rustmq.client.internal.producer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The partition count of one topic as the producer knows it, and the sticky partition that keyless records go to
 * until its batch is sealed. It owns the one-lookup-at-a-time rule for the partition count (a send that gave up
 * leaves the lookup running for the next one). Read and updated by the sending threads; a lookup's result is
 * recorded on the thread that completes it (the transport's). Thread-safe. The superclass of
 * {@link RecordAccumulator.TopicQueues}.
 */
class TopicPartitioning {
    private final AtomicInteger sticky = new AtomicInteger(-1);
    private volatile int partitionCount;
    /** Guarded by this. */
    private CompletableFuture<Integer> countLookup;

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
     * The lookup of the partition count in progress, started if none is: one lookup at a time per topic, and
     * its result is recorded when it arrives, whoever waits for it (a send that gave up at {@code maxBlockTime}
     * leaves it running for the next one). A failed lookup is forgotten, so the next send starts another.
     *
     * @param lookup starts a lookup
     * @return the lookup's result
     */
    CompletableFuture<Integer> partitionCountLookup(Supplier<CompletableFuture<Integer>> lookup) {
        CompletableFuture<Integer> f;
        synchronized (this) {
            f = countLookup;
            if (f == null || f.isCompletedExceptionally()) {
                f = lookup.get();
                countLookup = f;
                f.whenComplete((n, e) -> {
                    if (e == null) {
                        partitionCount(n);
                    }
                });
            }
        }
        return f;
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
