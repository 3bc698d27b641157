package io.rustmq.client.protocol;

import java.util.Map;
import java.util.Objects;

/**
 * Type 8 response (spec §6.8). Only requested partitions that have a committed offset appear.
 *
 * @param offsets partition to committed offset ({@code u64})
 * @param errorCode 0, or 16 for an unknown group
 */
public record FetchOffsetResponse(Map<TopicPartition, Long> offsets, int errorCode) implements Response {
    /**
     * Checks the map.
     *
     * @throws NullPointerException if {@code offsets} is null
     */
    public FetchOffsetResponse {
        Objects.requireNonNull(offsets, "offsets");
    }

    @Override
    public RequestType type() {
        return RequestType.FETCH_OFFSET;
    }

    @Override
    public void encode(BincodeWriter w) {
        OffsetMaps.write(w, offsets);
        w.u32(errorCode);
    }

    /**
     * Reads one value; a repeated partition keeps the last offset.
     *
     * @param r the reader
     * @return the value
     */
    public static FetchOffsetResponse decode(BincodeReader r) {
        return new FetchOffsetResponse(OffsetMaps.read(r), r.u32());
    }
}
