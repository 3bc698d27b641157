package io.rustmq.benchmarks.perf;

import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop pacing at a fixed rate: record {@code i} is due at {@code start + i / rate}; a sender that falls behind
 * catches up in a burst rather than drifting. A rate of 0 means no pacing.
 */
public final class Pacer {
    private final double nanosPerRecord;
    private final long start;

    /**
     * A pacer.
     *
     * @param ratePerSecond records per second, 0 for unlimited
     * @param startNanos the {@link System#nanoTime()} of record 0
     */
    public Pacer(double ratePerSecond, long startNanos) {
        this.nanosPerRecord = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
        this.start = startNanos;
    }

    /**
     * When record {@code i} is due.
     *
     * @param i the record's index
     * @return its {@link System#nanoTime()}
     */
    public long due(long i) {
        return start + (long) (i * nanosPerRecord);
    }

    /**
     * Waits until record {@code i} is due. It parks, never spins, so that pacing costs the client process next to
     * no CPU; a wake-up is typically 50-100 us late, which the open-loop schedule absorbs.
     *
     * @param i the record's index
     */
    public void await(long i) {
        if (nanosPerRecord == 0) {
            return;
        }
        long due = due(i);
        long now;
        while ((now = System.nanoTime()) < due) {
            LockSupport.parkNanos(due - now);
        }
    }
}
