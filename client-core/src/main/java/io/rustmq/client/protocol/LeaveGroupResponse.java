package io.rustmq.client.protocol;

/**
 * Type 9 response (spec §6.9): 0, or 16 unknown group.
 *
 * @param errorCode the error code ({@code u32})
 */
public record LeaveGroupResponse(int errorCode) implements Response {
    @Override
    public RequestType type() {
        return RequestType.LEAVE_GROUP;
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
    public static LeaveGroupResponse decode(BincodeReader r) {
        return new LeaveGroupResponse(r.u32());
    }
}
