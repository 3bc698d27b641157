package io.rustmq.broker.storage;

import io.rustmq.client.protocol.BincodeReader;
import io.rustmq.client.protocol.BincodeWriter;
import io.rustmq.client.protocol.PreEncodedRecords;
import io.rustmq.client.protocol.WireRecord;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * Records read from a {@link PartitionLog}: where each one's encoding lies in the log's segments. {@link #get}
 * decodes a record; a Fetch response copies the encodings as they are ({@link PreEncodedRecords}), one copy per
 * run of records that lie next to each other in one segment. Immutable: retention dropping the records later does
 * not change what this list holds.
 */
final class StoredRecords extends AbstractList<WireRecord> implements RandomAccess, PreEncodedRecords {
    private final byte[][] segments;
    private final int[] positions;
    private final int[] lengths;
    private final int size;
    private final long encodedSize;

    StoredRecords(byte[][] segments, int[] positions, int[] lengths, int size, long encodedSize) {
        this.segments = segments;
        this.positions = positions;
        this.lengths = lengths;
        this.size = size;
        this.encodedSize = encodedSize;
    }

    /** Decodes the record whose encoding is {@code segment[position, position + length)}. */
    static WireRecord decode(byte[] segment, int position, int length) {
        return WireRecord.decode(new BincodeReader(segment, position, length));
    }

    @Override
    public WireRecord get(int index) {
        Objects.checkIndex(index, size);
        return decode(segments[index], positions[index], lengths[index]);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long encodedSize() {
        return encodedSize;
    }

    @Override
    public void writeTo(BincodeWriter w) {
        int i = 0;
        while (i < size) {
            byte[] segment = segments[i];
            int from = positions[i];
            int to = from + lengths[i];
            int j = i + 1;
            while (j < size && segments[j] == segment && positions[j] == to) {
                to += lengths[j++];
            }
            w.raw(segment, from, to - from);
            i = j;
        }
    }
}
