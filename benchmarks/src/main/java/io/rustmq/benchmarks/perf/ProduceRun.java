package io.rustmq.benchmarks.perf;

import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.metrics.LatencyHistogram;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.producer.ProducerConfig;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends {@code messages} records of {@code size} random bytes (one payload reused, no key, no headers) through
 * {@link Producer#send(Message, io.rustmq.client.producer.SendCallback)}, optionally at a fixed rate, and measures
 * each record's latency from the send call to its callback (the broker's acknowledgment). As with Kafka's
 * {@code kafka-producer-perf-test}, the producer's own {@code bufferMemory} bounds what is buffered or in flight:
 * {@code send} blocks while it is full, so the tool adds no hand-off of its own between its thread and the callbacks.
 */
public final class ProduceRun {
    /**
     * What to send.
     *
     * @param topic the topic
     * @param messages how many records to measure
     * @param size payload bytes per record
     * @param config the producer configuration
     * @param rate records per second, 0 for as fast as possible
     * @param warmupMessages records sent (and acknowledged) before the measurement, at the same rate, not counted;
     *     without a rate, then rounds of a quarter as many until the JIT compiler settles (see {@code settle})
     * @param maxTime the time limit of the measured phase
     */
    public record Spec(String topic, long messages, int size, ProducerConfig config, double rate,
                       long warmupMessages, Duration maxTime) {
    }

    /** A settling round counts as quiet when the JIT compiled for less than this share of it. */
    static final double SETTLED_JIT_SHARE = 0.05;
    /**
     * The warm-up stops after this many quiet settling rounds in a row: with one, a lull of the JIT compiler's
     * backlog (its queue drains unevenly) ended the warm-up while it still had seconds of compiling to do, which
     * then ran inside the measured phase (3-6 s of compile time in a 3-6 s produce phase of {@code all}).
     */
    static final int SETTLED_ROUNDS = 2;
    /** The most settling rounds sent after the warm-up records. */
    static final int MAX_SETTLING_ROUNDS = 30;
    /**
     * The settling rounds send at most this many times the warm-up's records in all: the broker keeps every record,
     * and rounds sized by time at a fast rate filled the embedded broker's 4 GiB heap in {@code all} (23 rounds of
     * about 160,000 records of 1 KiB), after which it answered nothing.
     */
    static final int SETTLING_RECORDS_FACTOR = 6;
    /** A settling round lasts about this long at least, in seconds. */
    static final double MIN_ROUND_SECONDS = 0.5;

    private ProduceRun() {
    }

    /**
     * Sends warm-up records through the measured phase's callback path with fresh objects, as the measured phase has
     * them: a new latency histogram (which grows as it meets larger values) and a silent progress with its timer
     * running, both then dropped. With one histogram for the whole warm-up, the compiled code had never seen it grow
     * and was voided when the measured phase's new one did.
     */
    private static void warmRound(Producer producer, Message message, long n, double rate, Duration maxTime) {
        try (Progress progress = new Progress(null, "sent")) {
            progress.start();
            new Phase(progress, new LatencyHistogram()).send(producer, message, n, rate, maxTime);
        }
    }

    /**
     * The most records all settling rounds together send after a warm-up of {@code warmupMessages}.
     *
     * @param warmupMessages the warm-up's records (positive)
     * @return {@value #SETTLING_RECORDS_FACTOR} times as many, at least 2
     */
    static long settlingBudget(long warmupMessages) {
        return Math.max(2, SETTLING_RECORDS_FACTOR * warmupMessages);
    }

    /**
     * The records of one settling round: a quarter of the warm-up's, or {@value #MIN_ROUND_SECONDS} s at the rate
     * the warm-up ran, whichever is more, and at most half of {@link #settlingBudget}, so that two rounds fit.
     *
     * @param warmupMessages the warm-up's records (positive)
     * @param warmupSeconds how long the warm-up took
     * @return records per round, at least 1
     */
    static long settlingRound(long warmupMessages, double warmupSeconds) {
        double perSecond = warmupMessages / Math.max(1e-3, warmupSeconds);
        return Math.max(1, Math.min(settlingBudget(warmupMessages) / 2,
                Math.max(warmupMessages / 4, (long) (perSecond * MIN_ROUND_SECONDS))));
    }

    /**
     * How much the JIT compiler has worked so far, in nanoseconds: its threads' CPU time where the OS tells it
     * ({@link ThreadCpu#jitNanos()}), else the JVM's compile time. The compile time is added when a compile ends, so
     * a C2 compile of 0.3-0.6 s that spanned a 0.5 s settling round left the round looking quiet: in {@code all}, two
     * warm-ups ended after their first two rounds and their measured phases had 3.7 and 5.5 s of compile time (against
     * 1.7-1.8 s after 11-20 rounds).
     *
     * @return nanoseconds, or -1 when neither is known
     */
    static long compilingNanos() {
        long threads = ThreadCpu.jitNanos();
        if (threads >= 0) {
            return threads;
        }
        long millis = Stopwatch.jitMillis();
        return millis < 0 ? -1 : millis * 1_000_000;
    }

    /**
     * Whether a settling round was quiet: the compiler worked for less than {@value #SETTLED_JIT_SHARE} of it. A
     * reading that went down (a compiler thread ended, taking its CPU time with it) does not count as quiet.
     *
     * @param before {@link #compilingNanos()} at the round's start
     * @param after {@link #compilingNanos()} at its end
     * @param roundNanos how long the round took
     * @return {@code true} when quiet
     */
    static boolean quietRound(long before, long after, long roundNanos) {
        long compiling = after - before;
        return compiling >= 0 && compiling < SETTLED_JIT_SHARE * roundNanos;
    }

    /**
     * Sends settling rounds after an unpaced warm-up: rounds of a quarter of {@code warmupMessages} records (and at
     * least {@value #MIN_ROUND_SECONDS} s at the warm-up's rate) until the client's JIT compiler spent less than
     * {@value #SETTLED_JIT_SHARE} of a round compiling ({@link #compilingNanos()}) in {@value #SETTLED_ROUNDS}
     * rounds in a row, at most {@value #MAX_SETTLING_ROUNDS} rounds and {@value #SETTLING_RECORDS_FACTOR} times
     * {@code warmupMessages} records in all.
     *
     * @return the number of rounds sent
     */
    private static int settle(Producer producer, Message message, long warmupMessages, double warmupSeconds,
                              Duration maxTime) {
        long budget = settlingBudget(warmupMessages);
        long round = settlingRound(warmupMessages, warmupSeconds);
        int rounds = 0;
        int quiet = 0;
        while (rounds < MAX_SETTLING_ROUNDS && quiet < SETTLED_ROUNDS && (rounds + 1) * round <= budget) {
            long jit0 = compilingNanos();
            long r0 = System.nanoTime();
            warmRound(producer, message, round, 0, maxTime);
            rounds++;
            if (jit0 < 0) {
                break; // the JVM does not report compile time: one round, as there is nothing to wait for
            }
            quiet = quietRound(jit0, compilingNanos(), System.nanoTime() - r0) ? quiet + 1 : 0;
        }
        return rounds;
    }

    /**
     * Runs it.
     *
     * @param client the client
     * @param test the test's name in the summary
     * @param spec what to send
     * @param settings the options, for the summary
     * @param broker the broker process whose CPU to measure, or null
     * @param out where progress goes, or null for none
     * @return the summary
     */
    public static Summary run(RustMQClient client, String test, Spec spec, Map<String, Object> settings,
                              ProcessHandle broker, PrintStream out) {
        byte[] payload = new byte[spec.size()];
        new Random(42).nextBytes(payload);
        Message message = Message.builder().payload(payload).build();
        try (Producer producer = client.createProducer(spec.topic(), spec.config())) {
            if (spec.warmupMessages() > 0) {
                if (out != null) {
                    out.printf("warming up with %,d records%s...%n", spec.warmupMessages(), spec.rate() > 0
                            ? String.format(" at %,.0f/s", spec.rate()) : "");
                }
                // the same helpers running as when measuring (the stopwatch), so that the JIT meets no new class
                // then: one loaded at the start of the measured phase voided compiled producer code and cost 1-2.5 s
                // of recompiling inside it
                Stopwatch warmWatch = new Stopwatch(broker);
                warmWatch.start();
                long w0 = System.nanoTime();
                warmRound(producer, message, spec.warmupMessages(), spec.rate(), spec.maxTime());
                if (spec.rate() == 0) {
                    int rounds = settle(producer, message, spec.warmupMessages(), (System.nanoTime() - w0) / 1e9,
                            spec.maxTime());
                    if (out != null) {
                        out.printf(Locale.ROOT, "warmed up in %.1f s (%d settling rounds)%n",
                                (System.nanoTime() - w0) / 1e9, rounds);
                    }
                }
                warmWatch.stop();
            }
            Progress progress = new Progress(out, "sent");
            LatencyHistogram latency = new LatencyHistogram();
            Stopwatch watch = new Stopwatch(broker);
            long requests0 = client.stats().requestsSent();
            progress.start();
            watch.start();
            Phase phase = new Phase(progress, latency);
            boolean timedOut = phase.send(producer, message, spec.messages(), spec.rate(), spec.maxTime());
            watch.stop();
            progress.close();
            long requests = client.stats().requestsSent() - requests0;
            return Summary.of(test, settings, progress.records(), progress.bytes(), watch, requests,
                    Summary.Latency.of("send->ack", latency), phase.errors.get(), timedOut,
                    phase.firstError.get(), progress.timeline());
        }
    }

    /** One sending phase: sends, then waits for every callback (within the time limit plus 10 s). */
    private static final class Phase {
        final Progress progress;
        final LatencyHistogram latency;
        final AtomicLong done = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicReference<String> firstError = new AtomicReference<>();

        Phase(Progress progress, LatencyHistogram latency) {
            // both always set: the warm-up records into its own and drops them
            this.progress = progress;
            this.latency = latency;
        }

        /** Returns whether the time limit stopped it. */
        boolean send(Producer producer, Message message, long n, double rate, Duration maxTime) {
            long start = System.nanoTime();
            long deadline = start + maxTime.toNanos();
            Pacer pacer = new Pacer(rate, start);
            int size = message.payload().length;
            long sent = 0;
            boolean timedOut = false;
            for (; sent < n; sent++) {
                pacer.await(sent);
                if ((sent & 1023) == 0 && System.nanoTime() > deadline) {
                    timedOut = true;
                    break;
                }
                long t0 = System.nanoTime();
                producer.send(message, (result, error) -> {
                    long t1 = System.nanoTime();
                    if (error != null) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, error.toString());
                    } else {
                        latency.recordNanos(t1 - t0);
                        progress.record(size, t1 - t0);
                    }
                    done.incrementAndGet();
                });
            }
            long waitUntil = Math.max(deadline, System.nanoTime()) + TimeUnit.SECONDS.toNanos(10);
            while (done.get() < sent) {
                if (System.nanoTime() > waitUntil) {
                    timedOut = true;
                    break;
                }
                LockSupport.parkNanos(100_000);
            }
            return timedOut;
        }
    }
}
