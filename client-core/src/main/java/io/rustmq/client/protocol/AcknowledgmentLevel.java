package io.rustmq.client.protocol;

import java.util.Objects;

/**
 * The acks enum of a Produce request (spec §5.5): {@code u32} variant index, plus a {@code u64} for Custom.
 *
 * @param kind the variant
 * @param replicas the replica count for {@link Kind#CUSTOM}; 0 for the other variants
 */
public record AcknowledgmentLevel(Kind kind, long replicas) {
    /** The variants, in wire-index order. */
    public enum Kind {
        /** Index 0: local append only (the broker still answers after the append). */
        NONE,
        /** Index 1: the leader's local append. */
        LEADER,
        /** Index 2: a majority of replicas. */
        MAJORITY,
        /** Index 3: all in-sync replicas. */
        ALL,
        /** Index 4: a given number of replicas. */
        CUSTOM
    }

    /** Acks {@code None}. */
    public static final AcknowledgmentLevel NONE = new AcknowledgmentLevel(Kind.NONE, 0);
    /** Acks {@code Leader}. */
    public static final AcknowledgmentLevel LEADER = new AcknowledgmentLevel(Kind.LEADER, 0);
    /** Acks {@code Majority}. */
    public static final AcknowledgmentLevel MAJORITY = new AcknowledgmentLevel(Kind.MAJORITY, 0);
    /** Acks {@code All}. */
    public static final AcknowledgmentLevel ALL = new AcknowledgmentLevel(Kind.ALL, 0);

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException if {@code replicas} is set for a variant other than CUSTOM
     */
    public AcknowledgmentLevel {
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.CUSTOM && replicas != 0) {
            throw new IllegalArgumentException("replicas is only meaningful for CUSTOM, got " + replicas);
        }
    }

    /**
     * Acks {@code Custom(n)}.
     *
     * @param replicas the number of replicas, as an unsigned 64-bit value
     * @return the level
     */
    public static AcknowledgmentLevel custom(long replicas) {
        return new AcknowledgmentLevel(Kind.CUSTOM, replicas);
    }

    /**
     * Appends the bincode encoding.
     *
     * @param w the writer
     */
    public void encode(BincodeWriter w) {
        w.u32(kind.ordinal());
        if (kind == Kind.CUSTOM) {
            w.u64(replicas);
        }
    }

    /**
     * Reads one value.
     *
     * @param r the reader
     * @return the value
     */
    public static AcknowledgmentLevel decode(BincodeReader r) {
        Kind kind = Kind.values()[r.enumIndex(5, "AcknowledgmentLevel")];
        switch (kind) {
            case NONE: return NONE;
            case LEADER: return LEADER;
            case MAJORITY: return MAJORITY;
            case ALL: return ALL;
            default: return custom(r.u64());
        }
    }
}
