package io.rustmq.client.protocol;

/**
 * The request-type byte that starts every request frame and is echoed by every success response (spec §3.2).
 */
public enum RequestType {
    /** Append records to one partition. */
    PRODUCE(1),
    /** Read records of one partition from an offset. */
    FETCH(2),
    /** List brokers, topics and partition leaders. */
    METADATA(3),
    /** Find the broker that coordinates a consumer group. */
    FIND_COORDINATOR(4),
    /** Join (or rejoin) a consumer group and receive the assignment. */
    JOIN_GROUP(5),
    /** Keep a group membership alive. */
    CONSUMER_HEARTBEAT(6),
    /** Store committed offsets for a group. */
    COMMIT_OFFSET(7),
    /** Read committed offsets of a group. */
    FETCH_OFFSET(8),
    /** Leave a consumer group. */
    LEAVE_GROUP(9);

    /** The first byte of an error response frame, followed by UTF-8 text. */
    public static final int ERROR_MARKER = 0xFF;

    private static final RequestType[] BY_CODE = new RequestType[10];

    static {
        for (RequestType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    RequestType(int code) {
        this.code = code;
    }

    /**
     * The byte that identifies this type on the wire.
     *
     * @return 1 to 9
     */
    public int code() {
        return code;
    }

    /**
     * Looks up a type by its wire byte.
     *
     * @param code the first byte of a frame, 0 to 255
     * @return the type, or {@code null} when the byte is not a request type (1 to 9)
     */
    public static RequestType fromCode(int code) {
        return code >= 1 && code <= 9 ? BY_CODE[code] : null;
    }
}
