package io.rustmq.client;

/**
 * A consumer-group request failed with an error code: 16 unknown group, 22 illegal generation, 25 unknown member,
 * 27 rebalance in progress, 1 commit write failed. Retriable: the member rejoins and tries again.
 */
public class GroupCoordinationException extends RustMQException {
    private static final long serialVersionUID = 1L;

    /** Error code: the group is unknown to the broker. */
    public static final int UNKNOWN_GROUP = 16;
    /** Error code: the generation in the request is not the group's. */
    public static final int ILLEGAL_GENERATION = 22;
    /** Error code: the member id is not in the group. */
    public static final int UNKNOWN_MEMBER = 25;
    /** Error code: the group is rebalancing. */
    public static final int REBALANCE_IN_PROGRESS = 27;

    private final int errorCode;

    /**
     * Creates an exception.
     *
     * @param operation the request that failed (for example "CommitOffset")
     * @param groupId the group
     * @param errorCode the broker's error code
     */
    public GroupCoordinationException(String operation, String groupId, int errorCode) {
        super(operation + " for group '" + groupId + "' failed with error code " + errorCode + " ("
                + describe(errorCode) + ")", null, true);
        this.errorCode = errorCode;
    }

    /**
     * The broker's error code.
     *
     * @return 1, 16, 22, 25 or 27 (or another code a future broker may send)
     */
    public int errorCode() {
        return errorCode;
    }

    /**
     * A short description of a group error code.
     *
     * @param code the code from a response
     * @return its meaning, or "unknown error code"
     */
    public static String describe(int code) {
        switch (code) {
            case 0: return "ok";
            case 1: return "commit write failed";
            case UNKNOWN_GROUP: return "unknown group";
            case ILLEGAL_GENERATION: return "illegal generation";
            case UNKNOWN_MEMBER: return "unknown member";
            case REBALANCE_IN_PROGRESS: return "rebalance in progress";
            default: return "unknown error code";
        }
    }
}
