package io.rustmq.client.protocol;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The records of a Fetch response, kept in their wire encoding and decoded one at a time on {@link #get(int)}: the
 * frame is checked once, up front ({@link #scan}), without allocating per record, so that a consumer's network thread
 * only walks the frame and each record becomes an object on the thread that reads it. Immutable and thread-safe
 * (each {@code get} decodes from the unchanging frame bytes; two calls return equal but distinct records).
 */
public final class EncodedRecords extends AbstractList<WireRecord> implements RandomAccess {
    /** Per-record overhead in {@link #sizeEstimate()}, in bytes. */
    public static final int RECORD_OVERHEAD = 32;
    /** Per-header overhead in {@link #sizeEstimate()}, in bytes. */
    public static final int HEADER_OVERHEAD = 8;

    private final byte[] frame;
    private final int[] starts;
    private final int end;
    private final long sizeEstimate;

    private EncodedRecords(byte[] frame, int[] starts, int end, long sizeEstimate) {
        this.frame = frame;
        this.starts = starts;
        this.end = end;
        this.sizeEstimate = sizeEstimate;
    }

    /**
     * Reads a record sequence ({@code u64} count, then the records) from the reader's position, checking every
     * record's structure (Option tags, lengths within the frame, header names valid UTF-8) without copying values.
     * The reader ends after the sequence. The returned list refers to the reader's array, which must not change.
     *
     * @param r the reader, positioned at the count
     * @return the records
     * @throws IncompleteFrameException if the bytes end inside the sequence
     * @throws io.rustmq.client.ProtocolException if a record is malformed
     */
    static EncodedRecords scan(BincodeReader r) {
        int n = r.length(WireRecord.MIN_SIZE, "records");
        int[] starts = new int[n];
        long size = (long) RECORD_OVERHEAD * n;
        for (int i = 0; i < n; i++) {
            starts[i] = r.position();
            if (r.optionTag()) {
                size += r.skipBytes();
            }
            size += r.skipBytes();
            int headers = r.length(WireHeader.MIN_SIZE, "headers");
            for (int h = 0; h < headers; h++) {
                int keyStart = r.position();
                r.string(); // validates the UTF-8 of the name, as a full decode would
                size += HEADER_OVERHEAD + (r.position() - keyStart - 8) + r.skipBytes();
            }
            r.skip(8, "timestamp");
        }
        return new EncodedRecords(r.array(), starts, r.position(), size);
    }

    /**
     * Decodes record {@code index}.
     *
     * @param index from 0
     * @return a new record
     * @throws IndexOutOfBoundsException if {@code index} is outside {@code [0, size())}
     */
    @Override
    public WireRecord get(int index) {
        int start = starts[index];
        return WireRecord.decode(new BincodeReader(frame, start, end - start));
    }

    /**
     * The record count.
     *
     * @return the number of records
     */
    @Override
    public int size() {
        return starts.length;
    }

    /**
     * An estimate of the memory the records take once decoded: per record {@value #RECORD_OVERHEAD} bytes plus its
     * key and value lengths, plus per header {@value #HEADER_OVERHEAD} bytes and its name and value lengths.
     *
     * @return bytes
     */
    public long sizeEstimate() {
        return sizeEstimate;
    }
}
