package io.rustmq.client.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Type 5 response (spec §6.5). The map holds the assignment of every member; look up your own {@code memberId}.
 *
 * @param generationId the group's generation ({@code u64})
 * @param memberId this member's id (the one sent, or a new one)
 * @param leaderId the leader's member id
 * @param assignedPartitions member id to its partitions, in wire order; members with nothing are absent
 * @param errorCode always 0 on the shipped broker
 */
public record JoinGroupResponse(long generationId, String memberId, String leaderId,
                                Map<String, List<TopicPartition>> assignedPartitions, int errorCode)
        implements Response {
    /**
     * Checks the fields.
     *
     * @throws NullPointerException if a field is null
     */
    public JoinGroupResponse {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(leaderId, "leaderId");
        Objects.requireNonNull(assignedPartitions, "assignedPartitions");
    }

    /**
     * This member's partitions.
     *
     * @return the partitions assigned to {@link #memberId()}, empty if none
     */
    public List<TopicPartition> ownAssignment() {
        return assignedPartitions.getOrDefault(memberId, List.of());
    }

    @Override
    public RequestType type() {
        return RequestType.JOIN_GROUP;
    }

    @Override
    public void encode(BincodeWriter w) {
        w.u64(generationId).string(memberId).string(leaderId).length(assignedPartitions.size());
        for (Map.Entry<String, List<TopicPartition>> e : assignedPartitions.entrySet()) {
            w.string(e.getKey());
            Lists.write(w, e.getValue(), TopicPartition::encode);
        }
        w.u32(errorCode);
    }

    /**
     * Reads one value. A repeated member id keeps the last value, as bincode's map decoding does.
     *
     * @param r the reader
     * @return the value
     */
    public static JoinGroupResponse decode(BincodeReader r) {
        long generation = r.u64();
        String member = r.string();
        String leader = r.string();
        int n = r.length(16, "assigned_partitions");
        Map<String, List<TopicPartition>> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            map.put(r.string(), Lists.read(r, TopicPartition.MIN_SIZE, "partitions", TopicPartition::decode));
        }
        return new JoinGroupResponse(generation, member, leader, Collections.unmodifiableMap(map), r.u32());
    }
}
