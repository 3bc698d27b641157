package io.rustmq.messaging.impl;

import io.rustmq.client.consumer.ConsumerMessage;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one MicroProfile message carries: one record, or the records of a batch. Settled once.
 */
final class Unit implements io.rustmq.messaging.commit.ProcessingTracker.StartTime {
    final List<ConsumerMessage> records;
    final long bytes;
    final AtomicBoolean settled = new AtomicBoolean();
    volatile long startNanos;
    /** The lane it was queued on. */
    volatile int lane = -1;
    /** The key (or partition) binding it to its lane under ordered concurrency, or null. */
    volatile Object affinityKey;
    final AtomicBoolean released = new AtomicBoolean();

    Unit(List<ConsumerMessage> records) {
        this.records = records;
        long b = 0;
        for (ConsumerMessage m : records) {
            b += m.message().encodedSize();
        }
        this.bytes = b;
    }

    @Override
    public long startNanos() {
        return startNanos;
    }

    ConsumerMessage first() {
        return records.get(0);
    }

    String describe() {
        ConsumerMessage m = first();
        String where = m.topic() + "-" + m.partition() + "@" + m.offset();
        return records.size() == 1 ? "record " + where
                : "batch of " + records.size() + " records from " + where;
    }
}
