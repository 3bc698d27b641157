package io.rustmq.client.protocol;

/**
 * A list of {@link WireRecord}s that already holds their bincode encoding, such as a broker's stored log, so that
 * {@link FetchResponse} copies those bytes instead of encoding each record. Implemented by a
 * {@code List<WireRecord>} whose {@code get} returns the records that these bytes encode.
 */
public interface PreEncodedRecords {
    /**
     * The summed encoded size of the records, without the sequence's length prefix.
     *
     * @return the size in bytes, at least 0
     */
    long encodedSize();

    /**
     * Writes each record's encoding, in list order, without the sequence's length prefix.
     *
     * @param w the writer
     * @throws IllegalStateException if the encoding would exceed 2 GiB
     */
    void writeTo(BincodeWriter w);
}
