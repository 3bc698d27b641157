package io.rustmq.broker;

import io.rustmq.broker.group.GroupCoordinator;
import io.rustmq.broker.network.RequestProcessor;
import io.rustmq.broker.storage.PartitionLog;
import io.rustmq.broker.storage.ProducerStateTable;
import io.rustmq.broker.storage.Topic;
import io.rustmq.broker.storage.TopicRegistry;
import io.rustmq.client.protocol.CommitOffsetRequest;
import io.rustmq.client.protocol.CommitOffsetResponse;
import io.rustmq.client.protocol.ConsumerHeartbeatRequest;
import io.rustmq.client.protocol.ConsumerHeartbeatResponse;
import io.rustmq.client.protocol.FetchOffsetRequest;
import io.rustmq.client.protocol.FetchRequest;
import io.rustmq.client.protocol.FetchResponse;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.JoinGroupRequest;
import io.rustmq.client.protocol.LeaveGroupRequest;
import io.rustmq.client.protocol.LeaveGroupResponse;
import io.rustmq.client.protocol.MetadataRequest;
import io.rustmq.client.protocol.MetadataResponse;
import io.rustmq.client.protocol.PartitionMetadata;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.ProduceResponse;
import io.rustmq.client.protocol.Request;
import io.rustmq.client.protocol.TopicMetadata;
import io.rustmq.client.protocol.WireRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Turns decoded requests into response frames using the broker's state (spec §6 with DESIGN §4's profile) and its
 * view of the cluster (who leads which partition, who coordinates which group). Stateless apart from the shared state
 * objects, the counters and the drop-responses counter; thread-safe.
 */
final class BrokerRequestHandler implements RequestProcessor {
    /**
     * Cap on a fetch's size estimate in bytes, whatever {@code max_bytes} asks for, so that a response stays well
     * inside the client's default 64 MiB response limit and a Java array.
     */
    static final long MAX_FETCH_ESTIMATE = 64L << 20;
    /**
     * Fetch error code for an offset below the partition's log start (Kafka's OFFSET_OUT_OF_RANGE number); the
     * message is {@code OffsetOutOfRange: log start N, high watermark M}.
     */
    static final int OFFSET_OUT_OF_RANGE = 1;

    /**
     * Who this broker is, as reported to clients.
     *
     * @param brokerId the broker id
     * @param advertisedHost the host listed in Metadata (a wildcard bind address mapped to loopback)
     * @param bindHost the host as configured, returned by FindCoordinator
     * @param port the bound port
     */
    record Identity(String brokerId, String advertisedHost, String bindHost, int port) {
    }

    private final Identity self;
    private final TopicRegistry topics;
    private final GroupCoordinator groups;
    private final boolean autoCreateTopics;
    private final int defaultPartitions;
    private final LongSupplier wallClockMillis;
    private final AtomicInteger responsesToDrop;
    private final ClusterView cluster;
    private final BrokerCounters counters;

    BrokerRequestHandler(Identity self, TopicRegistry topics, GroupCoordinator groups, boolean autoCreateTopics,
                         int defaultPartitions, LongSupplier wallClockMillis, AtomicInteger responsesToDrop,
                         ClusterView cluster, BrokerCounters counters) {
        this.cluster = cluster;
        this.counters = counters;
        this.self = self;
        this.topics = topics;
        this.groups = groups;
        this.autoCreateTopics = autoCreateTopics;
        this.defaultPartitions = defaultPartitions;
        this.wallClockMillis = wallClockMillis;
        this.responsesToDrop = responsesToDrop;
    }

    @Override
    public byte[] process(Request request) {
        counters.onRequest(request);
        switch (request.type()) {
            case PRODUCE:
                return produce((ProduceRequest) request);
            case FETCH:
                return fetch((FetchRequest) request);
            case METADATA: {
                // Like Kafka, a Metadata request that names topics creates them when auto-creation is on, so that
                // producers learn the real partition count before their first send.
                if (autoCreateTopics) {
                    for (String t : ((MetadataRequest) request).topics()) {
                        if (!t.isEmpty()) {
                            topics.getOrCreate(t, defaultPartitions);
                        }
                    }
                }
                return Frames.encodeResponse(metadata());
            }
            case FIND_COORDINATOR:
                return Frames.encodeResponse(cluster.coordinator(self,
                        ((io.rustmq.client.protocol.FindCoordinatorRequest) request).groupId()));
            case JOIN_GROUP: {
                JoinGroupRequest r = (JoinGroupRequest) request;
                if (autoCreateTopics) {
                    for (String t : r.topics()) {
                        if (!t.isEmpty()) {
                            topics.getOrCreate(t, defaultPartitions);
                        }
                    }
                }
                return Frames.encodeResponse(groups.join(r.groupId(), r.memberId(), r.sessionTimeoutMs(),
                        r.topics()));
            }
            case CONSUMER_HEARTBEAT: {
                ConsumerHeartbeatRequest r = (ConsumerHeartbeatRequest) request;
                return Frames.encodeResponse(new ConsumerHeartbeatResponse(
                        groups.heartbeat(r.groupId(), r.memberId(), r.generationId())));
            }
            case COMMIT_OFFSET: {
                CommitOffsetRequest r = (CommitOffsetRequest) request;
                return Frames.encodeResponse(new CommitOffsetResponse(
                        groups.commit(r.groupId(), r.memberId(), r.generationId(), r.offsets())));
            }
            case FETCH_OFFSET: {
                FetchOffsetRequest r = (FetchOffsetRequest) request;
                return Frames.encodeResponse(groups.fetchOffsets(r.groupId(), r.topicPartitions()));
            }
            case LEAVE_GROUP: {
                LeaveGroupRequest r = (LeaveGroupRequest) request;
                return Frames.encodeResponse(new LeaveGroupResponse(groups.leave(r.groupId(), r.memberId())));
            }
            default:
                throw new IllegalStateException("unreachable: " + request.type());
        }
    }

    private byte[] produce(ProduceRequest r) {
        byte[] frame;
        if (r.records().isEmpty()) {
            // As shipped: nothing stored, offset 0, even for unknown partitions.
            frame = Frames.encodeResponse(new ProduceResponse(0, 0, null));
        } else {
            Topic topic = topics.get(r.topic());
            if (topic == null && autoCreateTopics && !r.topic().isEmpty()) {
                topic = topics.getOrCreate(r.topic(), defaultPartitions);
            }
            PartitionLog log = topic == null ? null : topic.partition(r.partitionId());
            if (log == null) {
                frame = Frames.encodeError("Error: Partition not found: " + r.topic() + ":"
                        + Integer.toUnsignedString(r.partitionId()));
            } else if (!self.brokerId().equals(cluster.leader(self, r.topic(), r.partitionId(),
                    topic.partitionCount()))) {
                counters.onNotLeader();
                frame = Frames.encodeError("Error: Not leader for partition: " + r.topic() + ":"
                        + Integer.toUnsignedString(r.partitionId()));
            } else {
                PartitionLog.AppendResult result;
                try {
                    result = log.append(r.records(), wallClockMillis.getAsLong());
                } catch (ProducerStateTable.SequenceException e) {
                    return Frames.encodeError("Error: " + e.getMessage()); // nothing stored: never dropped
                }
                frame = Frames.encodeResponse(new ProduceResponse(result.firstOffset(), 0, null));
            }
        }
        if (responsesToDrop.get() > 0 && responsesToDrop.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return null;
        }
        return frame;
    }

    private byte[] fetch(FetchRequest r) {
        PartitionLog log = topics.partition(r.topic(), r.partitionId());
        if (log == null) {
            return Frames.encodeResponse(new FetchResponse(List.of(), 0, 0, null));
        }
        long maxBytes = Math.min(Integer.toUnsignedLong(r.maxBytes()), MAX_FETCH_ESTIMATE);
        List<WireRecord> records;
        try {
            records = log.read(r.fetchOffset(), maxBytes);
        } catch (PartitionLog.OffsetOutOfRangeException e) {
            // Below the log start (retention dropped those records): empty, the log end, Kafka's error number and a
            // text that carries the log start, so that the client can reset per its start position.
            return Frames.encodeResponse(new FetchResponse(List.of(), e.highWatermark(), OFFSET_OUT_OF_RANGE,
                    e.getMessage()));
        }
        return Frames.encodeResponse(new FetchResponse(records, log.logEndOffset(), 0, null));
    }

    private MetadataResponse metadata() {
        List<String> replicas = cluster.replicas(self);
        List<TopicMetadata> tms = new ArrayList<>();
        for (Topic t : topics.topics()) {
            List<PartitionMetadata> ps = new ArrayList<>(t.partitionCount());
            for (int p = 0; p < t.partitionCount(); p++) {
                ps.add(new PartitionMetadata(p, cluster.leader(self, t.name(), p, t.partitionCount()), replicas));
            }
            tms.add(new TopicMetadata(t.name(), ps));
        }
        return new MetadataResponse(cluster.brokers(self), tms);
    }
}
