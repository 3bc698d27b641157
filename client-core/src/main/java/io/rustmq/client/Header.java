package io.rustmq.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One message header: a name and a byte value. Equality compares the value's bytes.
 *
 * @param key the header name, not null
 * @param value the value bytes, not null (not copied)
 */
public record Header(String key, byte[] value) {
    /**
     * Checks the fields.
     *
     * @throws NullPointerException if a field is null
     */
    public Header {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    /**
     * The value decoded as UTF-8.
     *
     * @return the text (invalid UTF-8 is replaced with U+FFFD)
     */
    public String valueAsString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header h && key.equals(h.key) && Arrays.equals(value, h.value);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Arrays.hashCode(value);
    }

    /**
     * The name and the value's size, never the value, so that headers can be logged without leaking data.
     *
     * @return for example {@code source=4 bytes}
     */
    @Override
    public String toString() {
        return key + "=" + value.length + " bytes";
    }
}
