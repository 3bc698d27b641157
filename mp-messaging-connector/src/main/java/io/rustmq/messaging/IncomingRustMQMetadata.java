package io.rustmq.messaging;

import io.rustmq.client.Headers;
import io.rustmq.client.consumer.ConsumerMessage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Where an incoming message came from: attached to every message of a {@code smallrye-rustmq} incoming channel
 * (read it with {@code message.getMetadata(IncomingRustMQMetadata.class)}). Immutable.
 */
public final class IncomingRustMQMetadata {
    private final ConsumerMessage record;
    private final String consumerGroup;
    private final String channel;

    /**
     * Describes a received record.
     *
     * @param record the record as the consumer delivered it
     * @param consumerGroup the group that read it
     * @param channel the channel it arrived on
     */
    public IncomingRustMQMetadata(ConsumerMessage record, String consumerGroup, String channel) {
        this.record = record;
        this.consumerGroup = consumerGroup;
        this.channel = channel;
    }

    /**
     * The topic the record was read from.
     *
     * @return the topic
     */
    public String getTopic() {
        return record.topic();
    }

    /**
     * The partition it was read from.
     *
     * @return the partition
     */
    public int getPartition() {
        return record.partition();
    }

    /**
     * Its offset in the partition.
     *
     * @return the offset
     */
    public long getOffset() {
        return record.offset();
    }

    /**
     * The key bytes (not copied: do not modify).
     *
     * @return the key, or {@code null}
     */
    public byte[] getKeyBytes() {
        return record.key();
    }

    /**
     * The key as UTF-8 text.
     *
     * @return the key, or {@code null}
     */
    public String getKey() {
        byte[] key = record.key();
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    /**
     * The record's headers.
     *
     * @return the headers, never null
     */
    public Headers getHeaders() {
        return record.headers();
    }

    /**
     * The broker's timestamp (when it stored the record).
     *
     * @return the instant
     */
    public Instant getTimestamp() {
        return record.timestampInstant();
    }

    /**
     * The consumer group that read the record.
     *
     * @return the group id
     */
    public String getConsumerGroup() {
        return consumerGroup;
    }

    /**
     * How many times the record has been delivered, this delivery included (above 1 after a nack with
     * {@code failure-strategy=delayed-retry}).
     *
     * @return 1 for a first delivery
     */
    public int getDeliveryCount() {
        return record.deliveryCount();
    }

    /**
     * The channel the record arrived on (for concurrent channels, the copy's name, such as {@code orders$2}).
     *
     * @return the channel name
     */
    public String getChannel() {
        return channel;
    }

    /**
     * The consumer's record itself, for its ack/nack state and raw bytes. Acknowledge through the MicroProfile
     * message, not this record, so the connector's commit and failure strategies apply.
     *
     * @return the record
     */
    public ConsumerMessage getRecord() {
        return record;
    }

    @Override
    public String toString() {
        return "IncomingRustMQMetadata{" + getTopic() + "-" + getPartition() + "@" + getOffset() + ", key="
                + getKey() + ", group=" + consumerGroup + ", delivery=" + getDeliveryCount() + "}";
    }
}
