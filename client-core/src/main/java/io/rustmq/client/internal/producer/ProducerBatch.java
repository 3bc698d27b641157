package io.rustmq.client.internal.producer;

import io.rustmq.client.producer.Producer;
import io.rustmq.client.producer.SendCallback;
import io.rustmq.client.RustMQException;
import io.rustmq.client.SendResult;
import io.rustmq.client.protocol.AcknowledgmentLevel;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.WireHeader;
import io.rustmq.client.protocol.WireRecord;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The records of one Produce request to one partition, with what to complete when the broker answers. Filled under
 * its {@link RecordAccumulator.PartitionQueue}'s lock while open; after it is sealed only the sending side touches
 * it. Record parts are kept in parallel arrays (no object per record); the wire records are built once, when the
 * batch is first sent, and reused for retries so that a retry carries the same producer id and sequence numbers.
 *
 * <p>With idempotence the batch gets its producer id and first sequence number when it first goes (from its
 * partition's counter, so sequences follow send order); only its first record carries the two idempotence headers,
 * and the broker numbers the following records from it (DESIGN §4).
 */
final class ProducerBatch {
    private static final System.Logger LOG = System.getLogger(ProducerBatch.class.getName());
    private static final String SEQUENCE_HEADER = Producer.SEQUENCE_HEADER;
    /** The fewest record slots a batch starts with (fewer if {@code maxCount} is smaller). */
    static final int MIN_CAPACITY = 16;
    /** Digits of the longest sequence number (a non-negative long); sizes reserve this many. */
    static final int MAX_DIGITS = 19;
    /** Length of a producer id: a UUID's text. */
    static final int PRODUCER_ID_LENGTH = 36;
    /** The most bytes the two idempotence headers add to a batch (on its first record). */
    static final int IDEMPOTENCE_HEADERS_MAX_BYTES = 16 + Producer.PRODUCER_ID_HEADER.length() + PRODUCER_ID_LENGTH
            + 16 + SEQUENCE_HEADER.length() + MAX_DIGITS;

    final RecordAccumulator.PartitionQueue queue;
    final long id;
    final long createdNanos;
    private final boolean sequenced;
    private final int maxCount;

    private byte[][] keys;
    private byte[][] values;
    private WireHeader[][] headers;
    private long[] timestamps;
    private Object[] sinks;
    private int count;
    private int bytes;
    private int wireBytes;

    /** The linger time has passed; guarded by the queue's lock. */
    boolean lingerExpired;

    // Sending state, set when the batch first goes (under the queue's lock) and read by the sending side.
    /** The producer id header the batch is sent with, or null before it first goes or without idempotence. */
    WireHeader producerIdHeader;
    /** The batch's place in its partition's send order, set when it first goes. */
    long ordinal;
    /** The sequence number of the first record; -1 before the batch first goes. */
    long baseSequence = -1;
    /** Guarded by the queue's lock: when a retry may go, on the accumulator's clock. */
    long notBeforeNanos;
    /** Guarded by the queue's lock: the batch expired before it was first sent. */
    boolean expiredUnsent;

    // Touched by one thread at a time (the sender, the completion or the retry timer).
    private ProduceRequest request;
    int retries;
    long attemptStartNanos;

    private final AtomicBoolean done = new AtomicBoolean();
    private volatile boolean succeeded;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();

    ProducerBatch(RecordAccumulator.PartitionQueue queue, long id, boolean sequenced, int maxCount,
                  long createdNanos) {
        this(queue, id, sequenced, maxCount, createdNanos, MIN_CAPACITY);
    }

    /**
     * A batch whose record arrays start at {@code initialCapacity} slots (at most {@code maxCount}): the size of
     * the partition's previous batch, so that a steady stream fills its arrays without growing and copying them.
     */
    ProducerBatch(RecordAccumulator.PartitionQueue queue, long id, boolean sequenced, int maxCount,
                  long createdNanos, int initialCapacity) {
        this.queue = queue;
        this.id = id;
        this.sequenced = sequenced;
        this.maxCount = maxCount;
        this.createdNanos = createdNanos;
        int capacity = Math.min(maxCount, Math.max(1, initialCapacity));
        keys = new byte[capacity][];
        values = new byte[capacity][];
        headers = new WireHeader[capacity][];
        timestamps = new long[capacity];
        sinks = new Object[capacity];
    }

    /** Appends one record; the caller holds the queue's lock and has checked the limits. */
    void add(byte[] key, byte[] value, WireHeader[] recordHeaders, long timestamp, int size, Object sink) {
        if (count == keys.length) {
            int capacity = Math.min(maxCount, Math.max(count + 1, count * 2));
            keys = Arrays.copyOf(keys, capacity);
            values = Arrays.copyOf(values, capacity);
            headers = Arrays.copyOf(headers, capacity);
            timestamps = Arrays.copyOf(timestamps, capacity);
            sinks = Arrays.copyOf(sinks, capacity);
        }
        keys[count] = key;
        values[count] = value;
        headers[count] = recordHeaders;
        timestamps[count] = timestamp;
        sinks[count] = sink;
        count++;
        bytes += size;
    }

    /**
     * How many records the batch's arrays hold before they grow (for tests).
     *
     * @return slots
     */
    int capacity() {
        return keys.length;
    }

    /**
     * The number of records.
     *
     * @return records
     */
    int count() {
        return count;
    }

    /**
     * The bytes reserved for the records: their encoded sizes (the idempotence headers not included).
     *
     * @return bytes
     */
    int bytes() {
        return bytes;
    }

    /**
     * The records' exact encoded size, known once {@link #request} has built them.
     *
     * @return bytes
     */
    int wireBytes() {
        return wireBytes;
    }

    /**
     * Whether the batch has been given its sequence (it has gone at least once).
     *
     * @return {@code true} once sent
     */
    boolean assigned() {
        return baseSequence >= 0;
    }

    /**
     * The request for this batch, built on first use: with idempotence its first record gets the producer id and
     * sequence headers (after its own headers).
     *
     * @param acks the acknowledgment level
     * @param timeoutMs the request's timeout field
     * @return the request (the same object on every call)
     */
    ProduceRequest request(AcknowledgmentLevel acks, int timeoutMs) {
        if (request == null) {
            WireRecord[] records = new WireRecord[count];
            int extra = 0;
            for (int i = 0; i < count; i++) {
                WireHeader[] hs = headers[i];
                if (i == 0 && sequenced) {
                    byte[] digits = decimal(baseSequence);
                    hs = Arrays.copyOf(hs, hs.length + 2);
                    hs[hs.length - 2] = producerIdHeader;
                    hs[hs.length - 1] = new WireHeader(SEQUENCE_HEADER, digits);
                    extra = 16 + Producer.PRODUCER_ID_HEADER.length() + producerIdHeader.value().length
                            + 16 + SEQUENCE_HEADER.length() + digits.length;
                }
                records[i] = new WireRecord(keys[i], values[i], hs.length == 0 ? List.of() : Arrays.asList(hs),
                        timestamps[i]);
            }
            wireBytes = bytes + extra;
            request = new ProduceRequest(queue.topic.name, queue.partition, Arrays.asList(records), acks, timeoutMs);
            keys = null;
            values = null;
            headers = null;
            timestamps = null;
        }
        return request;
    }

    /** ASCII decimal digits of a non-negative number, in one allocation. */
    static byte[] decimal(long v) {
        int digits = 1;
        for (long x = v; x >= 10; x /= 10) {
            digits++;
        }
        byte[] out = new byte[digits];
        for (int i = digits - 1; i >= 0; i--) {
            out[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        return out;
    }

    /**
     * Whether the batch has completed (or been aborted).
     *
     * @return {@code true} once {@link #markDone()} succeeded
     */
    boolean isDone() {
        return done.get();
    }

    /**
     * Whether the batch was stored ({@link #deliverSuccess} ran).
     *
     * @return {@code true} once delivered successfully
     */
    boolean succeeded() {
        return succeeded;
    }

    /**
     * Completes when the batch is done and its records were delivered, whatever the outcome.
     *
     * @return the completion
     */
    CompletableFuture<Void> completion() {
        return completion;
    }

    /**
     * Claims the right to complete this batch: only the first caller gets {@code true} and must then call
     * {@link #deliverSuccess} or {@link #deliverFailure}.
     *
     * @return {@code true} for the first caller
     */
    boolean markDone() {
        return done.compareAndSet(false, true);
    }

    /**
     * Completes every record with its offset, {@code baseOffset + i}; after {@link #markDone()}.
     *
     * @param baseOffset the offset of the first record
     */
    void deliverSuccess(long baseOffset) {
        String topic = queue.topic.name;
        int partition = queue.partition;
        Object[] s = sinks;
        sinks = null;
        succeeded = true;
        for (int i = 0; i < count; i++) {
            deliver(s[i], new SendResult(topic, partition, baseOffset + i), null);
        }
        completion.complete(null);
    }

    /**
     * Fails every record; after {@link #markDone()}.
     *
     * @param error the failure each record reports
     */
    void deliverFailure(RustMQException error) {
        Object[] s = sinks;
        sinks = null;
        for (int i = 0; i < count; i++) {
            deliver(s[i], null, error);
        }
        completion.complete(null);
    }

    /**
     * Marks done and completes every record with its offset (for tests and simple callers).
     *
     * @param baseOffset the offset of the first record
     * @return {@code true} if this call completed the batch
     */
    boolean succeed(long baseOffset) {
        if (!markDone()) {
            return false;
        }
        deliverSuccess(baseOffset);
        return true;
    }

    /**
     * Marks done and fails every record (for tests and simple callers).
     *
     * @param error the failure
     * @return {@code true} if this call completed the batch
     */
    boolean fail(RustMQException error) {
        if (!markDone()) {
            return false;
        }
        deliverFailure(error);
        return true;
    }

    @SuppressWarnings("unchecked")
    static void deliver(Object sink, SendResult result, RustMQException error) {
        if (sink instanceof CompletableFuture) {
            CompletableFuture<SendResult> f = (CompletableFuture<SendResult>) sink;
            if (error == null) {
                f.complete(result);
            } else {
                f.completeExceptionally(error);
            }
            return;
        }
        try {
            ((SendCallback) sink).onCompletion(result, error);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.WARNING, "a SendCallback threw; the producer carries on", e);
        }
    }

    @Override
    public String toString() {
        return "ProducerBatch{" + queue + ", id=" + id + ", records=" + count + ", bytes=" + bytes + "}";
    }
}
