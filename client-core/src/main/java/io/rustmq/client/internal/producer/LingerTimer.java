package io.rustmq.client.internal.producer;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The linger timers of a {@link RecordAccumulator}: it owns the decision to arm one timer per partition (not one per
 * batch or per record), the re-arming when the batch the timer was armed for went full meanwhile, and the fallback
 * of letting a batch go at once when the client's timer is gone. Arming runs on the appending thread with the
 * partition's lock held; {@link #fire} runs on the client's timer thread (the scheduler given to the producer), or
 * on the appending thread when the scheduler refuses the task.
 */
final class LingerTimer {
    private final long lingerNanos;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier clock;
    private final Consumer<RecordAccumulator.PartitionQueue> expired;

    /**
     * Creates the timers of one accumulator.
     *
     * @param lingerNanos how long an open batch waits before it may go (0: no timers)
     * @param scheduler the client's timer thread
     * @param clock nanosecond clock, the one batch creation times come from
     * @param expired called, without the lock, when a partition's open batch may go
     */
    LingerTimer(long lingerNanos, ScheduledExecutorService scheduler, LongSupplier clock,
                Consumer<RecordAccumulator.PartitionQueue> expired) {
        this.lingerNanos = lingerNanos;
        this.scheduler = scheduler;
        this.clock = clock;
        this.expired = expired;
    }

    /**
     * Whether a timer must be armed for the partition's open batch; if so, marks it armed. The caller holds the lock
     * and, if this returns true, calls {@link #arm} after releasing it.
     *
     * @param q the partition, locked
     * @return true if the caller must arm the timer
     */
    boolean claim(RecordAccumulator.PartitionQueue q) {
        if (lingerNanos > 0 && q.open != null && !q.open.lingerExpired && !q.lingerTimerArmed) {
            q.lingerTimerArmed = true;
            return true;
        }
        return false;
    }

    /**
     * Schedules the partition's timer for the full linger time; call without the lock after {@link #claim}.
     *
     * @param q the partition
     */
    void arm(RecordAccumulator.PartitionQueue q) {
        schedule(q, lingerNanos);
    }

    private void schedule(RecordAccumulator.PartitionQueue q, long delayNanos) {
        try {
            scheduler.schedule(() -> fire(q, false), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The client's timer is gone (client closing): let the batch go at once instead.
            fire(q, true);
        }
    }

    /**
     * The partition's timer fired: the open batch may go if it is old enough (or {@code now}); if a younger batch is
     * open (the one the timer was armed for went full meanwhile), the timer is armed again for the rest of its
     * linger time.
     *
     * @param q the partition
     * @param now let the open batch go whatever its age
     */
    void fire(RecordAccumulator.PartitionQueue q, boolean now) {
        boolean mayGo = false;
        long rearm = -1;
        synchronized (q) {
            q.lingerTimerArmed = false;
            ProducerBatch b = q.open;
            if (b != null && !b.lingerExpired) {
                long left = lingerNanos - (clock.getAsLong() - b.createdNanos);
                if (now || left <= 0) {
                    b.lingerExpired = true;
                    mayGo = true;
                } else {
                    q.lingerTimerArmed = true;
                    rearm = left;
                }
            }
        }
        if (rearm > 0) {
            schedule(q, rearm);
        }
        if (mayGo) {
            expired.accept(q);
        }
    }
}
