package io.rustmq.client.internal.producer;

import io.rustmq.client.protocol.AcknowledgmentLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The linger timer on a manual clock: one timer per partition, re-armed for a younger batch, at once without timer. */
class LingerTimerTest {
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<RecordAccumulator.PartitionQueue> expired = new CopyOnWriteArrayList<>();
    private final long[] now = {0};

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private static RecordAccumulator.PartitionQueue queueWithOpenBatch(long createdNanos, ScheduledExecutorService t) {
        RecordAccumulator acc = new RecordAccumulator(10, 1 << 20, 1 << 20, AcknowledgmentLevel.ALL, 0, 1, false, t,
                b -> { });
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        q.open = new ProducerBatch(q, 0, false, 10, createdNanos);
        return q;
    }

    @Test
    void claimsOneTimerPerPartition() {
        LingerTimer linger = new LingerTimer(HOUR, timer, () -> now[0], expired::add);
        RecordAccumulator.PartitionQueue q = queueWithOpenBatch(0, timer);
        assertThat(linger.claim(q)).isTrue();
        assertThat(linger.claim(q)).as("already armed").isFalse();
        assertThat(new LingerTimer(0, timer, () -> now[0], expired::add).claim(queueWithOpenBatch(0, timer)))
                .as("no linger time, no timer").isFalse();
    }

    @Test
    void letsAnOldEnoughBatchGoAndReArmsForAYoungerOne() {
        LingerTimer linger = new LingerTimer(HOUR, timer, () -> now[0], expired::add);
        RecordAccumulator.PartitionQueue q = queueWithOpenBatch(0, timer);
        now[0] = HOUR / 2;
        linger.fire(q, false);
        assertThat(expired).isEmpty();
        assertThat(q.lingerTimerArmed).as("armed again for the rest").isTrue();
        assertThat(q.open.lingerExpired).isFalse();
        now[0] = HOUR;
        linger.fire(q, false);
        assertThat(expired).containsExactly(q);
        assertThat(q.open.lingerExpired).isTrue();
        assertThat(q.lingerTimerArmed).isFalse();
    }

    @Test
    void letsTheBatchGoAtOnceWhenTheClientsTimerIsGone() {
        ScheduledExecutorService gone = Executors.newSingleThreadScheduledExecutor();
        gone.shutdownNow();
        LingerTimer linger = new LingerTimer(HOUR, gone, () -> now[0], expired::add);
        RecordAccumulator.PartitionQueue q = queueWithOpenBatch(0, timer);
        assertThat(linger.claim(q)).isTrue();
        linger.arm(q);
        assertThat(expired).containsExactly(q);
        assertThat(q.open.lingerExpired).isTrue();
    }
}
