package io.rustmq.broker.storage;

import java.time.Duration;

/**
 * How much of a partition's log is kept: whole records are dropped from the front once the partition holds more
 * than {@code maxBytes} (counted as {@link PartitionLog#retainedSize}) or once a record is older than
 * {@code maxAgeMs} by the broker's clock. The log start offset moves forward as records are dropped.
 *
 * @param maxBytes the most bytes one partition retains, or {@link #UNLIMITED}
 * @param maxAgeMs the age in milliseconds after which a record is dropped, or {@link #UNLIMITED}
 */
public record RetentionPolicy(long maxBytes, long maxAgeMs) {
    /** No limit. */
    public static final long UNLIMITED = -1;
    /** The default size limit per partition: 256 MiB. */
    public static final long DEFAULT_MAX_BYTES = 256L << 20;
    /** The broker-wide default: 256 MiB per partition, no age limit. */
    public static final RetentionPolicy DEFAULT = new RetentionPolicy(DEFAULT_MAX_BYTES, UNLIMITED);
    /** Keeps everything. */
    public static final RetentionPolicy KEEP_ALL = new RetentionPolicy(UNLIMITED, UNLIMITED);

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException naming the field if a limit is neither positive nor {@link #UNLIMITED}
     */
    public RetentionPolicy {
        checkBytes("retentionBytes", maxBytes);
        checkMillis("retentionMs", maxAgeMs);
    }

    /**
     * Checks a size limit for a builder or command line.
     *
     * @param field the field name for the message
     * @param bytes a positive number of bytes, or -1 for unlimited
     * @throws IllegalArgumentException naming the field otherwise
     */
    public static void checkBytes(String field, long bytes) {
        if (bytes != UNLIMITED && bytes < 1) {
            throw new IllegalArgumentException(field + " must be positive bytes or -1 for unlimited, got " + bytes);
        }
    }

    /**
     * Checks an age limit for a builder or command line.
     *
     * @param field the field name for the message
     * @param millis a positive number of milliseconds, or -1 for unlimited
     * @throws IllegalArgumentException naming the field otherwise
     */
    public static void checkMillis(String field, long millis) {
        if (millis != UNLIMITED && millis < 1) {
            throw new IllegalArgumentException(field + " must be positive milliseconds or -1 for unlimited, got "
                    + millis);
        }
    }

    /**
     * This policy with another size limit.
     *
     * @param bytes positive, or {@link #UNLIMITED}
     * @return a new policy
     * @throws IllegalArgumentException if out of range
     */
    public RetentionPolicy withMaxBytes(long bytes) {
        return new RetentionPolicy(bytes, maxAgeMs);
    }

    /**
     * This policy with another age limit.
     *
     * @param millis positive, or {@link #UNLIMITED}
     * @return a new policy
     * @throws IllegalArgumentException if out of range
     */
    public RetentionPolicy withMaxAgeMs(long millis) {
        return new RetentionPolicy(maxBytes, millis);
    }

    @Override
    public String toString() {
        return "retention " + (maxBytes == UNLIMITED ? "unlimited bytes" : maxBytes + " bytes") + " per partition, "
                + (maxAgeMs == UNLIMITED ? "no age limit" : "age " + Duration.ofMillis(maxAgeMs).toString().substring(2)
                .toLowerCase(java.util.Locale.ROOT));
    }
}
