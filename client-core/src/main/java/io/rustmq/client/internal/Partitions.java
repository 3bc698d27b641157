package io.rustmq.client.internal;

import io.rustmq.client.TopicPartition;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Converts between the public {@link TopicPartition} of the consumer API and the wire codec's
 * {@link io.rustmq.client.protocol.TopicPartition} that the client's internals use.
 */
public final class Partitions {
    private Partitions() {
    }

    /**
     * The public form of a wire partition.
     *
     * @param tp the wire partition, not null
     * @return the public partition
     */
    public static TopicPartition toPublic(io.rustmq.client.protocol.TopicPartition tp) {
        return new TopicPartition(tp.topic(), tp.partition());
    }

    /**
     * The wire form of a public partition.
     *
     * @param tp the public partition
     * @return the wire partition
     * @throws NullPointerException if {@code tp} is null
     */
    public static io.rustmq.client.protocol.TopicPartition toWire(TopicPartition tp) {
        Objects.requireNonNull(tp, "partition");
        return new io.rustmq.client.protocol.TopicPartition(tp.topic(), tp.partition());
    }

    /**
     * Public forms of wire partitions, in iteration order.
     *
     * @param tps the wire partitions
     * @return an immutable list
     */
    public static List<TopicPartition> toPublic(Collection<io.rustmq.client.protocol.TopicPartition> tps) {
        return tps.stream().map(Partitions::toPublic).toList();
    }

    /**
     * Public forms of a set of wire partitions.
     *
     * @param tps the wire partitions
     * @return an immutable set
     */
    public static Set<TopicPartition> toPublicSet(Collection<io.rustmq.client.protocol.TopicPartition> tps) {
        Set<TopicPartition> out = new LinkedHashSet<>();
        tps.forEach(tp -> out.add(toPublic(tp)));
        return Set.copyOf(out);
    }

    /**
     * Wire forms of public partitions, in iteration order.
     *
     * @param tps the public partitions, none null
     * @return an immutable list
     * @throws NullPointerException if the collection or an element is null
     */
    public static List<io.rustmq.client.protocol.TopicPartition> toWire(Collection<TopicPartition> tps) {
        Objects.requireNonNull(tps, "partitions");
        return tps.stream().map(Partitions::toWire).toList();
    }

    /**
     * A map keyed by wire partitions, re-keyed by public partitions.
     *
     * @param map the map
     * @param <V> the value type
     * @return an immutable map
     */
    public static <V> Map<TopicPartition, V> toPublicKeys(Map<io.rustmq.client.protocol.TopicPartition, V> map) {
        Map<TopicPartition, V> out = new LinkedHashMap<>();
        map.forEach((tp, v) -> out.put(toPublic(tp), v));
        return java.util.Collections.unmodifiableMap(out);
    }
}
