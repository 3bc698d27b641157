package io.rustmq.client.protocol;

import java.util.Objects;

/**
 * Type 2 request (spec §6.2): read records of one partition starting exactly at {@code fetchOffset}.
 *
 * @param topic the topic
 * @param partitionId the partition ({@code u32})
 * @param fetchOffset the first offset to return ({@code u64})
 * @param maxBytes a soft limit on the broker's size estimate ({@code u32}); at least one record is returned
 * @param timeoutMs milliseconds ({@code u32}); the broker does not long-poll and ignores it
 */
public record FetchRequest(String topic, int partitionId, long fetchOffset, int maxBytes, int timeoutMs)
        implements Request {
    /**
     * Checks the topic.
     *
     * @throws NullPointerException if {@code topic} is null
     */
    public FetchRequest {
        Objects.requireNonNull(topic, "topic");
    }

    @Override
    public RequestType type() {
        return RequestType.FETCH;
    }

    @Override
    public void encode(BincodeWriter w) {
        w.string(topic).u32(partitionId).u64(fetchOffset).u32(maxBytes).u32(timeoutMs);
    }

    /**
     * Reads one value.
     *
     * @param r the reader
     * @return the value
     */
    public static FetchRequest decode(BincodeReader r) {
        return new FetchRequest(r.string(), r.u32(), r.u64(), r.u32(), r.u32());
    }
}
