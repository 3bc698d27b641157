package io.rustmq.client.protocol;

import java.util.List;
import java.util.Objects;

/**
 * Type 3 request (spec §6.3, the {@code quic_server.rs} struct): a list of topics, which the shipped broker ignores.
 *
 * @param topics topic names, possibly empty
 */
public record MetadataRequest(List<String> topics) implements Request {
    /**
     * Checks the list.
     *
     * @throws NullPointerException if {@code topics} is null
     */
    public MetadataRequest {
        Objects.requireNonNull(topics, "topics");
    }

    @Override
    public RequestType type() {
        return RequestType.METADATA;
    }

    @Override
    public void encode(BincodeWriter w) {
        Lists.writeStrings(w, topics);
    }

    /**
     * Reads one value.
     *
     * @param r the reader
     * @return the value
     */
    public static MetadataRequest decode(BincodeReader r) {
        return new MetadataRequest(Lists.readStrings(r, "topics"));
    }
}
