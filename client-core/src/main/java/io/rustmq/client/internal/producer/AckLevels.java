package io.rustmq.client.internal.producer;

import io.rustmq.client.producer.AckLevel;
import io.rustmq.client.protocol.AcknowledgmentLevel;

/** Maps the producer's public {@link AckLevel} to the wire codec's {@link AcknowledgmentLevel}. */
public final class AckLevels {
    private AckLevels() {
    }

    /**
     * The wire value of an acknowledgment level.
     *
     * @param level the configured level, not null
     * @return the protocol enum value
     */
    public static AcknowledgmentLevel toWire(AckLevel level) {
        switch (level.kind()) {
            case NONE: return AcknowledgmentLevel.NONE;
            case LEADER: return AcknowledgmentLevel.LEADER;
            case MAJORITY: return AcknowledgmentLevel.MAJORITY;
            case ALL: return AcknowledgmentLevel.ALL;
            default: return AcknowledgmentLevel.custom(level.replicas());
        }
    }
}
