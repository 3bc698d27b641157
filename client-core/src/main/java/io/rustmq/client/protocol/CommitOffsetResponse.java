package io.rustmq.client.protocol;

/**
 * Type 7 response (spec §6.7): 0, 1 write failed, 16 unknown group or 22 illegal generation.
 *
 * @param errorCode the error code ({@code u32})
 */
public record CommitOffsetResponse(int errorCode) implements Response {
    @Override
    public RequestType type() {
        return RequestType.COMMIT_OFFSET;
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
    public static CommitOffsetResponse decode(BincodeReader r) {
        return new CommitOffsetResponse(r.u32());
    }
}
