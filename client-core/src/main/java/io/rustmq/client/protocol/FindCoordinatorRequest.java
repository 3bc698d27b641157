package io.rustmq.client.protocol;

import java.util.Objects;

/**
 * Type 4 request (spec §6.4).
 *
 * @param groupId the consumer group
 */
public record FindCoordinatorRequest(String groupId) implements Request {
    /**
     * Checks the group.
     *
     * @throws NullPointerException if {@code groupId} is null
     */
    public FindCoordinatorRequest {
        Objects.requireNonNull(groupId, "groupId");
    }

    @Override
    public RequestType type() {
        return RequestType.FIND_COORDINATOR;
    }

    @Override
    public void encode(BincodeWriter w) {
        w.string(groupId);
    }

    /**
     * Reads one value.
     *
     * @param r the reader
     * @return the value
     */
    public static FindCoordinatorRequest decode(BincodeReader r) {
        return new FindCoordinatorRequest(r.string());
    }
}
