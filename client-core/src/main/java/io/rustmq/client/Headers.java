package io.rustmq.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The headers of a message, in order; a name may repeat (as in Kafka). Immutable: {@link #with} returns a copy.
 */
public final class Headers implements Iterable<Header> {
    private static final Headers EMPTY = new Headers(List.of());

    private final List<Header> list;

    private Headers(List<Header> list) {
        this.list = list;
    }

    /**
     * No headers.
     *
     * @return the empty instance
     */
    public static Headers empty() {
        return EMPTY;
    }

    /**
     * Headers holding these, in order.
     *
     * @param headers the headers
     * @return an immutable instance
     */
    public static Headers of(List<Header> headers) {
        return headers.isEmpty() ? EMPTY : new Headers(List.copyOf(headers));
    }

    /**
     * A copy with one more header at the end.
     *
     * @param key the name
     * @param value the value bytes
     * @return a new instance
     */
    public Headers with(String key, byte[] value) {
        List<Header> copy = new ArrayList<>(list.size() + 1);
        copy.addAll(list);
        copy.add(new Header(key, value));
        return new Headers(Collections.unmodifiableList(copy));
    }

    /**
     * A copy with one more UTF-8 header at the end.
     *
     * @param key the name
     * @param value the text value
     * @return a new instance
     */
    public Headers with(String key, String value) {
        return with(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The value of the last header with this name.
     *
     * @param key the name
     * @return the bytes, or {@code null} if there is no such header
     */
    public byte[] lastValue(String key) {
        for (int i = list.size() - 1; i >= 0; i--) {
            if (list.get(i).key().equals(key)) {
                return list.get(i).value();
            }
        }
        return null;
    }

    /**
     * The value of the last header with this name, as UTF-8 text.
     *
     * @param key the name
     * @return the text, or {@code null} if there is no such header
     */
    public String lastString(String key) {
        byte[] v = lastValue(key);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /**
     * Every header with this name, in order.
     *
     * @param key the name
     * @return the headers, possibly empty
     */
    public List<Header> all(String key) {
        List<Header> out = new ArrayList<>();
        for (Header h : list) {
            if (h.key().equals(key)) {
                out.add(h);
            }
        }
        return out;
    }

    /**
     * All headers in order.
     *
     * @return an immutable list
     */
    public List<Header> asList() {
        return list;
    }

    /**
     * The number of headers.
     *
     * @return the count, duplicates included
     */
    public int size() {
        return list.size();
    }

    /**
     * Whether there are no headers.
     *
     * @return {@code true} if empty
     */
    public boolean isEmpty() {
        return list.isEmpty();
    }

    @Override
    public Iterator<Header> iterator() {
        return list.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers h && list.equals(h.list);
    }

    @Override
    public int hashCode() {
        return Objects.hash(list);
    }

    /**
     * The headers' names and value sizes, never their values (see {@link Header#toString()}).
     *
     * @return for example {@code [source=4 bytes, trace=16 bytes]}
     */
    @Override
    public String toString() {
        return list.toString();
    }
}
