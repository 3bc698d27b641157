package io.rustmq.broker.storage;

import io.rustmq.broker.group.GroupCoordinator;
import io.rustmq.client.protocol.BincodeReader;
import io.rustmq.client.protocol.BincodeWriter;
import io.rustmq.client.protocol.TopicPartition;
import io.rustmq.client.protocol.WireRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A broker's log directory: topics, partition records, committed offsets and (through the records' own headers) the
 * idempotence state, appended to files and read back on start, so that a broker restarted on the same directory
 * continues where it stopped.
 *
 * <p>Layout: {@code topics.log} (name and partition count of each topic), {@code offsets.log} (every commit;
 * compacted at start) and {@code partitions/<topic>/<partition>/<base offset>.log} (segments of one partition's
 * appends: one entry per Produce request with its stored records, or a new log start). Every entry is framed with its
 * length and a CRC32C ({@link EntryFile}); at start a file is read up to its first torn or corrupt entry and cut
 * there, so a crash mid-write loses at most that write and never serves it. Segments wholly below the log start are
 * deleted, so the disk holds about the retained bytes plus one segment per partition.
 *
 * <p>Idempotence: the state is not a file of its own. Each stored request is replayed at start through
 * {@link PartitionLog#restoreAppend}, which stores its records unchanged and rebuilds the producer sequences from
 * their {@code rustmq-producer-id}/{@code rustmq-sequence} headers as the append had recorded them; producers whose
 * every stored request was dropped by retention are forgotten, and are then accepted at any sequence.
 *
 * <p>Writes go to the operating system at once (a killed JVM loses nothing acknowledged); they are forced to the
 * device only on close. One broker at a time may use a directory (a lock file). Thread-safe.
 */
public final class LogDirectory implements AutoCloseable {
    /** The largest segment; smaller when the size limit is small (a quarter of it, at least 4 KiB). */
    public static final long MAX_SEGMENT_BYTES = 16L << 20;

    private static final System.Logger LOG = System.getLogger(LogDirectory.class.getName());
    private static final int BATCH = 0;
    private static final int START = 1;

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<String, Integer> recordedTopics = new HashMap<>();
    private final List<PartitionFiles> partitions = new ArrayList<>();
    private EntryFile topicsFile;
    private EntryFile offsetsFile;
    private boolean closed;

    private LogDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating if needed) and locks a log directory.
     *
     * @param dir the directory
     * @return the open directory; call {@link #load} next
     * @throws IOException if it cannot be created or locked, or another broker uses it
     */
    public static LogDirectory open(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("partitions"));
        FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            throw new IOException("log directory " + dir + " is in use by another broker");
        }
        return new LogDirectory(dir, ch, l);
    }

    /**
     * The directory.
     *
     * @return its path
     */
    public Path path() {
        return dir;
    }

    /**
     * Reads everything back into empty state objects and starts recording their changes: creates the recorded
     * topics (filling their partitions from the segments), restores committed offsets, then records topics created
     * and offsets committed from now on.
     *
     * @param topics the broker's (empty) topic registry
     * @param groups the broker's group coordinator
     * @throws IOException if a file cannot be read or written
     * @throws IllegalArgumentException if a recorded topic conflicts with one already in {@code topics}
     */
    public synchronized void load(TopicRegistry topics, GroupCoordinator groups) throws IOException {
        Path topicsPath = dir.resolve("topics.log");
        EntryFile.Contents tc = readCutting(topicsPath);
        Map<String, Integer> recorded = new LinkedHashMap<>();
        for (EntryFile.Entry e : tc.entries()) {
            BincodeReader r = new BincodeReader(e.payload());
            recorded.put(r.string(), r.u32());
        }
        recordedTopics.putAll(recorded);
        topicsFile = EntryFile.openForAppend(topicsPath);
        topics.listener(this::topicCreated);
        recorded.forEach(topics::create);

        Path offsetsPath = dir.resolve("offsets.log");
        EntryFile.Contents oc = readCutting(offsetsPath);
        Map<String, Map<TopicPartition, Long>> offsets = new TreeMap<>();
        for (EntryFile.Entry e : oc.entries()) {
            BincodeReader r = new BincodeReader(e.payload());
            String group = r.string();
            int n = r.u32();
            Map<TopicPartition, Long> m = offsets.computeIfAbsent(group, k -> new HashMap<>());
            for (int i = 0; i < n; i++) {
                m.put(new TopicPartition(r.string(), r.u32()), r.u64());
            }
        }
        offsets.forEach(groups::restoreOffsets);
        // compact: one entry per group, written beside and moved over the old file
        Path tmp = dir.resolve("offsets.log.tmp");
        Files.deleteIfExists(tmp);
        try (EntryFile f = EntryFile.openForAppend(tmp)) {
            offsets.forEach((g, m) -> f.append(encodeCommit(g, m)));
        }
        Files.move(tmp, offsetsPath, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        offsetsFile = EntryFile.openForAppend(offsetsPath);
        groups.commitListener(this::committed);
        LOG.log(System.Logger.Level.INFO, "log directory {0}: {1} topic(s), {2} group(s) with committed offsets",
                dir, recorded.size(), offsets.size());
    }

    private synchronized void committed(String group, Map<TopicPartition, Long> offsets) {
        if (!closed) {
            offsetsFile.append(encodeCommit(group, offsets));
        }
    }

    private static byte[] encodeCommit(String group, Map<TopicPartition, Long> offsets) {
        BincodeWriter w = new BincodeWriter(64);
        w.string(group).u32(offsets.size());
        offsets.forEach((tp, o) -> w.string(tp.topic()).u32(tp.partition()).u64(o));
        return w.toByteArray();
    }

    /** A topic was created (recovered or new): record it, fill its partitions from disk, attach the writers. */
    private synchronized void topicCreated(Topic topic) {
        if (closed) {
            throw new IllegalStateException("log directory " + dir + " is closed");
        }
        try {
            if (!recordedTopics.containsKey(topic.name())) {
                topicsFile.append(new BincodeWriter(32).string(topic.name()).u32(topic.partitionCount())
                        .toByteArray());
                recordedTopics.put(topic.name(), topic.partitionCount());
            }
            for (PartitionLog log : topic.partitions()) {
                PartitionFiles files = new PartitionFiles(partitionDir(topic.name(), log.partition()), log);
                files.recover();
                partitions.add(files);
                log.attach(files);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("log directory " + dir + ", topic " + topic.name() + ": "
                    + e.getMessage(), e);
        }
    }

    private Path partitionDir(String topic, int partition) {
        // URL-encoding keeps every name a single safe path element ('.' encoded too, so "." and ".." are safe)
        String safe = URLEncoder.encode(topic, StandardCharsets.UTF_8).replace(".", "%2E").replace("*", "%2A");
        return dir.resolve("partitions").resolve(safe).resolve(Integer.toUnsignedString(partition));
    }

    private static EntryFile.Contents readCutting(Path file) throws IOException {
        EntryFile.Contents c = EntryFile.read(file);
        if (c.torn()) {
            EntryFile.truncate(file, c.validLength(), "torn or corrupt entry at byte " + c.validLength());
        }
        return c;
    }

    /** Forces the files to the device, closes them and releases the lock. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (PartitionFiles p : partitions) {
            p.log.attach(null);
            p.close();
        }
        if (topicsFile != null) {
            topicsFile.close();
        }
        if (offsetsFile != null) {
            offsetsFile.close();
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot release the lock of " + dir, e);
        }
    }

    @Override
    public String toString() {
        return "LogDirectory[" + dir + "]";
    }

    /** The segments of one partition; the sink of its log. Called under the log's append lock. */
    private static final class PartitionFiles implements PartitionLog.LogSink {
        private final Path dir;
        private final PartitionLog log;
        private final long segmentBytes;
        /** Base offset to segment file, including the active one. */
        private final TreeMap<Long, Path> segments = new TreeMap<>();
        private EntryFile active;

        PartitionFiles(Path dir, PartitionLog log) {
            this.dir = dir;
            this.log = log;
            long max = log.retention().maxBytes();
            this.segmentBytes = max == RetentionPolicy.UNLIMITED ? MAX_SEGMENT_BYTES
                    : Math.max(4096, Math.min(MAX_SEGMENT_BYTES, max / 4));
        }

        /** Replays the segments into the (empty) log, cutting a torn or inconsistent tail. */
        void recover() throws IOException {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> f.getFileName().toString().matches("\\d{20}\\.log")).forEach(f ->
                        segments.put(Long.parseLong(f.getFileName().toString().substring(0, 20)), f));
            }
            List<Path> ordered = new ArrayList<>(segments.values());
            for (int i = 0; i < ordered.size(); i++) {
                Path file = ordered.get(i);
                EntryFile.Contents c = EntryFile.read(file);
                long cut = c.torn() ? c.validLength() : -1;
                String why = "torn or corrupt entry at byte " + c.validLength();
                for (EntryFile.Entry e : c.entries()) {
                    String problem = replay(e.payload());
                    if (problem != null) {
                        cut = e.position();
                        why = problem + " at byte " + e.position();
                        break;
                    }
                }
                if (cut >= 0) {
                    EntryFile.truncate(file, cut, why);
                    for (Path later : ordered.subList(i + 1, ordered.size())) {
                        LOG.log(System.Logger.Level.WARNING, "{0}: deleted, it follows a truncated segment", later);
                        Files.delete(later);
                        segments.values().remove(later);
                    }
                    break;
                }
            }
            deleteSegmentsBelow(log.logStartOffset());
            // the last segment is opened at the first write: partitions nobody writes to hold no file open
        }

        /** Applies one entry to the log; returns null, or what is wrong with it. */
        private String replay(byte[] payload) {
            List<WireRecord> records;
            long first;
            long timestamp;
            long logStart;
            BincodeReader r = new BincodeReader(payload);
            try {
                int type = r.u8();
                if (type == START) {
                    logStart = r.u64();
                    moveStart(logStart);
                    return null;
                }
                if (type != BATCH) {
                    return "unknown entry type " + type;
                }
                first = r.u64();
                timestamp = r.u64();
                logStart = r.u64();
                int n = r.u32();
                records = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    records.add(WireRecord.decode(r));
                }
            } catch (RuntimeException e) {
                return "undecodable entry (" + e.getMessage() + ")";
            }
            if (log.logEndOffset() == log.logStartOffset() && first > log.logEndOffset()) {
                log.startAt(first); // the segments before this one were deleted by retention
            }
            if (first != log.logEndOffset() || records.isEmpty()) {
                return "entry at offset " + first + " does not continue the log ending at " + log.logEndOffset();
            }
            log.restoreAppend(records, timestamp);
            moveStart(logStart);
            return null;
        }

        private void moveStart(long logStart) {
            if (log.logStartOffset() == log.logEndOffset() && logStart > log.logEndOffset()) {
                log.startAt(logStart);
            } else {
                log.truncateBefore(logStart);
            }
        }

        @Override
        public void appended(long firstOffset, long timestampMs, List<WireRecord> stored, long logStart) {
            int size = 1 + 8 + 8 + 8 + 4;
            for (WireRecord rec : stored) {
                size += rec.encodedSize();
            }
            BincodeWriter w = new BincodeWriter(size);
            w.u8(BATCH).u64(firstOffset).u64(timestampMs).u64(logStart).u32(stored.size());
            for (WireRecord rec : stored) {
                rec.encode(w);
            }
            EntryFile a = active();
            if (a == null || a.size() >= segmentBytes) {
                roll(firstOffset);
            }
            active.append(w.toByteArray());
            deleteSegmentsBelow(logStart);
        }

        @Override
        public void logStartMoved(long logStart) {
            if (active() == null) {
                roll(logStart);
            }
            active.append(new BincodeWriter(9).u8(START).u64(logStart).toByteArray());
            deleteSegmentsBelow(logStart);
        }

        /** The open last segment, opening it if needed; null if there is none yet. */
        private EntryFile active() {
            if (active == null && !segments.isEmpty()) {
                Path last = segments.lastEntry().getValue();
                try {
                    active = EntryFile.openForAppend(last);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open " + last + ": " + e.getMessage(), e);
                }
            }
            return active;
        }

        private void roll(long baseOffset) {
            try {
                if (active != null) {
                    active.close();
                }
                Path file = dir.resolve(String.format("%020d.log", baseOffset));
                active = EntryFile.openForAppend(file);
                segments.put(baseOffset, file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a segment in " + dir + ": " + e.getMessage(), e);
            }
        }

        /** Deletes every segment whose successor starts at or below the log start (all its records are gone). */
        private void deleteSegmentsBelow(long logStart) {
            while (segments.size() > 1) {
                Map.Entry<Long, Path> oldest = segments.firstEntry();
                Long next = segments.higherKey(oldest.getKey());
                if (next > logStart) {
                    return;
                }
                try {
                    Files.deleteIfExists(oldest.getValue());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete " + oldest.getValue() + ": " + e.getMessage(), e);
                }
                segments.remove(oldest.getKey());
            }
        }

        void close() {
            if (active != null) {
                active.close();
            }
        }
    }
}
