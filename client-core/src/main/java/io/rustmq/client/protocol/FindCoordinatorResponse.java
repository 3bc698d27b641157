package io.rustmq.client.protocol;

import java.util.Objects;

/**
 * Type 4 response (spec §6.4). The host may be {@code 0.0.0.0}: map it to the address used to connect.
 *
 * @param coordinatorBrokerId the coordinator's broker id
 * @param coordinatorHost the coordinator's host text, not rewritten
 * @param coordinatorPort its QUIC port, 0 to 65535
 * @param errorCode always 0 on the shipped broker
 */
public record FindCoordinatorResponse(String coordinatorBrokerId, String coordinatorHost, int coordinatorPort,
                                      int errorCode) implements Response {
    /**
     * Checks the fields.
     *
     * @throws NullPointerException if a string is null
     */
    public FindCoordinatorResponse {
        Objects.requireNonNull(coordinatorBrokerId, "coordinatorBrokerId");
        Objects.requireNonNull(coordinatorHost, "coordinatorHost");
    }

    @Override
    public RequestType type() {
        return RequestType.FIND_COORDINATOR;
    }

    @Override
    public void encode(BincodeWriter w) {
        w.string(coordinatorBrokerId).string(coordinatorHost).u16(coordinatorPort).u32(errorCode);
    }

    /**
     * Reads one value.
     *
     * @param r the reader
     * @return the value
     */
    public static FindCoordinatorResponse decode(BincodeReader r) {
        return new FindCoordinatorResponse(r.string(), r.string(), r.u16(), r.u32());
    }
}
