package io.rustmq.client.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A record as on the wire (spec §5.3): optional key, value, headers in order, timestamp. There is no offset field:
 * in a fetch response record <i>i</i> has offset {@code fetch_offset + i}. Equality compares byte contents.
 *
 * @param key the key, or {@code null} for None (an empty array is {@code Some("")}, which differs from None)
 * @param value the value bytes, possibly empty, not null
 * @param headers the headers in order, duplicates allowed, not null
 * @param timestamp epoch milliseconds; ignored by the broker on produce, the broker's clock on fetch
 */
public record WireRecord(byte[] key, byte[] value, List<WireHeader> headers, long timestamp) {
    /** Smallest encoded size in bytes: key None, empty value, no headers, timestamp. */
    static final int MIN_SIZE = 1 + 8 + 8 + 8;

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if {@code value} or {@code headers} is null
     */
    public WireRecord {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(headers, "headers");
    }

    /**
     * The number of bytes this record takes on the wire.
     *
     * @return the encoded size in bytes
     */
    public int encodedSize() {
        int size = 1 + (key == null ? 0 : 8 + key.length) + 8 + value.length + 8 + 8;
        for (int i = 0, n = headers.size(); i < n; i++) { // indexed: no iterator per record on the send path
            WireHeader h = headers.get(i);
            size += 16 + Frames.utf8Length(h.key()) + h.value().length;
        }
        return size;
    }

    /**
     * Appends the bincode encoding.
     *
     * @param w the writer
     */
    public void encode(BincodeWriter w) {
        w.optionTag(key != null);
        if (key != null) {
            w.bytes(key);
        }
        w.bytes(value).length(headers.size());
        for (int i = 0, n = headers.size(); i < n; i++) {
            headers.get(i).encode(w);
        }
        w.u64(timestamp);
    }

    /**
     * Reads one value.
     *
     * @param r the reader
     * @return the value
     */
    public static WireRecord decode(BincodeReader r) {
        byte[] key = r.optionTag() ? r.bytes() : null;
        byte[] value = r.bytes();
        int n = r.length(WireHeader.MIN_SIZE, "headers");
        List<WireHeader> headers;
        if (n == 0) {
            headers = List.of();
        } else {
            WireHeader[] hs = new WireHeader[n];
            for (int i = 0; i < n; i++) {
                hs[i] = WireHeader.decode(r);
            }
            headers = List.of(hs);
        }
        return new WireRecord(key, value, headers, r.u64());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WireRecord w && Arrays.equals(key, w.key) && Arrays.equals(value, w.value)
                && headers.equals(w.headers) && timestamp == w.timestamp;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(key), Arrays.hashCode(value), headers, timestamp);
    }

    @Override
    public String toString() {
        return "WireRecord[key=" + Hex.preview(key) + ", value=" + Hex.preview(value) + ", headers=" + headers
                + ", timestamp=" + timestamp + "]";
    }
}
