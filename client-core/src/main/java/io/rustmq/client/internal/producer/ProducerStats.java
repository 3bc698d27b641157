package io.rustmq.client.internal.producer;

import io.rustmq.client.producer.Producer;
import io.rustmq.client.metrics.LatencyHistogram;
import io.rustmq.client.metrics.ProducerMetrics;

import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one producer behind {@code Producer.metrics()}: messages sent and failed, bytes and batches sent,
 * retries, the time of the last request and the latency of each request attempt. It owns nothing else. Updated
 * without locks from every thread the producer runs on (sending threads, the client's timer thread, the transport's
 * response threads) and read by whoever asks for metrics. Thread-safe.
 */
public final class ProducerStats {
    private final LongAdder messagesSent = new LongAdder();
    private final LongAdder messagesFailed = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder batchesSent = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LatencyHistogram latency = new LatencyHistogram();
    private volatile long lastSendMillis;

    /** Creates zeroed counters. */
    public ProducerStats() {
    }

    /** A request attempt starts now (wall clock): the time of the last send. */
    public void attemptStarted() {
        lastSendMillis = System.currentTimeMillis();
    }

    /**
     * A request attempt got its outcome.
     *
     * @param nanos how long it took, in nanoseconds
     */
    public void attemptFinished(long nanos) {
        latency.recordNanos(nanos);
    }

    /**
     * A batch was stored by the broker.
     *
     * @param messages its message count
     * @param wireBytes its encoded bytes
     */
    public void batchSent(int messages, long wireBytes) {
        messagesSent.add(messages);
        bytesSent.add(wireBytes);
        batchesSent.increment();
    }

    /**
     * Messages failed (refused up front or failed for good).
     *
     * @param messages how many, 1 or more
     */
    public void failed(int messages) {
        messagesFailed.add(messages);
    }

    /** A batch is to be resent. */
    public void retried() {
        retries.increment();
    }

    /**
     * A snapshot of the counters.
     *
     * @return the metrics now
     */
    public ProducerMetrics snapshot() {
        long sent = messagesSent.sum();
        long batches = batchesSent.sum();
        long last = lastSendMillis;
        return new ProducerMetrics(sent, messagesFailed.sum(), bytesSent.sum(), batches,
                batches == 0 ? 0 : (double) sent / batches, last == 0 ? null : Instant.ofEpochMilli(last),
                retries.sum(), latency.percentileMicros(50), latency.percentileMicros(99));
    }
}
