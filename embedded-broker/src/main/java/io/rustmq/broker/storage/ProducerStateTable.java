package io.rustmq.broker.storage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The idempotence state of one partition (DESIGN §4): per producer id, the next expected sequence number and the
 * last {@value #REMEMBERED_REQUESTS} stored requests (first sequence, record count, first offset).
 *
 * <p>{@link #check} decides what to do with a run of records {@code [first, first + count)} of one producer:
 * <ul>
 *   <li>unknown producer id (new, or forgotten after a restart): append at any sequence;</li>
 *   <li>{@code first == expected}: append;</li>
 *   <li>{@code first > expected}: refuse with {@link SequenceException} ({@code OutOfOrderSequence}, retriable);
 *   nothing is stored;</li>
 *   <li>{@code first < expected}: the part below {@code expected} is a duplicate answered with its original offsets
 *   if every sequence of it is remembered, else refused ({@code DuplicateSequence}, not retriable); a part at or
 *   above {@code expected} is appended.</li>
 * </ul>
 * After appending, {@link #record} remembers the request. Not thread-safe: the owning {@link PartitionLog} calls it
 * under its append lock. {@link #snapshot()} and {@link #restore} copy the whole state, for persistence.
 */
public final class ProducerStateTable {
    /** How many of a producer's most recent requests per partition are remembered for de-duplication. */
    public static final int REMEMBERED_REQUESTS = 5;

    /**
     * One stored request of a producer.
     *
     * @param firstSequence the sequence of its first record
     * @param count how many records it stored, at least 1
     * @param firstOffset the offset of its first record (its records are at consecutive offsets)
     */
    public record StoredRequest(long firstSequence, int count, long firstOffset) {
        /** Validates the fields. */
        public StoredRequest {
            if (firstSequence < 0 || count < 1 || firstOffset < 0) {
                throw new IllegalArgumentException("bad stored request: sequence " + firstSequence + ", count "
                        + count + ", offset " + firstOffset);
            }
        }

        long offsetOf(long sequence) {
            long i = sequence - firstSequence;
            return i >= 0 && i < count ? firstOffset + i : -1;
        }
    }

    /**
     * The state of one producer id, as snapshotted.
     *
     * @param producerId the producer id
     * @param nextSequence the next expected sequence number
     * @param recent its last requests, oldest first, at most {@value #REMEMBERED_REQUESTS}
     */
    public record ProducerEntry(String producerId, long nextSequence, List<StoredRequest> recent) {
        /** Validates and copies the fields. */
        public ProducerEntry {
            Objects.requireNonNull(producerId, "producerId");
            recent = List.copyOf(recent);
            if (recent.size() > REMEMBERED_REQUESTS) {
                throw new IllegalArgumentException("at most " + REMEMBERED_REQUESTS + " requests, got "
                        + recent.size());
            }
        }
    }

    /**
     * The outcome of {@link #check}.
     *
     * @param duplicates how many records at the start of the run are duplicates (not to be stored again)
     * @param duplicateOffset the original offset of the run's first record when {@code duplicates > 0}, else -1
     */
    public record Decision(int duplicates, long duplicateOffset) {
        /** Append the whole run. */
        public static final Decision APPEND = new Decision(0, -1);
    }

    /** Refusal of a run: {@code OutOfOrderSequence} (retriable) or {@code DuplicateSequence} (not retriable). */
    public static final class SequenceException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean retriable;

        SequenceException(String message, boolean retriable) {
            super(message, null, false, false);
            this.retriable = retriable;
        }

        /**
         * Whether the client may send the same request again later (true for {@code OutOfOrderSequence}).
         *
         * @return whether retriable
         */
        public boolean retriable() {
            return retriable;
        }
    }

    private static final class State {
        long next;
        final ArrayDeque<StoredRequest> recent = new ArrayDeque<>(REMEMBERED_REQUESTS);

        long offsetOf(long sequence) {
            for (Iterator<StoredRequest> it = recent.descendingIterator(); it.hasNext(); ) {
                long o = it.next().offsetOf(sequence);
                if (o >= 0) {
                    return o;
                }
            }
            return -1;
        }
    }

    private final Map<String, State> producers = new LinkedHashMap<>();

    /**
     * Decides what to do with a run of records of one producer (see the class comment).
     *
     * @param producerId the producer id
     * @param firstSequence the sequence of the run's first record
     * @param count the number of records, at least 1
     * @return how many leading records are duplicates and their original first offset
     * @throws SequenceException if the run must be refused
     */
    public Decision check(String producerId, long firstSequence, int count) {
        State s = producers.get(producerId);
        if (s == null || firstSequence == s.next) {
            return Decision.APPEND;
        }
        if (firstSequence > s.next) {
            throw new SequenceException("OutOfOrderSequence: expected " + s.next + ", got " + firstSequence
                    + " (producer " + producerId + ")", true);
        }
        long dupEnd = Math.min(firstSequence + count, s.next); // exclusive
        long first = s.offsetOf(firstSequence);
        long last = s.offsetOf(dupEnd - 1);
        if (first < 0 || last < 0) {
            throw new SequenceException("DuplicateSequence: sequence " + firstSequence + " of producer " + producerId
                    + " is below the expected " + s.next + " and no longer remembered (remembered: " + s.recent + ")",
                    false);
        }
        return new Decision((int) (dupEnd - firstSequence), first);
    }

    /**
     * Remembers a stored run: the producer's next expected sequence becomes {@code firstSequence + count}, and the
     * oldest remembered request is forgotten if there are already {@value #REMEMBERED_REQUESTS}.
     *
     * @param producerId the producer id
     * @param firstSequence the sequence of the first stored record
     * @param count the number of stored records, at least 1
     * @param firstOffset the offset of the first stored record
     */
    public void record(String producerId, long firstSequence, int count, long firstOffset) {
        State s = producers.computeIfAbsent(producerId, k -> new State());
        if (s.recent.size() == REMEMBERED_REQUESTS) {
            s.recent.removeFirst();
        }
        s.recent.addLast(new StoredRequest(firstSequence, count, firstOffset));
        s.next = firstSequence + count;
    }

    /**
     * The next expected sequence of a producer.
     *
     * @param producerId the producer id
     * @return the sequence, or -1 if the producer is unknown
     */
    public long nextSequence(String producerId) {
        State s = producers.get(producerId);
        return s == null ? -1 : s.next;
    }

    /**
     * A copy of the whole state, for persistence.
     *
     * @return one entry per known producer id, in the order they were first seen
     */
    public List<ProducerEntry> snapshot() {
        List<ProducerEntry> out = new ArrayList<>(producers.size());
        for (Map.Entry<String, State> e : producers.entrySet()) {
            out.add(new ProducerEntry(e.getKey(), e.getValue().next, List.copyOf(e.getValue().recent)));
        }
        return out;
    }

    /**
     * Replaces the whole state with a snapshot taken by {@link #snapshot()}.
     *
     * @param entries the producer entries
     */
    public void restore(List<ProducerEntry> entries) {
        producers.clear();
        for (ProducerEntry e : entries) {
            State s = new State();
            s.next = e.nextSequence();
            s.recent.addAll(e.recent());
            producers.put(e.producerId(), s);
        }
    }

    @Override
    public String toString() {
        return "ProducerStateTable{producers=" + producers.size() + "}";
    }
}
