package io.rustmq.client.protocol;

import java.util.List;
import java.util.Objects;

/**
 * A topic in Metadata (spec §6.3).
 *
 * @param name the topic name
 * @param partitions its partitions
 */
public record TopicMetadata(String name, List<PartitionMetadata> partitions) {
    static final int MIN_SIZE = 8 + 8;

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if a field is null
     */
    public TopicMetadata {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(partitions, "partitions");
    }

    /**
     * Appends the bincode encoding.
     *
     * @param w the writer
     */
    public void encode(BincodeWriter w) {
        w.string(name);
        Lists.write(w, partitions, PartitionMetadata::encode);
    }

    /**
     * Reads one value.
     *
     * @param r the reader
     * @return the value
     */
    public static TopicMetadata decode(BincodeReader r) {
        return new TopicMetadata(r.string(),
                Lists.read(r, PartitionMetadata.MIN_SIZE, "partitions", PartitionMetadata::decode));
    }
}
