package io.rustmq.client.protocol;

import java.util.List;
import java.util.Objects;

/**
 * Type 2 response (spec §6.2). Record <i>i</i> has offset {@code fetch_offset + i}. A decoded response holds its
 * records as {@link EncodedRecords}: checked when decoded, each turned into a {@link WireRecord} when read.
 *
 * @param records the records in offset order, possibly empty
 * @param highWatermark the partition's next offset to assign ({@code u64}); 0 for unknown partitions
 * @param errorCode 0, or 1 when the broker's storage read failed
 * @param errorMessage an error text, or {@code null}
 */
public record FetchResponse(List<WireRecord> records, long highWatermark, int errorCode, String errorMessage)
        implements Response {
    /**
     * Checks the records.
     *
     * @throws NullPointerException if {@code records} is null
     */
    public FetchResponse {
        Objects.requireNonNull(records, "records");
    }

    @Override
    public RequestType type() {
        return RequestType.FETCH;
    }

    /**
     * The number of bytes {@link #encode} writes.
     *
     * @return the body's encoded size in bytes
     */
    public int encodedSize() {
        long size = 8 + 8 + 4 + 1 + (errorMessage == null ? 0 : 8 + Frames.utf8Length(errorMessage));
        if (records instanceof PreEncodedRecords pre) {
            size += pre.encodedSize();
        } else {
            for (WireRecord r : records) {
                size += r.encodedSize();
            }
        }
        return (int) Math.min(size, Integer.MAX_VALUE);
    }

    @Override
    public void encode(BincodeWriter w) {
        if (records instanceof PreEncodedRecords pre) {
            w.length(records.size());
            pre.writeTo(w);
        } else {
            Lists.write(w, records, WireRecord::encode);
        }
        w.u64(highWatermark).u32(errorCode).optionString(errorMessage);
    }

    /**
     * Reads one value.
     *
     * @param r the reader
     * @return the value
     */
    public static FetchResponse decode(BincodeReader r) {
        EncodedRecords records = EncodedRecords.scan(r);
        return new FetchResponse(records.isEmpty() ? List.of() : records, r.u64(), r.u32(), r.optionString());
    }
}
