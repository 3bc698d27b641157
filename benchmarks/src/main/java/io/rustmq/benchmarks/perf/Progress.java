package io.rustmq.benchmarks.perf;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a running test, sampled once a second into a timeline (records/s and MB/s per second, for the
 * summary and the HTML report) and, when given somewhere to print, a progress line: records/s, MB/s and, where
 * latency is measured, the interval's average and maximum latency.
 */
public final class Progress implements AutoCloseable {
    private final LongAdder records = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder latencySum = new LongAdder();
    private final LongAdder latencyCount = new LongAdder();
    private final AtomicLong latencyMax = new AtomicLong();
    private final PrintStream out;
    private final String verb;
    private final List<Summary.Sample> timeline = new ArrayList<>();
    private ScheduledExecutorService timer;
    private long startNanos;
    /** At the last sample: time, records, bytes, latency sum, latency count. */
    private final long[] last = new long[5];

    /**
     * Creates the counters.
     *
     * @param out where progress lines go, or {@code null} to only sample
     * @param verb what a record undergoes, e.g. {@code sent} or {@code received}
     */
    public Progress(PrintStream out, String verb) {
        this.out = out;
        this.verb = verb;
    }

    /**
     * Counts a completed record.
     *
     * @param size its payload bytes
     */
    public void record(int size) {
        records.increment();
        bytes.add(size);
    }

    /**
     * Counts a completed record with its latency.
     *
     * @param size its payload bytes
     * @param latencyNanos its latency
     */
    public void record(int size, long latencyNanos) {
        record(size);
        latencySum.add(latencyNanos);
        latencyCount.increment();
        latencyMax.accumulateAndGet(latencyNanos, Math::max);
    }

    /**
     * Records completed so far.
     *
     * @return the count
     */
    public long records() {
        return records.sum();
    }

    /**
     * Payload bytes completed so far.
     *
     * @return bytes
     */
    public long bytes() {
        return bytes.sum();
    }

    /**
     * The throughput samples taken so far, one per second since {@link #start()}.
     *
     * @return a copy
     */
    public List<Summary.Sample> timeline() {
        synchronized (timeline) {
            return new ArrayList<>(timeline);
        }
    }

    /** Starts sampling (and printing, if there is somewhere to print) every second. */
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rustmq-perf-progress");
            t.setDaemon(true);
            return t;
        });
        startNanos = System.nanoTime();
        last[0] = startNanos;
        timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        synchronized (timeline) {
            if (timer.isShutdown()) {
                return;
            }
            long ls = latencySum.sum();
            long lc = latencyCount.sum();
            long max = latencyMax.getAndSet(0);
            long n = records.sum();
            long dn = n - last[1];
            Summary.Sample sample = sample(System.nanoTime(), n, bytes.sum());
            if (out != null) {
                String lat = lc - last[4] > 0 ? String.format(Locale.ROOT, ", %.2f ms avg latency, %.2f ms max"
                        + " latency", (ls - last[3]) / 1e6 / (lc - last[4]), max / 1e6) : "";
                out.printf(Locale.ROOT, "%,d records %s, %,.1f records/s (%.2f MB/s)%s.%n", dn, verb,
                        sample.recordsPerSec(), sample.mbPerSec(), lat);
            }
            last[3] = ls;
            last[4] = lc;
        }
    }

    /**
     * Adds the interval since the last sample to the timeline and starts the next one; under the lock.
     *
     * @param now the time, {@link System#nanoTime()}
     * @param n records completed so far
     * @param b payload bytes completed so far
     */
    private Summary.Sample sample(long now, long n, long b) {
        double s = (now - last[0]) / 1e9;
        Summary.Sample sample = new Summary.Sample((now - startNanos) / 1e9, (n - last[1]) / s,
                (b - last[2]) / Summary.MB / s);
        timeline.add(sample);
        last[0] = now;
        last[1] = n;
        last[2] = b;
        return sample;
    }

    /**
     * Stops sampling; the last part of a second, if it lasted at least a quarter of one, becomes a final sample.
     */
    @Override
    public void close() {
        if (timer == null) {
            return;
        }
        synchronized (timeline) {
            timer.shutdownNow();
            long now = System.nanoTime();
            if ((now - last[0]) / 1e9 >= 0.25) {
                sample(now, records.sum(), bytes.sum());
            }
        }
    }
}
