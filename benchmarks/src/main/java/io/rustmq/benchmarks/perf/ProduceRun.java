package io.rustmq.benchmarks.perf;

import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.metrics.LatencyHistogram;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.producer.ProducerConfig;

import java.io.PrintStream;
import java.time.Duration;
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
     * @param warmupMessages records sent (and acknowledged) before the measurement, at the same rate, not counted
     * @param maxTime the time limit of the measured phase
     */
    public record Spec(String topic, long messages, int size, ProducerConfig config, double rate,
                       long warmupMessages, Duration maxTime) {
    }

    private ProduceRun() {
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
                // the same callback path as the measured phase (a histogram and a silent progress that are then
                // dropped), so that the JIT does not meet a new branch, and recompile, once measuring starts
                Phase warm = new Phase(new Progress(null, "sent"), new LatencyHistogram());
                warm.send(producer, message, spec.warmupMessages(), spec.rate(), spec.maxTime());
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
