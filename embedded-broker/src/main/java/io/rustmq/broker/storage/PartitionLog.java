package io.rustmq.broker.storage;

import io.rustmq.client.protocol.WireHeader;
import io.rustmq.client.protocol.WireRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory log of one partition: records at dense offsets from 0, in chunks of {@value #CHUNK} records.
 *
 * <p>Appends take a per-partition lock, so one request's records get consecutive offsets and concurrent appends
 * never share an offset. Reads take no lock: they see every record whose append finished before the read started.
 *
 * <p>Idempotence (DESIGN §4): a record carrying the headers {@value #PRODUCER_ID_HEADER} (UTF-8) and
 * {@value #SEQUENCE_HEADER} (a decimal number) starts a run of that producer; the records after it in the request
 * have the following sequences (whether or not they carry the headers themselves, the earlier every-record form).
 * Each run is checked by the partition's {@link ProducerStateTable}: stored, answered as a duplicate with its
 * original offsets, or refused with a {@link ProducerStateTable.SequenceException} (then nothing of the request is
 * stored). Records without both headers (or with an unparsable sequence) and no run before them are always
 * appended.
 */
public final class PartitionLog {
    /** Header naming the producer of an idempotent record (UTF-8 text). */
    public static final String PRODUCER_ID_HEADER = "rustmq-producer-id";
    /** Header with the record's sequence number per producer and partition (decimal UTF-8 text, from 0). */
    public static final String SEQUENCE_HEADER = "rustmq-sequence";
    /** How many of a producer's most recent requests per partition are remembered for de-duplication. */
    public static final int IDEMPOTENCE_WINDOW = ProducerStateTable.REMEMBERED_REQUESTS;
    /**
     * The per-record overhead in the fetch size estimate (spec §6.2: {@code size_of::<WalRecord>()} on x86-64).
     */
    public static final int RECORD_OVERHEAD_ESTIMATE = 352;

    static final int CHUNK_BITS = 12;
    /** Records per storage chunk. */
    static final int CHUNK = 1 << CHUNK_BITS;
    private static final int CHUNK_MASK = CHUNK - 1;

    private final String topic;
    private final int partition;
    private final ReentrantLock appendLock = new ReentrantLock();
    /** Chunks of records; replaced by a longer copy when it fills up. */
    private volatile WireRecord[][] chunks = new WireRecord[4][];
    /** The log end offset: records below it are fully written. Written under the lock, read without it. */
    private volatile long end;
    /** Idempotence state per producer id; guarded by {@link #appendLock}. */
    private final ProducerStateTable producerState = new ProducerStateTable();

    /**
     * Creates an empty log.
     *
     * @param topic the topic, for diagnostics
     * @param partition the partition number
     */
    public PartitionLog(String topic, int partition) {
        this.topic = topic;
        this.partition = partition;
    }

    /**
     * The topic this log belongs to.
     *
     * @return the topic name
     */
    public String topic() {
        return topic;
    }

    /**
     * This log's partition number.
     *
     * @return the partition
     */
    public int partition() {
        return partition;
    }

    /**
     * The log end offset: the offset the next record will get, also the high watermark.
     *
     * @return the number of records stored
     */
    public long logEndOffset() {
        return end;
    }

    /**
     * The outcome of an append.
     *
     * @param firstOffset the offset of the request's first record: where it was stored now, or, if it was a
     *     duplicate, where it had been stored before; 0 for an empty request
     * @param appended how many records were stored
     * @param duplicates how many records were recognised as duplicates and not stored
     */
    public record AppendResult(long firstOffset, int appended, int duplicates) {
    }

    /**
     * Appends one request's records atomically, stamping each with {@code timestampMs} and skipping duplicates of
     * idempotent records (see the class comment).
     *
     * @throws ProducerStateTable.SequenceException if a run is out of order or an unremembered duplicate; nothing
     *     was stored
     *
     * @param records the records in request order; not modified
     * @param timestampMs the broker's wall-clock time in epoch milliseconds, replacing the records' timestamps
     * @return where the first record is, and how many records were stored or skipped
     */
    public AppendResult append(List<WireRecord> records, long timestampMs) {
        if (records.isEmpty()) {
            return new AppendResult(0, 0, 0);
        }
        appendLock.lock();
        try {
            List<Run> runs = runs(records);
            // Check every run before storing anything, so that a refused request stores nothing. A producer id
            // that occurs in more than one run of a request (not sent by this project's client) is checked when
            // its later runs are reached.
            ProducerStateTable.Decision[] decisions = new ProducerStateTable.Decision[runs.size()];
            for (int i = 0; i < runs.size(); i++) {
                Run run = runs.get(i);
                if (run.producerId != null && firstRunOf(runs, i)) {
                    decisions[i] = producerState.check(run.producerId, run.firstSequence, run.count);
                }
            }
            long firstOffset = -1;
            int appended = 0;
            int duplicates = 0;
            for (int i = 0; i < runs.size(); i++) {
                Run run = runs.get(i);
                ProducerStateTable.Decision d = decisions[i];
                if (d == null && run.producerId != null) {
                    d = producerState.check(run.producerId, run.firstSequence, run.count);
                }
                int dups = d == null ? 0 : d.duplicates();
                if (firstOffset < 0 && dups > 0) {
                    firstOffset = d.duplicateOffset();
                }
                duplicates += dups;
                long stored = end;
                for (int j = run.from + dups; j < run.from + run.count; j++) {
                    WireRecord r = records.get(j);
                    long offset = end;
                    store(offset, new WireRecord(r.key(), r.value(), r.headers(), timestampMs));
                    end = offset + 1;
                }
                int n = run.count - dups;
                appended += n;
                if (n > 0) {
                    if (firstOffset < 0) {
                        firstOffset = stored;
                    }
                    if (run.producerId != null) {
                        producerState.record(run.producerId, run.firstSequence + dups, n, stored);
                    }
                }
            }
            return new AppendResult(firstOffset, appended, duplicates);
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * This partition's idempotence state, for persistence ({@link ProducerStateTable#snapshot()} and
     * {@link ProducerStateTable#restore}); call those only while no append runs (for example before serving).
     *
     * @return the live table
     */
    public ProducerStateTable producerState() {
        return producerState;
    }

    private static boolean firstRunOf(List<Run> runs, int i) {
        for (int k = 0; k < i; k++) {
            if (runs.get(i).producerId.equals(runs.get(k).producerId)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Splits a request into runs: records of one producer at consecutive sequences, or records without idempotence
     * headers. A record without its own sequence continues the run before it (the headers are on the first record of
     * a request only); a record with its own headers (the earlier every-record form) continues it when it has the
     * same producer id and the next sequence, and starts a new run otherwise.
     */
    private static List<Run> runs(List<WireRecord> records) {
        List<Run> runs = new ArrayList<>(1);
        Run current = null;
        byte[] lastIdBytes = null;
        String lastId = null;
        for (int i = 0; i < records.size(); i++) {
            WireRecord r = records.get(i);
            String producerId = null;
            long sequence = -1;
            if (!r.headers().isEmpty()) {
                byte[] idBytes = headerValue(r, PRODUCER_ID_HEADER);
                if (idBytes != null) {
                    sequence = parseSequence(headerValue(r, SEQUENCE_HEADER));
                    if (sequence >= 0) {
                        // the records of one request nearly always share one producer id: decode it once
                        if (lastIdBytes == null || !Arrays.equals(idBytes, lastIdBytes)) {
                            lastIdBytes = idBytes;
                            lastId = new String(idBytes, StandardCharsets.UTF_8);
                        }
                        producerId = lastId;
                    }
                }
            }
            if (current != null && (producerId == null || (producerId.equals(current.producerId)
                    && sequence == current.firstSequence + current.count))) {
                current.count++;
            } else {
                current = new Run(i, producerId, sequence);
                runs.add(current);
            }
        }
        return runs;
    }

    /** Records {@code [from, from + count)} of a request: one producer's consecutive sequences, or untagged. */
    private static final class Run {
        final int from;
        final String producerId;
        final long firstSequence;
        int count = 1;

        Run(int from, String producerId, long firstSequence) {
            this.from = from;
            this.producerId = producerId;
            this.firstSequence = firstSequence;
        }
    }

    /**
     * Reads records from {@code fromOffset} on, contiguously, while the running size estimate
     * ({@link #sizeEstimate}) stays at or below {@code maxBytes}; at least one record if one exists at
     * {@code fromOffset}.
     *
     * @param fromOffset the first offset to read (an unsigned {@code u64}: negative values are past the end)
     * @param maxBytes the soft limit on the summed size estimates, in bytes
     * @return the records, empty if {@code fromOffset} is at or past the end
     */
    public List<WireRecord> read(long fromOffset, long maxBytes) {
        long limit = end;
        if (fromOffset < 0 || fromOffset >= limit) {
            return List.of();
        }
        WireRecord[][] cs = chunks;
        List<WireRecord> out = new ArrayList<>();
        long total = 0;
        for (long o = fromOffset; o < limit; o++) {
            WireRecord r = cs[(int) (o >>> CHUNK_BITS)][(int) (o & CHUNK_MASK)];
            total += sizeEstimate(r);
            if (total > maxBytes && !out.isEmpty()) {
                break;
            }
            out.add(r);
        }
        return out;
    }

    /**
     * Reads one record.
     *
     * @param offset the offset
     * @return the record, with the broker's timestamp
     * @throws IndexOutOfBoundsException if {@code offset} is negative or at or past the log end
     */
    public WireRecord get(long offset) {
        long limit = end;
        if (offset < 0 || offset >= limit) {
            throw new IndexOutOfBoundsException("offset " + offset + " outside [0, " + limit + ") of " + topic + ":"
                    + Integer.toUnsignedString(partition));
        }
        return chunks[(int) (offset >>> CHUNK_BITS)][(int) (offset & CHUNK_MASK)];
    }

    /**
     * The fetch size estimate of one record (spec §6.2):
     * {@code 352 + |value| + |key| + Σ(|header key| + |header value|)}, lengths in bytes (header keys as UTF-8).
     *
     * @param r the record
     * @return the estimate in bytes
     */
    public static long sizeEstimate(WireRecord r) {
        long size = RECORD_OVERHEAD_ESTIMATE + r.value().length + (r.key() == null ? 0 : r.key().length);
        for (WireHeader h : r.headers()) {
            size += utf8Length(h.key()) + h.value().length;
        }
        return size;
    }

    private static int utf8Length(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return n;
    }

    private void store(long offset, WireRecord record) {
        int chunk = (int) (offset >>> CHUNK_BITS);
        WireRecord[][] cs = chunks;
        if (chunk >= cs.length) {
            cs = Arrays.copyOf(cs, cs.length * 2);
        }
        if (cs[chunk] == null) {
            cs[chunk] = new WireRecord[CHUNK];
        }
        cs[chunk][(int) (offset & CHUNK_MASK)] = record;
        if (cs != chunks) {
            chunks = cs; // publish the longer array before the new end offset is published
        }
    }

    private static byte[] headerValue(WireRecord r, String key) {
        for (WireHeader h : r.headers()) {
            if (h.key().equals(key)) {
                return h.value();
            }
        }
        return null;
    }

    /** Parses a non-negative decimal sequence number; -1 if absent or not a plain non-negative decimal. */
    static long parseSequence(String text) {
        return text == null ? -1 : parseSequence(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses a non-negative decimal sequence number from ASCII digits; -1 if absent or not plain digits. */
    static long parseSequence(byte[] text) {
        if (text == null || text.length == 0 || text.length > 19) {
            return -1;
        }
        long v = 0;
        for (byte c : text) {
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v < 0 ? -1 : v; // 19 digits can overflow
    }

    @Override
    public String toString() {
        return "PartitionLog[" + topic + ":" + Integer.toUnsignedString(partition) + ", end=" + end + "]";
    }
}
