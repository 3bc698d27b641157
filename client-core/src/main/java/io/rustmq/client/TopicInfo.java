package io.rustmq.client;

import java.util.List;
import java.util.Objects;

/**
 * What the cluster's metadata says about one topic, as returned by {@link RustMQClient#topicMetadata()}.
 *
 * @param name the topic name, not null
 * @param partitions its partitions, immutable, not null
 */
public record TopicInfo(String name, List<PartitionInfo> partitions) {
    /**
     * Checks and copies the fields.
     *
     * @throws NullPointerException if a field or a partition is null
     */
    public TopicInfo {
        Objects.requireNonNull(name, "name");
        partitions = List.copyOf(Objects.requireNonNull(partitions, "partitions"));
    }
}
