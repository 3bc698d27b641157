package io.rustmq.client.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A record header as on the wire (spec §5.2): String key, byte-array value. Equality compares the value's bytes.
 *
 * @param key the header name, not null
 * @param value the header value, not null (not copied: do not change it afterwards)
 */
public record WireHeader(String key, byte[] value) {
    /** Smallest encoded size in bytes. */
    static final int MIN_SIZE = 16;

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if a field is null
     */
    public WireHeader {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    /**
     * A header with a UTF-8 text value.
     *
     * @param key the header name
     * @param value the text value
     * @return the header
     */
    public static WireHeader of(String key, String value) {
        return new WireHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Appends the bincode encoding.
     *
     * @param w the writer
     */
    public void encode(BincodeWriter w) {
        w.string(key).bytes(value);
    }

    /**
     * Reads one value.
     *
     * @param r the reader
     * @return the value
     */
    public static WireHeader decode(BincodeReader r) {
        return new WireHeader(r.string(), r.bytes());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WireHeader h && key.equals(h.key) && Arrays.equals(value, h.value);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return key + "=" + Hex.preview(value);
    }
}
