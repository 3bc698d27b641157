package io.rustmq.benchmarks.perf;

import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.metrics.LatencyHistogram;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.producer.ProducerConfig;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * End-to-end latency: a producer sends records at a fixed rate, each carrying a run id and its send time
 * ({@link System#nanoTime()}, valid because the consumer is in the same process), and a consumer in this process
 * measures the time from the send call to {@link Consumer#poll(Duration)} returning the record. The consumer joins
 * (and is assigned its partitions) before the first send; records of other runs are ignored.
 */
public final class EndToEndRun {
    private EndToEndRun() {
    }

    /**
     * Runs it.
     *
     * @param client the client
     * @param topic the topic
     * @param messages records to send
     * @param size payload bytes per record (at least 24)
     * @param rate records per second
     * @param warmup records sent first, at the same rate, whose latency is not counted
     * @param producerConfig the producer configuration
     * @param consumerConfig the consumer configuration
     * @param maxTime the time limit
     * @param settings the options, for the summary
     * @param broker the broker process whose CPU to measure, or null
     * @param out where progress goes
     * @return the summary
     */
    public static Summary run(RustMQClient client, String topic, long messages, int size, double rate,
                              long warmup, ProducerConfig producerConfig, ConsumerConfig consumerConfig,
                              Duration maxTime, Map<String, Object> settings, ProcessHandle broker, PrintStream out) {
        int payloadSize = Math.max(24, size);
        long runId = ThreadLocalRandom.current().nextLong();
        LatencyHistogram latency = new LatencyHistogram();
        Progress progress = new Progress(out, "received");
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        try (Consumer consumer = client.createConsumer(topic, "rustmq-perf-e2e-" + Long.toHexString(runId),
                consumerConfig);
             Producer producer = client.createProducer(topic, producerConfig)) {
            long joinDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.assignment().isEmpty()) {
                if (System.nanoTime() > joinDeadline) {
                    throw new IllegalStateException("the consumer was assigned no partition within 30 s");
                }
                consumer.poll(Duration.ofMillis(10));
            }
            Stopwatch watch = new Stopwatch(broker);
            long requests0 = client.stats().requestsSent();
            progress.start();
            watch.start();
            boolean measuring = warmup == 0;
            long deadline = watch.startNanos() + maxTime.toNanos() + (long) (warmup * 1e9 / rate);
            Thread sender = new Thread(() -> {
                Pacer pacer = new Pacer(rate, System.nanoTime());
                for (long i = 0; i < warmup + messages && System.nanoTime() < deadline; i++) {
                    pacer.await(i);
                    byte[] payload = new byte[payloadSize];
                    ByteBuffer.wrap(payload).putLong(runId).putLong(i).putLong(System.nanoTime());
                    producer.send(Message.builder().payload(payload).build(), (r, e) -> {
                        if (e != null) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, e.toString());
                        }
                    });
                }
            }, "rustmq-perf-e2e-sender");
            sender.setDaemon(true);
            sender.start();
            long received = 0;
            boolean timedOut = false;
            while (received + errors.get() < messages) {
                if (System.nanoTime() > deadline + Duration.ofSeconds(5).toNanos()) {
                    timedOut = true;
                    break;
                }
                List<ConsumerMessage> batch = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                for (ConsumerMessage m : batch) {
                    m.ack();
                    byte[] p = m.payload();
                    if (p.length < 24) {
                        continue;
                    }
                    ByteBuffer b = ByteBuffer.wrap(p);
                    if (b.getLong() != runId) {
                        continue;
                    }
                    if (b.getLong() < warmup) {
                        continue;
                    }
                    if (!measuring) {
                        measuring = true;
                        watch.start();
                        requests0 = client.stats().requestsSent();
                    }
                    long l = now - b.getLong();
                    latency.recordNanos(l);
                    progress.record(p.length, l);
                    received++;
                }
            }
            watch.stop();
            progress.close();
            long requests = client.stats().requestsSent() - requests0;
            return Summary.of("latency-e2e", settings, progress.records(), progress.bytes(), watch, requests,
                    Summary.Latency.of("send->consumer poll", latency), errors.get(), timedOut, firstError.get(),
                    progress.timeline());
        }
    }
}
