package io.rustmq.client.producer;

import java.util.Objects;

/**
 * How many replicas must have a record before the broker answers a Produce request, as the producer asks for it
 * ({@link ProducerConfig.Builder#ackLevel(AckLevel)}). Maps one to one to the wire enum
 * {@code AcknowledgmentLevel} (spec §5.5). The shipped broker answers only after its local append whatever the
 * level (spec §6.1), so {@link #NONE} is not fire-and-forget.
 *
 * @param kind the level
 * @param replicas the replica count for {@link Kind#CUSTOM}; 0 for every other kind
 */
public record AckLevel(Kind kind, long replicas) {
    /** The levels, in wire order. */
    public enum Kind {
        /** No acknowledgment asked for (the broker still answers after the append). */
        NONE,
        /** The leader's local append. */
        LEADER,
        /** A majority of replicas. */
        MAJORITY,
        /** All in-sync replicas. */
        ALL,
        /** A given number of replicas. */
        CUSTOM
    }

    /** No acknowledgment asked for. */
    public static final AckLevel NONE = new AckLevel(Kind.NONE, 0);
    /** The leader's append. */
    public static final AckLevel LEADER = new AckLevel(Kind.LEADER, 0);
    /** A majority of replicas. */
    public static final AckLevel MAJORITY = new AckLevel(Kind.MAJORITY, 0);
    /** All in-sync replicas (the default). */
    public static final AckLevel ALL = new AckLevel(Kind.ALL, 0);

    /**
     * Checks the shape; the replica count of {@link Kind#CUSTOM} is validated by {@link ProducerConfig.Builder#build()}.
     *
     * @throws NullPointerException if {@code kind} is null
     * @throws IllegalArgumentException if {@code replicas} is set for a kind other than CUSTOM
     */
    public AckLevel {
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.CUSTOM && replicas != 0) {
            throw new IllegalArgumentException("replicas is only meaningful for CUSTOM, got " + replicas);
        }
    }

    /**
     * A given number of replicas ({@code Custom(n)} on the wire).
     *
     * @param replicas at least 1 (checked when the producer configuration is built)
     * @return the level
     */
    public static AckLevel custom(long replicas) {
        return new AckLevel(Kind.CUSTOM, replicas);
    }

    @Override
    public String toString() {
        return kind == Kind.CUSTOM ? "custom(" + replicas + ")" : kind.name();
    }
}
