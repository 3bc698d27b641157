package io.rustmq.quarkus.deployment;

import io.quarkus.builder.item.MultiBuildItem;

/** The payload type detected for one {@code smallrye-rustmq} channel from the application's method signatures. */
public final class RustMQChannelPayloadBuildItem extends MultiBuildItem {

    private final String channel;
    private final boolean incoming;
    private final String kind;
    private final String typeName;
    private final boolean batch;

    RustMQChannelPayloadBuildItem(String channel, boolean incoming, PayloadType payload) {
        this.channel = channel;
        this.incoming = incoming;
        this.kind = payload.kind().name().toLowerCase(java.util.Locale.ROOT);
        this.typeName = payload.type().name().toString();
        this.batch = payload.batch();
    }

    /**
     * The channel name.
     *
     * @return the name as in {@code mp.messaging.incoming|outgoing.<name>}
     */
    public String channel() {
        return channel;
    }

    /**
     * The direction.
     *
     * @return {@code true} for an incoming channel
     */
    public boolean incoming() {
        return incoming;
    }

    /**
     * How the payload is converted.
     *
     * @return {@code string}, {@code bytes} or {@code json}
     */
    public String kind() {
        return kind;
    }

    /**
     * The payload (element) type.
     *
     * @return a binary class name, e.g. {@code com.acme.Order}
     */
    public String typeName() {
        return typeName;
    }

    /**
     * Whether the signature takes a {@code List} of payloads.
     *
     * @return {@code true} for batch mode
     */
    public boolean batch() {
        return batch;
    }

    @Override
    public String toString() {
        return (incoming ? "incoming " : "outgoing ") + channel + ": " + kind + " " + typeName
                + (batch ? " (batch)" : "");
    }
}
