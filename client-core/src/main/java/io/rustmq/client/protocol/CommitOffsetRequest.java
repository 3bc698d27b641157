package io.rustmq.client.protocol;

import java.util.Map;
import java.util.Objects;

/**
 * Type 7 request (spec §6.7). This project commits the next offset to read, as Kafka does.
 *
 * @param groupId the group
 * @param memberId the member (the shipped broker does not check it)
 * @param generationId the generation from the member's latest JoinGroup ({@code u64})
 * @param offsets partition to committed offset ({@code u64}); any order
 */
public record CommitOffsetRequest(String groupId, String memberId, long generationId,
                                  Map<TopicPartition, Long> offsets) implements Request {
    /**
     * Checks the fields.
     *
     * @throws NullPointerException if a field is null
     */
    public CommitOffsetRequest {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(offsets, "offsets");
    }

    @Override
    public RequestType type() {
        return RequestType.COMMIT_OFFSET;
    }

    @Override
    public void encode(BincodeWriter w) {
        w.string(groupId).string(memberId).u64(generationId);
        OffsetMaps.write(w, offsets);
    }

    /**
     * Reads one value; a repeated partition keeps the last offset.
     *
     * @param r the reader
     * @return the value
     */
    public static CommitOffsetRequest decode(BincodeReader r) {
        return new CommitOffsetRequest(r.string(), r.string(), r.u64(), OffsetMaps.read(r));
    }
}
