package io.rustmq.broker.storage;

import io.rustmq.client.protocol.BincodeWriter;
import io.rustmq.client.protocol.WireHeader;
import io.rustmq.client.protocol.WireRecord;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory log of one partition: records at dense offsets from 0, in chunks of {@value #CHUNK} records.
 *
 * <p>Records are kept as their bincode encoding (spec §5, with the broker's timestamp) in segments: byte arrays that
 * grow from {@value #FIRST_SEGMENT_BYTES} bytes to about {@value #MAX_SEGMENT_BYTES} by doubling. A Fetch response
 * copies those bytes ({@link StoredRecords}), and a large log costs the garbage collector a few large arrays rather
 * than objects per record: a young collection never copies stored records, and segments of a megabyte or more are
 * allocated outside the young generation (G1's humongous objects), so on a broker holding gigabytes of records a
 * young pause stays as short as on an empty one. A segment is freed when retention has dropped its last record.
 *
 * <p>Appends take a per-partition lock, so one request's records get consecutive offsets and concurrent appends
 * never share an offset. Reads take no lock: they see every record whose append finished before the read started.
 *
 * <p>Retention ({@link RetentionPolicy}): after each append, and on {@link #enforceRetention(long)}, whole records
 * are dropped from the front while the partition holds more than the size limit or its oldest record is older than
 * the age limit; the {@linkplain #logStartOffset() log start offset} moves forward and reading below it fails with
 * {@link OffsetOutOfRangeException}. With a {@link LogSink} (a log directory) every append is also written there.
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
    public static final String PRODUCER_ID_HEADER = io.rustmq.client.protocol.HeaderNames.PRODUCER_ID;
    /** Header with the record's sequence number per producer and partition (decimal UTF-8 text, from 0). */
    public static final String SEQUENCE_HEADER = io.rustmq.client.protocol.HeaderNames.SEQUENCE;
    /** How many of a producer's most recent requests per partition are remembered for de-duplication. */
    public static final int IDEMPOTENCE_WINDOW = ProducerStateTable.REMEMBERED_REQUESTS;
    /**
     * The per-record overhead in the fetch size estimate (spec §6.2: {@code size_of::<WalRecord>()} on x86-64).
     */
    public static final int RECORD_OVERHEAD_ESTIMATE = 352;

    /**
     * Room left in each segment's span for the array's header, in bytes, so that the largest segment fills two 2 MiB
     * regions of G1 exactly rather than three.
     */
    private static final int SEGMENT_SLACK_BYTES = 64;
    /** The span of a partition's first segment, in bytes (the array is {@link #SEGMENT_SLACK_BYTES} smaller). */
    static final int FIRST_SEGMENT_BYTES = 4096;
    /** The span of the largest segments, in bytes; each segment's span is twice the one before, up to this. */
    private static final int MAX_SEGMENT_SPAN = 4 << 20;
    /**
     * The size of the largest segments, in bytes (a record larger than that gets a segment of its own size).
     */
    static final int MAX_SEGMENT_BYTES = MAX_SEGMENT_SPAN - SEGMENT_SLACK_BYTES;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    static final int CHUNK_BITS = 12;
    /** Records per storage chunk. */
    static final int CHUNK = 1 << CHUNK_BITS;
    private static final int CHUNK_MASK = CHUNK - 1;

    private final String topic;
    private final int partition;
    private final RetentionPolicy retention;
    private final ReentrantLock appendLock = new ReentrantLock();
    /** The log start offset: records below it were dropped. Written under the lock, read without it. */
    private volatile long start;
    /** The summed {@link #retainedSize} of the records in [start, end). Written under the lock. */
    private volatile long retainedBytes;
    /** Where appends are persisted, or null (memory only). Guarded by {@link #appendLock}. */
    private LogSink sink;
    /** The records stored by the append in progress, for the sink; guarded by {@link #appendLock}. */
    private final List<WireRecord> storedByAppend = new ArrayList<>();
    private long firstStoredByAppend = -1;
    /** Where each record lies, in chunks of {@link #CHUNK} offsets; replaced by a longer copy when it fills up. */
    private volatile Chunk[] chunks = new Chunk[4];
    /** The segment appends write into; guarded by {@link #appendLock}. */
    private byte[] segment = new byte[0];
    /** How many bytes of {@link #segment} are used; guarded by {@link #appendLock}. */
    private int segmentFill;
    /** The span of the next segment, in bytes; guarded by {@link #appendLock}. */
    private int nextSegmentBytes = FIRST_SEGMENT_BYTES;
    /** The log end offset: records below it are fully written. Written under the lock, read without it. */
    private volatile long end;
    /** Idempotence state per producer id; guarded by {@link #appendLock}. */
    private final ProducerStateTable producerState = new ProducerStateTable();

    /**
     * Creates an empty log that keeps every record.
     *
     * @param topic the topic, for diagnostics
     * @param partition the partition number
     */
    public PartitionLog(String topic, int partition) {
        this(topic, partition, RetentionPolicy.KEEP_ALL);
    }

    /**
     * Creates an empty log with a retention policy.
     *
     * @param topic the topic, for diagnostics
     * @param partition the partition number
     * @param retention what to keep
     */
    public PartitionLog(String topic, int partition, RetentionPolicy retention) {
        this.topic = topic;
        this.partition = partition;
        this.retention = java.util.Objects.requireNonNull(retention, "retention");
    }

    /**
     * Receives every append of a log, for persistence. Called under the log's append lock, in offset order.
     */
    public interface LogSink {
        /**
         * One append's stored records (duplicates left out), after retention was applied to it.
         *
         * @param firstOffset the offset of {@code stored.get(0)}
         * @param timestampMs the broker timestamp stamped on every record
         * @param stored the records, in offset order, not empty
         * @param logStart the log start offset after the append
         * @throws java.io.UncheckedIOException if the write fails (the append is then reported as failed)
         */
        void appended(long firstOffset, long timestampMs, List<WireRecord> stored, long logStart);

        /**
         * The log start offset moved without an append ({@link #truncateBefore} or age retention).
         *
         * @param logStart the new log start offset
         * @throws java.io.UncheckedIOException if the write fails
         */
        void logStartMoved(long logStart);
    }

    /** Thrown by reads below the log start offset. */
    public static final class OffsetOutOfRangeException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final long logStart;
        private final long highWatermark;

        OffsetOutOfRangeException(long logStart, long highWatermark) {
            super("OffsetOutOfRange: log start " + logStart + ", high watermark " + highWatermark, null, false,
                    false);
            this.logStart = logStart;
            this.highWatermark = highWatermark;
        }

        /**
         * The log start offset when the read failed.
         *
         * @return the first offset that can be read
         */
        public long logStart() {
            return logStart;
        }

        /**
         * The log end offset when the read failed.
         *
         * @return the high watermark
         */
        public long highWatermark() {
            return highWatermark;
        }
    }

    /**
     * Attaches the persistence sink; later appends and log-start moves are written to it.
     *
     * @param sink the sink, or {@code null} to stop persisting
     */
    public void attach(LogSink sink) {
        appendLock.lock();
        try {
            this.sink = sink;
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * This log's retention policy.
     *
     * @return the policy
     */
    public RetentionPolicy retention() {
        return retention;
    }

    /**
     * The log start offset: the first offset that can still be read (0 until records are dropped).
     *
     * @return the log start offset, at most {@link #logEndOffset()}
     */
    public long logStartOffset() {
        return start;
    }

    /**
     * The bytes this partition retains: the summed {@link #retainedSize} of its records from the log start on.
     *
     * @return bytes
     */
    public long retainedBytes() {
        return retainedBytes;
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
                    long offset = end;
                    store(offset, records.get(j), timestampMs);
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
            afterAppend(timestampMs);
            return new AppendResult(firstOffset, appended, duplicates);
        } finally {
            storedByAppend.clear();
            firstStoredByAppend = -1;
            appendLock.unlock();
        }
    }

    /**
     * Recovery only (a log directory at start): appends records exactly as they were stored before, with no
     * duplicate check, and rebuilds the idempotence state from their headers as if they had just been stored; then
     * applies retention. Never drops a record that was stored before, whatever the idempotence state says.
     *
     * @param stored one earlier append's stored records, in offset order, not empty
     * @param timestampMs the broker timestamp they were stored with
     * @return the offset of the first record
     */
    public long restoreAppend(List<WireRecord> stored, long timestampMs) {
        appendLock.lock();
        try {
            long first = end;
            for (WireRecord r : stored) {
                long offset = end;
                store(offset, r, timestampMs);
                end = offset + 1;
            }
            rebuildIdempotenceState(stored, first);
            long newStart = retainedStart(timestampMs);
            if (newStart > start) {
                dropBefore(newStart);
            }
            return first;
        } finally {
            storedByAppend.clear();
            firstStoredByAppend = -1;
            appendLock.unlock();
        }
    }

    /**
     * Recovery: records in the idempotence state that {@code stored} (one earlier append's stored records, from
     * {@code firstOffset}) were stored, reading producer ids and sequences from their headers. Under the lock.
     * This is the one place to adapt when the idempotence state class changes.
     */
    private void rebuildIdempotenceState(List<WireRecord> stored, long firstOffset) {
        for (Run run : runs(stored)) {
            if (run.producerId != null) {
                producerState.record(run.producerId, run.firstSequence, run.count, firstOffset + run.from);
            }
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
     * @throws OffsetOutOfRangeException if {@code fromOffset} is below the log start offset
     */
    public List<WireRecord> read(long fromOffset, long maxBytes) {
        long limit = end;
        if (fromOffset < 0 || fromOffset >= limit) {
            return List.of();
        }
        if (fromOffset < start) {
            throw new OffsetOutOfRangeException(start, end);
        }
        Chunk[] cs = chunks;
        int capacity = (int) Math.min(limit - fromOffset, 1024);
        byte[][] segments = new byte[capacity][];
        int[] positions = new int[capacity];
        int[] lengths = new int[capacity];
        int n = 0;
        long total = 0;
        long encoded = 0;
        for (long o = fromOffset; o < limit; o++) {
            Chunk chunk = cs[(int) (o >>> CHUNK_BITS)];
            int i = (int) (o & CHUNK_MASK);
            byte[] seg = chunk == null ? null : chunk.segment[i];
            if (seg == null) { // dropped by retention after this read began
                if (n == 0) {
                    throw new OffsetOutOfRangeException(start, end);
                }
                break;
            }
            int position = chunk.position[i];
            int length = chunk.length[i];
            total += sizeEstimate(seg, position, length);
            if (total > maxBytes && n > 0) {
                break;
            }
            if (n == segments.length) {
                int grown = (int) Math.min(limit - fromOffset, (long) n * 2);
                segments = Arrays.copyOf(segments, grown);
                positions = Arrays.copyOf(positions, grown);
                lengths = Arrays.copyOf(lengths, grown);
            }
            segments[n] = seg;
            positions[n] = position;
            lengths[n] = length;
            encoded += length;
            n++;
        }
        return new StoredRecords(segments, positions, lengths, n, encoded);
    }

    /**
     * Reads one record.
     *
     * @param offset the offset
     * @return the record, with the broker's timestamp
     * @throws IndexOutOfBoundsException if {@code offset} is below the log start or at or past the log end
     */
    public WireRecord get(long offset) {
        long limit = end;
        long first = start;
        Chunk chunk = offset < first || offset >= limit ? null : chunks[(int) (offset >>> CHUNK_BITS)];
        int i = (int) (offset & CHUNK_MASK);
        byte[] seg = chunk == null ? null : chunk.segment[i];
        if (seg == null) {
            throw new IndexOutOfBoundsException("offset " + offset + " outside [" + start + ", " + limit + ") of "
                    + topic + ":" + Integer.toUnsignedString(partition));
        }
        return StoredRecords.decode(seg, chunk.position[i], chunk.length[i]);
    }

    /**
     * The bytes a record counts for retention: its encoded size on the wire (and in a log file).
     *
     * @param r the record
     * @return bytes
     */
    public static long retainedSize(WireRecord r) {
        return r.encodedSize();
    }

    /**
     * Drops every record below {@code offset} (a test hook, and the way a log directory restores its log start).
     * An offset at or below the log start does nothing; one past the end drops everything and the log start
     * becomes the log end.
     *
     * @param offset the new log start offset
     * @return the log start offset afterwards
     */
    public long truncateBefore(long offset) {
        appendLock.lock();
        try {
            if (offset > start) {
                dropBefore(Math.min(offset, end));
                if (sink != null) {
                    sink.logStartMoved(start);
                }
            }
            return start;
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Applies the age limit at {@code nowMs} (the size limit is applied at every append). The broker calls this
     * every second.
     *
     * @param nowMs the broker's wall-clock time in epoch milliseconds
     * @return how many records were dropped
     */
    public long enforceRetention(long nowMs) {
        if (retention.maxAgeMs() == RetentionPolicy.UNLIMITED || start == end) {
            return 0;
        }
        appendLock.lock();
        try {
            long before = start;
            long newStart = retainedStart(nowMs);
            if (newStart > before) {
                dropBefore(newStart);
                if (sink != null) {
                    sink.logStartMoved(start);
                }
            }
            return start - before;
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Recovery only: makes an empty log start (and end) at {@code offset}, as when every record below it was
     * dropped before a restart.
     *
     * @param offset the log start and end offset
     * @throws IllegalStateException if the log is not empty
     */
    public void startAt(long offset) {
        appendLock.lock();
        try {
            if (end != start || end > offset) {
                throw new IllegalStateException("startAt(" + offset + ") on " + this);
            }
            start = offset;
            end = offset;
        } finally {
            appendLock.unlock();
        }
    }

    /** After an append's records are stored (under the lock): applies retention, then persists the append. */
    private void afterAppend(long timestampMs) {
        long newStart = retainedStart(timestampMs);
        if (newStart > start) {
            dropBefore(newStart);
        }
        if (sink != null && !storedByAppend.isEmpty()) {
            sink.appended(firstStoredByAppend, timestampMs, List.copyOf(storedByAppend), start);
        }
    }

    /** The log start that the policy allows at {@code nowMs}: skips records while too many bytes or too old. */
    private long retainedStart(long nowMs) {
        long maxBytes = retention.maxBytes();
        long maxAge = retention.maxAgeMs();
        long cutoff = maxAge == RetentionPolicy.UNLIMITED ? Long.MIN_VALUE : nowMs - maxAge;
        long bytes = retainedBytes;
        long o = start;
        long limit = end;
        Chunk[] cs = chunks;
        while (o < limit) {
            Chunk chunk = cs[(int) (o >>> CHUNK_BITS)];
            int i = (int) (o & CHUNK_MASK);
            boolean tooBig = maxBytes != RetentionPolicy.UNLIMITED && bytes > maxBytes;
            if (!tooBig && timestamp(chunk, i) >= cutoff) {
                break;
            }
            bytes -= chunk.length[i];
            o++;
        }
        return o;
    }

    /** The broker timestamp of a stored record: the last eight bytes of its encoding ({@code u64}). */
    private static long timestamp(Chunk chunk, int i) {
        return (long) LONG.get(chunk.segment[i], chunk.position[i] + chunk.length[i] - 8);
    }

    /** Moves the log start to {@code newStart} (at most the end) and releases the dropped records. Under the lock. */
    private void dropBefore(long newStart) {
        long old = start;
        Chunk[] cs = chunks;
        long bytes = retainedBytes;
        for (long o = old; o < newStart; o++) {
            bytes -= cs[(int) (o >>> CHUNK_BITS)].length[(int) (o & CHUNK_MASK)];
        }
        start = newStart; // publish before releasing, so a reader that sees a released slot sees the new start
        retainedBytes = bytes;
        for (long o = old; o < newStart; o++) {
            Chunk chunk = cs[(int) (o >>> CHUNK_BITS)];
            if (chunk != null) {
                chunk.segment[(int) (o & CHUNK_MASK)] = null; // a segment is freed once no slot refers to it
                if ((o & CHUNK_MASK) == CHUNK_MASK) {
                    cs[(int) (o >>> CHUNK_BITS)] = null; // the whole chunk is below the start
                }
            }
        }
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

    /**
     * {@link #sizeEstimate(WireRecord)} of a stored record, from its encoding: the encoded size less the length
     * prefixes, the Option tag and the timestamp.
     */
    private static long sizeEstimate(byte[] seg, int position, int length) {
        int p = position + 1;
        long prefixes = 1 + 8 + 8 + 8; // Option tag, value length, header count, timestamp
        if (seg[position] != 0) {
            p += 8 + (int) (long) LONG.get(seg, p);
            prefixes += 8;
        }
        p += 8 + (int) (long) LONG.get(seg, p);
        long headers = (long) LONG.get(seg, p);
        return RECORD_OVERHEAD_ESTIMATE + length - prefixes - 16 * headers;
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

    /**
     * Stores a record at {@code offset} (the log end) with the broker's timestamp: encodes it into the current
     * segment, or into a new one when it does not fit.
     */
    private void store(long offset, WireRecord record, long timestampMs) {
        int size = record.encodedSize(); // the timestamp is a fixed eight bytes: same size with the broker's
        if (segment.length - segmentFill < size) {
            segment = new byte[Math.max(nextSegmentBytes - SEGMENT_SLACK_BYTES, size)];
            segmentFill = 0;
            nextSegmentBytes = Math.min(nextSegmentBytes * 2, MAX_SEGMENT_SPAN);
        }
        BincodeWriter w = new BincodeWriter(segment, segmentFill, size);
        record.encode(w);
        if (!w.wroteInto(segment) || w.size() != size) {
            throw new IllegalStateException("record encoded to " + w.size() + " bytes, expected " + size);
        }
        LONG.set(segment, segmentFill + size - 8, timestampMs);
        int c = (int) (offset >>> CHUNK_BITS);
        Chunk[] cs = chunks;
        if (c >= cs.length) {
            cs = Arrays.copyOf(cs, cs.length * 2);
        }
        if (cs[c] == null) {
            cs[c] = new Chunk();
        }
        Chunk chunk = cs[c];
        int i = (int) (offset & CHUNK_MASK);
        chunk.position[i] = segmentFill;
        chunk.length[i] = size;
        chunk.segment[i] = segment;
        segmentFill += size;
        retainedBytes += size;
        if (firstStoredByAppend < 0) {
            firstStoredByAppend = offset;
        }
        if (sink != null) {
            storedByAppend.add(new WireRecord(record.key(), record.value(), record.headers(), timestampMs));
        }
        if (cs != chunks) {
            chunks = cs; // publish the longer array before the new end offset is published
        }
    }

    /** Where {@link #CHUNK} consecutive offsets' records lie: a segment, a position in it and a length each. */
    private static final class Chunk {
        final byte[][] segment = new byte[CHUNK][];
        final int[] position = new int[CHUNK];
        final int[] length = new int[CHUNK];
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
        return "PartitionLog[" + topic + ":" + Integer.toUnsignedString(partition) + ", start=" + start + ", end="
                + end + "]";
    }
}
