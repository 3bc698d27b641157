package io.rustmq.client.consumer;

import io.rustmq.client.protocol.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Reads messages of one or more topics as a member of a consumer group. Messages are acknowledged one by one with
 * {@link ConsumerMessage#ack()}; committed offsets only ever cover a contiguous run of acknowledged messages, so a
 * restart never skips an unacknowledged one (at-least-once). Thread-safe; close when done, which commits and leaves
 * the group.
 */
public interface Consumer extends AutoCloseable {
    /**
     * Waits for the next message.
     *
     * @param timeout the most time to wait
     * @return the message, or {@code null} if none arrived in time
     * @throws io.rustmq.client.RustMQException if the consumer is closed or failed
     */
    ConsumerMessage receive(Duration timeout);

    /**
     * Waits for at least one message and returns all that are buffered, up to {@code fetchSize}.
     *
     * @param timeout the most time to wait for the first message
     * @return the messages, empty if none arrived in time
     */
    List<ConsumerMessage> poll(Duration timeout);

    /**
     * Commits the acknowledged offsets now and waits for the broker.
     *
     * @throws io.rustmq.client.RustMQException if the commit fails
     */
    void commit();

    /**
     * Commits the acknowledged offsets without waiting.
     *
     * @return completes when the broker has stored them
     */
    CompletableFuture<Void> commitAsync();

    /**
     * The partitions currently assigned to this member.
     *
     * @return an immutable snapshot
     */
    Set<TopicPartition> assignment();

    /**
     * The group this consumer belongs to.
     *
     * @return the group id
     */
    String group();

    /** Commits acknowledged offsets, leaves the group and releases resources. Idempotent. */
    @Override
    void close();
}
