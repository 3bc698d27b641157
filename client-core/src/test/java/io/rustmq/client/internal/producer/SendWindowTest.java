package io.rustmq.client.internal.producer;

import io.rustmq.client.protocol.AcknowledgmentLevel;
import io.rustmq.client.protocol.WireHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-partition send rules on a manual clock, driven directly on a partition's state (the accumulator's own
 * tests drive the same rules through appends and completions).
 */
class SendWindowTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final long[] now = {0};
    private final int[] ids = {0};

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private RecordAccumulator.PartitionQueue queue() {
        RecordAccumulator acc = new RecordAccumulator(10, 1 << 20, 1 << 20, AcknowledgmentLevel.ALL, 0, 5, true,
                timer, b -> { });
        return acc.topic("t").queue(0);
    }

    private SendWindow window(int maxInFlight, boolean sequenced, long deliveryTimeoutNanos) {
        return new SendWindow(maxInFlight, sequenced, 0, deliveryTimeoutNanos, () -> "id-" + ids[0]++, () -> now[0]);
    }

    /** Seals a batch of {@code count} one-byte records into the partition's ready queue. */
    private ProducerBatch ready(RecordAccumulator.PartitionQueue q, int count) {
        ProducerBatch b = new ProducerBatch(q, q.nextBatchId++, true, 10, now[0]);
        for (int i = 0; i < count; i++) {
            b.add(null, new byte[1], new WireHeader[0], 0, 30, new CompletableFuture<>());
        }
        q.ready.addLast(b);
        return b;
    }

    @Test
    void assignsSequencesInOrderAndStopsAtTheInFlightLimit() {
        SendWindow w = window(2, false, Long.MAX_VALUE);
        RecordAccumulator.PartitionQueue q = queue();
        ready(q, 3);
        ready(q, 2);
        ready(q, 1);
        ProducerBatch first = w.pollSendable(q);
        ProducerBatch second = w.pollSendable(q);
        assertThat(first.baseSequence).isZero();
        assertThat(second.baseSequence).isEqualTo(3);
        assertThat(w.pollSendable(q)).as("two in flight").isNull();
        first.succeed(0);
        w.completed(q, first);
        assertThat(w.pollSendable(q).baseSequence).isEqualTo(5);
    }

    @Test
    void sendsOneBatchAtATimeUntilTheBrokerKnowsTheProducerId() {
        SendWindow w = window(5, true, Long.MAX_VALUE);
        RecordAccumulator.PartitionQueue q = queue();
        ready(q, 1);
        ready(q, 1);
        ProducerBatch first = w.pollSendable(q);
        assertThat(w.pollSendable(q)).isNull();
        first.succeed(0);
        w.completed(q, first);
        assertThat(q.producerIdKnown).isTrue();
        assertThat(w.pollSendable(q)).isNotNull();
        assertThat(w.producerId(q)).isEqualTo("id-0");
    }

    @Test
    void resendsTheOldestFirstAndOnlyAfterItsBackoff() {
        SendWindow w = window(5, false, Long.MAX_VALUE);
        RecordAccumulator.PartitionQueue q = queue();
        ready(q, 1);
        ready(q, 1);
        ready(q, 1);
        ProducerBatch a = w.pollSendable(q);
        ProducerBatch b = w.pollSendable(q);
        assertThat(w.queueRetry(q, b, 100)).isTrue();
        assertThat(w.queueRetry(q, a, 100)).isTrue();
        assertThat(q.retries).containsExactly(a, b);
        assertThat(w.pollSendable(q)).as("backoff runs; no new batch goes meanwhile").isNull();
        now[0] = 100;
        assertThat(w.pollSendable(q)).isSameAs(a);
        assertThat(w.pollSendable(q)).as("b waits until a is acknowledged").isNull();
        a.succeed(0);
        w.completed(q, a);
        assertThat(w.pollSendable(q)).isSameAs(b);
    }

    @Test
    void failFromTakesTheLaterBatchesAndMovesToANewProducerIdFromSequenceZero() {
        SendWindow w = window(5, false, Long.MAX_VALUE);
        RecordAccumulator.PartitionQueue q = queue();
        ready(q, 2);
        ready(q, 2);
        ready(q, 2);
        ProducerBatch a = w.pollSendable(q);
        ProducerBatch b = w.pollSendable(q);
        ProducerBatch c = w.pollSendable(q);
        assertThat(w.failFrom(q, b)).containsExactly(b, c);
        assertThat(q.unacked).containsExactly(a);
        assertThat(w.producerId(q)).isEqualTo("id-1");
        assertThat(q.nextSequence).isZero();
        assertThat(w.queueRetry(q, c, 0)).as("failed meanwhile").isFalse();
    }

    @Test
    void aBatchThatWaitedPastTheDeliveryTimeoutGoesMarkedExpiredWithoutASequence() {
        SendWindow w = window(5, false, 1_000);
        RecordAccumulator.PartitionQueue q = queue();
        ready(q, 1);
        now[0] = 1_001;
        ProducerBatch b = w.pollSendable(q);
        assertThat(b.expiredUnsent).isTrue();
        assertThat(b.assigned()).isFalse();
        assertThat(q.unacked).isEmpty();
    }

    @Test
    void hasSendableAnswersAsPollSendableWouldWithoutTakingTheBatch() {
        SendWindow w = window(1, false, Long.MAX_VALUE);
        RecordAccumulator.PartitionQueue q = queue();
        assertThat(w.hasSendable(q)).as("nothing queued").isFalse();
        ready(q, 2);
        ready(q, 1);
        assertThat(w.hasSendable(q)).isTrue();
        assertThat(w.hasSendable(q)).as("asking takes nothing").isTrue();
        ProducerBatch first = w.pollSendable(q);
        assertThat(w.hasSendable(q)).as("one in flight, the limit").isFalse();
        assertThat(w.pollSendable(q)).isNull();
        first.succeed(0);
        w.completed(q, first);
        assertThat(w.hasSendable(q)).isTrue();
        ProducerBatch second = w.pollSendable(q);
        assertThat(second.baseSequence).isEqualTo(2);

        assertThat(w.queueRetry(q, second, 5)).isTrue();
        assertThat(w.hasSendable(q)).as("the resend's backoff runs").isFalse();
        now[0] += 5;
        assertThat(w.hasSendable(q)).isTrue();
        assertThat(w.pollSendable(q)).isSameAs(second);
    }
}
