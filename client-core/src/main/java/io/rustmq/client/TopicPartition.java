package io.rustmq.client;

import java.util.Comparator;
import java.util.Objects;

/**
 * A partition of a topic, as the consumer API names it: in assignments, seeks, positions, lag and rebalance
 * callbacks. Ordered by topic, then by partition number (unsigned).
 *
 * @param topic the topic name, not null or blank
 * @param partition the partition number, zero or more
 */
public record TopicPartition(String topic, int partition) implements Comparable<TopicPartition> {
    private static final Comparator<TopicPartition> ORDER = Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if {@code topic} is null
     * @throws IllegalArgumentException if {@code topic} is blank or {@code partition} is negative
     */
    public TopicPartition {
        Objects.requireNonNull(topic, "topic");
        if (topic.isBlank()) {
            throw new IllegalArgumentException("topic must not be blank");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, was " + partition);
        }
    }

    /**
     * A partition of a topic.
     *
     * @param topic the topic name, not null or blank
     * @param partition the partition number, zero or more
     * @return the partition
     * @throws IllegalArgumentException if {@code topic} is blank or {@code partition} is negative
     */
    public static TopicPartition of(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }

    /**
     * Orders by topic name, then by partition number.
     *
     * @param other the partition to compare with
     * @return negative, zero or positive as this partition sorts before, with or after {@code other}
     */
    @Override
    public int compareTo(TopicPartition other) {
        return ORDER.compare(this, other);
    }

    /**
     * The partition as {@code topic-partition}, for example {@code orders-3}.
     *
     * @return the text form
     */
    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
