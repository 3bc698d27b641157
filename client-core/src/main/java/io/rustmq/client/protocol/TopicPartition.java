package io.rustmq.client.protocol;

import java.util.Objects;

/**
 * A partition of a topic (spec §5.1). Wire: String topic, {@code u32} partition.
 *
 * @param topic the topic name, not null
 * @param partition the partition number, a {@code u32} held in an int
 */
public record TopicPartition(String topic, int partition) {
    /** Smallest encoded size in bytes: an empty topic name and the partition. */
    static final int MIN_SIZE = 8 + 4;

    /**
     * Checks the topic.
     *
     * @throws NullPointerException if {@code topic} is null
     */
    public TopicPartition {
        Objects.requireNonNull(topic, "topic");
    }

    /**
     * Appends the bincode encoding.
     *
     * @param w the writer
     */
    public void encode(BincodeWriter w) {
        w.string(topic).u32(partition);
    }

    /**
     * Reads one value.
     *
     * @param r the reader
     * @return the value
     */
    public static TopicPartition decode(BincodeReader r) {
        return new TopicPartition(r.string(), r.u32());
    }

    @Override
    public String toString() {
        return topic + "-" + Integer.toUnsignedString(partition);
    }
}
