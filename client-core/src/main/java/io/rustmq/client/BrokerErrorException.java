package io.rustmq.client;

import java.util.Locale;

/**
 * The broker answered with an error frame ({@code 0xFF} followed by text). The text is kept verbatim in
 * {@link #brokerMessage()}; it is meant for people and is not a stable API. {@link #getMessage()} carries it once,
 * after the single prefix {@code "Broker error: "} (the broker's own {@code "Error: "} is not repeated).
 *
 * <p>Whether it is retriable, and what it means, comes from one table: {@link Kind} (see there).
 */
public class BrokerErrorException extends RustMQException {
    private static final long serialVersionUID = 1L;

    /** The prefix every error frame of the broker starts with (spec §3.3). */
    private static final String BROKER_PREFIX = "Error: ";

    private final String brokerMessage;
    private final Kind kind;

    /**
     * Creates an exception from the broker's error text, classified by {@link Kind#of(String)}.
     *
     * @param brokerMessage the UTF-8 text after the {@code 0xFF} byte, as sent
     */
    public BrokerErrorException(String brokerMessage) {
        this(brokerMessage, Kind.of(brokerMessage));
    }

    private BrokerErrorException(String brokerMessage, Kind kind) {
        super("Broker error: " + withoutPrefix(brokerMessage), null, kind.retriable());
        this.brokerMessage = brokerMessage;
        this.kind = kind;
    }

    /**
     * The text the broker sent, verbatim.
     *
     * @return the error text, usually starting with {@code "Error: "}
     */
    public String brokerMessage() {
        return brokerMessage;
    }

    /**
     * What the broker's error means, from the classification table.
     *
     * @return the kind; {@link Kind#UNKNOWN} for a text the table does not list
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The broker's text without its leading {@code "Error: "}.
     *
     * @param text an error text, or {@code null}
     * @return the text without the prefix; {@code ""} for {@code null}
     */
    static String withoutPrefix(String text) {
        if (text == null) {
            return "";
        }
        return text.startsWith(BROKER_PREFIX) ? text.substring(BROKER_PREFIX.length()) : text;
    }

    /**
     * The one table of broker error texts (DESIGN §4, spec §3.3 and §9), by prefix after {@code "Error: "}: what
     * each means and whether sending the same request again may succeed. The texts are matched by prefix only
     * (spec B14: their tails vary); the first matching row wins. Also used for the {@code error_message} of a
     * response struct (Fetch's {@code "Failed to fetch records"}), which has no {@code "Error: "} prefix.
     */
    public enum Kind {
        /** {@code Not leader for partition: t:p}: the partition moved; refresh Metadata and resend. Retriable. */
        NOT_LEADER("Not leader for partition", true),
        /** {@code Partition not found: t:p}: the broker does not host it (yet); refresh Metadata. Retriable. */
        PARTITION_NOT_FOUND("Partition not found", true),
        /** {@code Serialization error: io error…}: the broker read the request only in part (spec B1). Retriable. */
        TRUNCATED_REQUEST("Serialization error: io error", true),
        /** {@code Serialization error: …} otherwise: the request is malformed; it fails again. Not retriable. */
        MALFORMED_REQUEST("Serialization error", false),
        /**
         * {@code OutOfOrderSequence: expected N, got M}: an idempotent Produce arrived before an earlier one;
         * nothing was stored; resend in order. Retriable.
         */
        OUT_OF_ORDER_SEQUENCE("OutOfOrderSequence", true),
        /**
         * {@code DuplicateSequence: …}: an idempotent Produce below the expected sequence that the broker no longer
         * remembers; resending cannot help. Not retriable.
         */
        DUPLICATE_SEQUENCE("DuplicateSequence", false),
        /**
         * {@code OffsetOutOfRange…}: a Fetch position outside the log; resending the same position fails again, so
         * the consumer resets its position per its start position instead. Not retriable.
         */
        OFFSET_OUT_OF_RANGE("OffsetOutOfRange", false),
        /** {@code Failed to fetch records} (Fetch {@code error_code 1}): a storage read failed. Retriable. */
        FETCH_FAILED("Failed to fetch records", true),
        /** {@code Request too large: …}: the frame is over the broker's limit. Not retriable. */
        REQUEST_TOO_LARGE("Request too large", false),
        /** {@code Wal error}, {@code IO error}, {@code Storage error}: a storage failure. Retriable. */
        STORAGE("Wal error|IO error|Storage error", true),
        /** {@code Configuration error: Broker core not initialized}: the broker is starting. Retriable. */
        NOT_READY("Configuration error: Broker core not initialized", true),
        /** {@code Authorization denied: …}: the principal lacks the permission. Not retriable. */
        AUTHORIZATION_DENIED("Authorization denied", false),
        /** Any other text (including {@code Internal error}): not retriable, since resending would repeat it. */
        UNKNOWN("", false);

        private final String[] prefixes;
        private final boolean retriable;

        Kind(String prefixes, boolean retriable) {
            this.prefixes = prefixes.isEmpty() ? new String[0] : prefixes.split("\\|");
            this.retriable = retriable;
        }

        /**
         * Whether a request that failed with this kind may succeed if sent again unchanged.
         *
         * @return {@code true} if retriable
         */
        public boolean retriable() {
            return retriable;
        }

        /**
         * Whether this error means that the client's routing is stale and Metadata should be asked again.
         *
         * @return {@code true} for {@link #NOT_LEADER} and {@link #PARTITION_NOT_FOUND}
         */
        public boolean staleRouting() {
            return this == NOT_LEADER || this == PARTITION_NOT_FOUND;
        }

        /**
         * Classifies a broker error text by the table.
         *
         * @param text the text after {@code 0xFF} (with or without {@code "Error: "}), or a response's error
         *     message; {@code null} is {@link #UNKNOWN}
         * @return the first kind whose prefix the text starts with (ignoring case), else {@link #UNKNOWN}
         */
        public static Kind of(String text) {
            String t = withoutPrefix(text).trim().toLowerCase(Locale.ROOT);
            for (Kind k : values()) {
                for (String p : k.prefixes) {
                    if (t.startsWith(p.toLowerCase(Locale.ROOT))) {
                        return k;
                    }
                }
            }
            return UNKNOWN;
        }
    }
}
