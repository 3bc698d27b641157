package io.rustmq.benchmarks.perf;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Open-loop pacing at a fixed rate: record {@code i} is due at {@code start + i / rate}; a sender that falls behind
 * catches up in a burst rather than drifting. As Kafka's {@code ThroughputThrottler} does, it sleeps only in steps of
 * at least {@link #MIN_PARK_NANOS}: a record due sooner than that goes at once, so at 10,000 records/s the sender
 * wakes 500 times a second, not 10,000 (one park per record cost the client 2.3 s of CPU in 10 s on a 2-vCPU VM,
 * where a timed park is dear). A rate of 0 means no pacing.
 */
public final class Pacer {
    /** The shortest wait: a record due within this many nanoseconds is sent now (Kafka's tool: 2 ms). */
    public static final long MIN_PARK_NANOS = 2_000_000L;

    private final double nanosPerRecord;
    private final long start;
    private final LongSupplier clock;
    private final LongConsumer parker;

    /**
     * A pacer.
     *
     * @param ratePerSecond records per second, 0 for unlimited
     * @param startNanos the {@link System#nanoTime()} of record 0
     */
    public Pacer(double ratePerSecond, long startNanos) {
        this(ratePerSecond, startNanos, System::nanoTime, LockSupport::parkNanos);
    }

    /** A pacer on a given clock and parking method (for tests). */
    Pacer(double ratePerSecond, long startNanos, LongSupplier clock, LongConsumer parker) {
        this.nanosPerRecord = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
        this.start = startNanos;
        this.clock = clock;
        this.parker = parker;
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
     * Waits until record {@code i} is due, or returns at once if it is due within {@link #MIN_PARK_NANOS}. It parks,
     * never spins, so that pacing costs the client process next to no CPU; a late wake-up is absorbed by the
     * open-loop schedule.
     *
     * @param i the record's index
     */
    public void await(long i) {
        if (nanosPerRecord == 0) {
            return;
        }
        long due = due(i);
        long now = clock.getAsLong();
        if (due - now < MIN_PARK_NANOS) {
            return;
        }
        while ((now = clock.getAsLong()) < due) {
            parker.accept(due - now);
        }
    }
}
