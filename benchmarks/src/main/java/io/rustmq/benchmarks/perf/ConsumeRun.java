package io.rustmq.benchmarks.perf;

import io.rustmq.client.RustMQClient;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@code messages} records with a new consumer group from the earliest offset, acknowledging each one (so the
 * client's at-least-once bookkeeping is part of the cost), through {@link Consumer#poll(Duration)}. The measured
 * time starts before the consumer is created, so it includes joining the group; the time to the first record is
 * printed separately.
 */
public final class ConsumeRun {
    private ConsumeRun() {
    }

    /**
     * Runs it.
     *
     * @param client the client
     * @param topic the topic, already holding at least {@code messages} records
     * @param group a consumer group without committed offsets
     * @param messages how many records to read
     * @param config the consumer configuration (its start position should be earliest)
     * @param maxTime the time limit
     * @param settings the options, for the summary
     * @param broker the broker process whose CPU to measure, or null
     * @param out where progress goes
     * @return the summary
     */
    public static Summary run(RustMQClient client, String topic, String group, long messages, ConsumerConfig config,
                              Duration maxTime, Map<String, Object> settings, ProcessHandle broker,
                              PrintStream out) {
        Progress progress = new Progress(out, "received");
        Stopwatch watch = new Stopwatch(broker);
        long requests0 = client.stats().requestsSent();
        progress.start();
        watch.start();
        long deadline = watch.startNanos() + maxTime.toNanos();
        long firstNanos = 0;
        long n = 0;
        boolean timedOut = false;
        try (Consumer consumer = client.createConsumer(topic, group, config)) {
            while (n < messages) {
                if (System.nanoTime() > deadline) {
                    timedOut = true;
                    break;
                }
                List<ConsumerMessage> batch = consumer.poll(Duration.ofMillis(100));
                handle(batch, progress);
                if (n == 0 && !batch.isEmpty()) {
                    firstNanos = System.nanoTime();
                }
                n += batch.size();
            }
            watch.stop();
        }
        progress.close();
        long requests = client.stats().requestsSent() - requests0;
        if (firstNanos > 0) {
            out.printf(Locale.ROOT, "first record after %.1f ms (group join and first fetch)%n",
                    (firstNanos - watch.startNanos()) / 1e6);
        }
        return Summary.of("consume", settings, progress.records(), progress.bytes(), watch, requests, null, 0,
                timedOut, null, progress.timeline());
    }

    /**
     * Counts and acknowledges one poll's records. A method of its own, so that the JIT compiles this loop on its own
     * rather than compiling {@link #run}'s whole loop, with {@link Consumer#poll} inlined into it, on the stack
     * (measured: that on-stack compile of {@code run} took about 0.6 s of a compiler thread's time in a 3 s phase).
     *
     * @param batch the records of one poll
     * @param progress where the records are counted
     */
    private static void handle(List<ConsumerMessage> batch, Progress progress) {
        for (ConsumerMessage m : batch) {
            progress.record(m.payload().length);
            m.ack();
        }
    }
}
