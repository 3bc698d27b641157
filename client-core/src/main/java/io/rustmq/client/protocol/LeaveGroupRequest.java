package io.rustmq.client.protocol;

import java.util.Objects;

/**
 * Type 9 request (spec §6.9).
 *
 * @param groupId the group
 * @param memberId the member leaving
 */
public record LeaveGroupRequest(String groupId, String memberId) implements Request {
    /**
     * Checks the fields.
     *
     * @throws NullPointerException if a field is null
     */
    public LeaveGroupRequest {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(memberId, "memberId");
    }

    @Override
    public RequestType type() {
        return RequestType.LEAVE_GROUP;
    }

    @Override
    public void encode(BincodeWriter w) {
        w.string(groupId).string(memberId);
    }

    /**
     * Reads one value.
     *
     * @param r the reader
     * @return the value
     */
    public static LeaveGroupRequest decode(BincodeReader r) {
        return new LeaveGroupRequest(r.string(), r.string());
    }
}
