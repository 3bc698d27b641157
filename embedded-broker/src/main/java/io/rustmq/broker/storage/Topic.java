package io.rustmq.broker.storage;

import java.util.List;
import java.util.Objects;

/**
 * A topic: its name and a fixed number of partition logs numbered from 0. Thread-safe.
 */
public final class Topic {
    private final String name;
    private final PartitionLog[] partitions;

    Topic(String name, int partitionCount, RetentionPolicy retention) {
        this.name = Objects.requireNonNull(name, "name");
        this.partitions = new PartitionLog[partitionCount];
        for (int p = 0; p < partitionCount; p++) {
            partitions[p] = new PartitionLog(name, p, retention);
        }
    }

    /**
     * The topic name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The number of partitions.
     *
     * @return at least 1
     */
    public int partitionCount() {
        return partitions.length;
    }

    /**
     * One partition's log.
     *
     * @param partition the partition number, a {@code u32} held in an int
     * @return the log, or {@code null} if the topic has no such partition
     */
    public PartitionLog partition(int partition) {
        return partition >= 0 && partition < partitions.length ? partitions[partition] : null;
    }

    /**
     * All partition logs, in partition order.
     *
     * @return an immutable list
     */
    public List<PartitionLog> partitions() {
        return List.of(partitions);
    }

    @Override
    public String toString() {
        return "Topic[" + name + ", partitions=" + partitions.length + "]";
    }
}
