package io.rustmq.client.protocol;

/**
 * Type 1 response (spec §6.1).
 *
 * @param offset the offset of the request's first record ({@code u64})
 * @param errorCode 0 on success
 * @param errorMessage an error text, or {@code null}
 */
public record ProduceResponse(long offset, int errorCode, String errorMessage) implements Response {
    @Override
    public RequestType type() {
        return RequestType.PRODUCE;
    }

    @Override
    public void encode(BincodeWriter w) {
        w.u64(offset).u32(errorCode).optionString(errorMessage);
    }

    /**
     * Reads one value.
     *
     * @param r the reader
     * @return the value
     */
    public static ProduceResponse decode(BincodeReader r) {
        return new ProduceResponse(r.u64(), r.u32(), r.optionString());
    }
}
