package io.rustmq.client.protocol;

/**
 * A success response body: one of the nine response structs of spec §6. Encoded after the echoed type byte by
 * {@link Frames}.
 */
public sealed interface Response permits ProduceResponse, FetchResponse, MetadataResponse, FindCoordinatorResponse,
        JoinGroupResponse, ConsumerHeartbeatResponse, CommitOffsetResponse, FetchOffsetResponse, LeaveGroupResponse {

    /**
     * The type byte this response is sent with (the request's, echoed).
     *
     * @return the request type
     */
    RequestType type();

    /**
     * Appends this response's bincode body (without the type byte).
     *
     * @param w the writer
     */
    void encode(BincodeWriter w);
}
