package io.rustmq.client.internal.producer;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A topic's partition count (one lookup at a time, failed lookups forgotten) and its sticky partition. */
class TopicPartitioningTest {
    @Test
    void oneLookupAtATimeAndItsResultIsRecordedWhoeverWaits() {
        TopicPartitioning t = new TopicPartitioning();
        AtomicInteger started = new AtomicInteger();
        CompletableFuture<Integer> pending = new CompletableFuture<>();
        CompletableFuture<Integer> first = t.partitionCountLookup(() -> {
            started.incrementAndGet();
            return pending;
        });
        CompletableFuture<Integer> second = t.partitionCountLookup(() -> {
            started.incrementAndGet();
            return new CompletableFuture<>();
        });
        assertThat(second).isSameAs(first);
        assertThat(started).hasValue(1);
        assertThat(t.partitionCount()).isZero();
        pending.complete(3);
        assertThat(t.partitionCount()).isEqualTo(3);
    }

    @Test
    void aFailedLookupIsForgottenSoTheNextSendStartsAnother() {
        TopicPartitioning t = new TopicPartitioning();
        CompletableFuture<Integer> failed = t.partitionCountLookup(
                () -> CompletableFuture.failedFuture(new IllegalStateException("no broker")));
        CompletableFuture<Integer> next = t.partitionCountLookup(() -> CompletableFuture.completedFuture(4));
        assertThat(next).isNotSameAs(failed);
        assertThat(t.partitionCount()).isEqualTo(4);
    }

    @Test
    void keylessRecordsStickToOnePartitionUntilItsBatchIsSealed() {
        TopicPartitioning t = new TopicPartitioning();
        t.partitionCount(3);
        int p = t.stickyPartition(3);
        assertThat(p).isBetween(0, 2);
        assertThat(t.stickyPartition(3)).isEqualTo(p);
        t.sealed((p + 1) % 3); // another partition's batch: no move
        assertThat(t.stickyPartition(3)).isEqualTo(p);
        t.sealed(p);
        assertThat(t.stickyPartition(3)).isEqualTo((p + 1) % 3);
    }
}
