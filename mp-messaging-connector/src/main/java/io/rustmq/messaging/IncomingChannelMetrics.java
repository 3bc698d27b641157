package io.rustmq.messaging;

import io.rustmq.client.TopicPartition;

import java.util.Set;

/**
 * A snapshot of an incoming channel's backpressure and processing state, from
 * {@link RustMQConnector#getIncomingMetrics(String)}; the same figures appear in its readiness details.
 *
 * @param channel the channel
 * @param queuedRecords records waiting for downstream demand now
 * @param queuedBytes their encoded size in bytes
 * @param maxQueuedRecords the most records ever waiting at once
 * @param inProcessing records handed downstream and not yet acknowledged or nacked
 * @param pausedPartitions partitions paused by backpressure now
 * @param pauses how many times backpressure paused the partitions
 * @param resumes how many times it resumed them
 * @param received records taken from the consumer
 * @param acked records acknowledged
 * @param nacked records nacked
 * @param assignment the partitions assigned to the channel's consumer
 */
public record IncomingChannelMetrics(String channel, int queuedRecords, long queuedBytes, int maxQueuedRecords,
                                     int inProcessing, Set<TopicPartition> pausedPartitions, long pauses,
                                     long resumes, long received, long acked, long nacked,
                                     Set<TopicPartition> assignment) {
    /**
     * Copies the sets.
     */
    public IncomingChannelMetrics {
        pausedPartitions = Set.copyOf(pausedPartitions);
        assignment = Set.copyOf(assignment);
    }
}
