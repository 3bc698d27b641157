package io.rustmq.client;

import java.util.List;
import java.util.Objects;

/**
 * One partition of a topic in the cluster's metadata: its leader and replicas.
 *
 * @param partition the partition number
 * @param leader the leader's broker id, or {@code null} when the partition has no leader now
 * @param replicas the replicas' broker ids, immutable, not null
 */
public record PartitionInfo(int partition, String leader, List<String> replicas) {
    /**
     * Checks and copies the fields.
     *
     * @throws NullPointerException if {@code replicas} or one of its elements is null
     */
    public PartitionInfo {
        replicas = List.copyOf(Objects.requireNonNull(replicas, "replicas"));
    }
}
