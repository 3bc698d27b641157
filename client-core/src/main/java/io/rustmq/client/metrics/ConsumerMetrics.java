package io.rustmq.client.metrics;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rustmq.client.TopicPartition;

import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable snapshot of a consumer's counters, taken by {@code Consumer.metrics()}. Counters run from the
 * consumer's creation.
 *
 * @param group the consumer group
 * @param messagesReceived deliveries handed to the application (redeliveries included)
 * @param messagesProcessed messages the application acknowledged
 * @param messagesNacked negative acknowledgments (each nack of a redelivered message counts again), plus records
 *     whose compressed value was corrupt
 * @param messagesDeadLettered messages stored in the dead-letter topic
 * @param lag per assigned partition whose high watermark is known: high watermark minus the next offset to hand to
 *     the application, as of the latest fetch response (never negative); immutable
 * @param totalLag the sum of {@code lag}
 * @param lastReceiveTime when a message was last handed to the application, or {@code null} if never
 * @param positionResets positions reset because they fell outside the log (past the high watermark, or below the
 *     log start), per the consumer's start position
 * @param deadLetterFailures messages given up on because the dead-letter topic could not store them (then
 *     acknowledged so that commits move on)
 */
public record ConsumerMetrics(String group, long messagesReceived, long messagesProcessed, long messagesNacked,
                              long messagesDeadLettered, Map<TopicPartition, Long> lag, long totalLag,
                              Instant lastReceiveTime, long positionResets, long deadLetterFailures) {
    /**
     * A snapshot without position resets or dead-letter failures.
     *
     * @param group the consumer group
     * @param messagesReceived deliveries handed to the application
     * @param messagesProcessed messages acknowledged
     * @param messagesNacked negative acknowledgments
     * @param messagesDeadLettered messages stored in the dead-letter topic
     * @param lag per-partition lag
     * @param totalLag the sum of {@code lag}
     * @param lastReceiveTime when a message was last handed out, or {@code null}
     */
    public ConsumerMetrics(String group, long messagesReceived, long messagesProcessed, long messagesNacked,
                           long messagesDeadLettered, Map<TopicPartition, Long> lag, long totalLag,
                           Instant lastReceiveTime) {
        this(group, messagesReceived, messagesProcessed, messagesNacked, messagesDeadLettered, lag, totalLag,
                lastReceiveTime, 0, 0);
    }

    /**
     * Copies the lag map.
     *
     * @throws NullPointerException if {@code group} or {@code lag} is null
     */
    public ConsumerMetrics {
        Objects.requireNonNull(group, "group");
        lag = Map.copyOf(lag);
    }

    /**
     * The lag of one partition.
     *
     * @param partition the partition
     * @return its lag, or -1 when it is not assigned or its high watermark is not known yet
     */
    public long lagOf(TopicPartition partition) {
        Long l = lag.get(partition);
        return l == null ? -1 : l;
    }

    /**
     * This snapshot as a JSON object: field names as the record components, {@code lag} as an object keyed
     * {@code "topic-partition"} in topic and partition order, {@code lastReceiveTime} as ISO-8601 or null.
     *
     * @return compact JSON text
     */
    public String toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("group", group);
        n.put("messagesReceived", messagesReceived);
        n.put("messagesProcessed", messagesProcessed);
        n.put("messagesNacked", messagesNacked);
        n.put("messagesDeadLettered", messagesDeadLettered);
        ObjectNode l = n.putObject("lag");
        lag.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(TopicPartition::topic)
                        .thenComparing(TopicPartition::partition, Integer::compareUnsigned)))
                .forEach(e -> l.put(e.getKey().toString(), e.getValue()));
        n.put("totalLag", totalLag);
        if (lastReceiveTime == null) {
            n.putNull("lastReceiveTime");
        } else {
            n.put("lastReceiveTime", lastReceiveTime.toString());
        }
        n.put("positionResets", positionResets);
        n.put("deadLetterFailures", deadLetterFailures);
        return n.toString();
    }
}
