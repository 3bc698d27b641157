package io.rustmq.client.protocol;

import java.util.List;
import java.util.Objects;

/**
 * Type 8 request (spec §6.8).
 *
 * @param groupId the group
 * @param topicPartitions the partitions whose committed offsets are wanted
 */
public record FetchOffsetRequest(String groupId, List<TopicPartition> topicPartitions) implements Request {
    /**
     * Checks the fields.
     *
     * @throws NullPointerException if a field is null
     */
    public FetchOffsetRequest {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(topicPartitions, "topicPartitions");
    }

    @Override
    public RequestType type() {
        return RequestType.FETCH_OFFSET;
    }

    @Override
    public void encode(BincodeWriter w) {
        w.string(groupId);
        Lists.write(w, topicPartitions, TopicPartition::encode);
    }

    /**
     * Reads one value.
     *
     * @param r the reader
     * @return the value
     */
    public static FetchOffsetRequest decode(BincodeReader r) {
        return new FetchOffsetRequest(r.string(),
                Lists.read(r, TopicPartition.MIN_SIZE, "topic_partitions", TopicPartition::decode));
    }
}
