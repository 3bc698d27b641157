package io.rustmq.client.protocol;

/**
 * The record header names of the protocol profile (DESIGN §4), in one place for the client and the embedded broker:
 * the idempotence pair the producer writes on the first record of each Produce request and the broker checks, and
 * the compression marker the producer writes and consumers read. Public API keeps its own names for them
 * ({@code Producer.PRODUCER_ID_HEADER}, {@code Compression.HEADER}), defined from these.
 */
public final class HeaderNames {
    /** The producer id of an idempotent request (UTF-8 text). */
    public static final String PRODUCER_ID = "rustmq-producer-id";
    /** The sequence number of the first record of an idempotent request (decimal text). */
    public static final String SEQUENCE = "rustmq-sequence";
    /** The codec of a compressed value: {@code lz4}, {@code zstd} or {@code gzip}. */
    public static final String COMPRESSION = "rustmq-compression";

    private HeaderNames() {
    }
}
