package io.rustmq.client.protocol;

/**
 * Type 6 response (spec §6.6): 0, 16 unknown group, 22 illegal generation, 25 unknown member or 27 rebalance in progress.
 *
 * @param errorCode the error code ({@code u32})
 */
public record ConsumerHeartbeatResponse(int errorCode) implements Response {
    @Override
    public RequestType type() {
        return RequestType.CONSUMER_HEARTBEAT;
    }

    @Override
    public void encode(BincodeWriter w) {
        w.u32(errorCode);
    }

    /**
     * Reads one value.
     *
     * @param r the reader
     * @return the value
     */
    public static ConsumerHeartbeatResponse decode(BincodeReader r) {
        return new ConsumerHeartbeatResponse(r.u32());
    }
}
