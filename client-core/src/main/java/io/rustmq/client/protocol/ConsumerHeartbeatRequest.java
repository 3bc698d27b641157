package io.rustmq.client.protocol;

import java.util.Objects;

/**
 * Type 6 request (spec §6.6).
 *
 * @param groupId the group
 * @param memberId the member
 * @param generationId the generation from the member's latest JoinGroup ({@code u64})
 */
public record ConsumerHeartbeatRequest(String groupId, String memberId, long generationId) implements Request {
    /**
     * Checks the fields.
     *
     * @throws NullPointerException if a field is null
     */
    public ConsumerHeartbeatRequest {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(memberId, "memberId");
    }

    @Override
    public RequestType type() {
        return RequestType.CONSUMER_HEARTBEAT;
    }

    @Override
    public void encode(BincodeWriter w) {
        w.string(groupId).string(memberId).u64(generationId);
    }

    /**
     * Reads one value.
     *
     * @param r the reader
     * @return the value
     */
    public static ConsumerHeartbeatRequest decode(BincodeReader r) {
        return new ConsumerHeartbeatRequest(r.string(), r.string(), r.u64());
    }
}
