package io.rustmq.client.protocol;

import java.util.List;
import java.util.Objects;

/**
 * Type 3 response (spec §6.3).
 *
 * @param brokers the brokers (the shipped broker lists only itself)
 * @param topicsMetadata the topics (always empty on the shipped broker; filled by the embedded broker)
 */
public record MetadataResponse(List<BrokerInfo> brokers, List<TopicMetadata> topicsMetadata) implements Response {
    /**
     * Checks the fields.
     *
     * @throws NullPointerException if a field is null
     */
    public MetadataResponse {
        Objects.requireNonNull(brokers, "brokers");
        Objects.requireNonNull(topicsMetadata, "topicsMetadata");
    }

    @Override
    public RequestType type() {
        return RequestType.METADATA;
    }

    @Override
    public void encode(BincodeWriter w) {
        Lists.write(w, brokers, BrokerInfo::encode);
        Lists.write(w, topicsMetadata, TopicMetadata::encode);
    }

    /**
     * Reads one value.
     *
     * @param r the reader
     * @return the value
     */
    public static MetadataResponse decode(BincodeReader r) {
        return new MetadataResponse(Lists.read(r, BrokerInfo.MIN_SIZE, "brokers", BrokerInfo::decode),
                Lists.read(r, TopicMetadata.MIN_SIZE, "topics_metadata", TopicMetadata::decode));
    }
}
