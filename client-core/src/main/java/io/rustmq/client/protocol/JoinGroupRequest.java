package io.rustmq.client.protocol;

import java.util.List;
import java.util.Objects;

/**
 * Type 5 request (spec §6.5).
 *
 * @param groupId the group
 * @param memberId the member id, or empty to get a new one from the broker
 * @param sessionTimeoutMs the session timeout in milliseconds ({@code u32})
 * @param topics the subscribed topics
 */
public record JoinGroupRequest(String groupId, String memberId, int sessionTimeoutMs, List<String> topics)
        implements Request {
    /**
     * Checks the fields.
     *
     * @throws NullPointerException if a field is null
     */
    public JoinGroupRequest {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(topics, "topics");
    }

    @Override
    public RequestType type() {
        return RequestType.JOIN_GROUP;
    }

    @Override
    public void encode(BincodeWriter w) {
        w.string(groupId).string(memberId).u32(sessionTimeoutMs);
        Lists.writeStrings(w, topics);
    }

    /**
     * Reads one value.
     *
     * @param r the reader
     * @return the value
     */
    public static JoinGroupRequest decode(BincodeReader r) {
        return new JoinGroupRequest(r.string(), r.string(), r.u32(), Lists.readStrings(r, "topics"));
    }
}
