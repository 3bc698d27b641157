package io.rustmq.client.protocol;

import java.util.List;
import java.util.Objects;

/**
 * A partition in Metadata (spec §6.3).
 *
 * @param partitionId the partition ({@code u32})
 * @param leader the leader's broker id, or {@code null} when there is none
 * @param replicas the replicas' broker ids
 */
public record PartitionMetadata(int partitionId, String leader, List<String> replicas) {
    static final int MIN_SIZE = 4 + 1 + 8;

    /**
     * Checks the replicas.
     *
     * @throws NullPointerException if {@code replicas} is null
     */
    public PartitionMetadata {
        Objects.requireNonNull(replicas, "replicas");
    }

    /**
     * Appends the bincode encoding.
     *
     * @param w the writer
     */
    public void encode(BincodeWriter w) {
        w.u32(partitionId).optionString(leader);
        Lists.writeStrings(w, replicas);
    }

    /**
     * Reads one value.
     *
     * @param r the reader
     * @return the value
     */
    public static PartitionMetadata decode(BincodeReader r) {
        return new PartitionMetadata(r.u32(), r.optionString(), Lists.readStrings(r, "replicas"));
    }
}
