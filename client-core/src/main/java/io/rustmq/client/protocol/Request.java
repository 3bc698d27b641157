package io.rustmq.client.protocol;

/**
 * A request body: one of the nine request structs of spec §6. Encoded after its type byte by {@link Frames}.
 */
public sealed interface Request permits ProduceRequest, FetchRequest, MetadataRequest, FindCoordinatorRequest,
        JoinGroupRequest, ConsumerHeartbeatRequest, CommitOffsetRequest, FetchOffsetRequest, LeaveGroupRequest {

    /**
     * The type byte this request is sent with.
     *
     * @return the request type
     */
    RequestType type();

    /**
     * Appends this request's bincode body (without the type byte).
     *
     * @param w the writer
     */
    void encode(BincodeWriter w);
}
