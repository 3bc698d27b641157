package io.rustmq.client.consumer;

import io.rustmq.client.metrics.ConsumerMetrics;
import io.rustmq.client.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * Reads messages of one or more topics as a member of a consumer group. The group splits the topics' partitions
 * among its members; a background member thread joins, follows rebalances, commits and fetches ahead, and a heartbeat
 * thread keeps the membership alive (every {@link ConsumerConfig#heartbeatInterval()}, 3 s by default, never held up
 * by a commit). If no heartbeat succeeds for the session timeout, delivery stops until the member has rejoined.
 *
 * <p><b>Hand-over.</b> A member that gains partitions while the group has other members reads them after
 * {@link ConsumerConfig#handoverDelay()} (default twice the heartbeat interval: 6 s), the time their previous owner
 * needs to notice the rebalance and commit what it acknowledged; a member alone in its group reads at once.
 *
 * <p><b>Positions outside the log.</b> A position past the partition's end (a stale committed offset) or below its
 * start (records removed by retention) is reset per the {@link ConsumerConfig#startPosition()}: {@code earliest} to
 * the log start, {@code latest} to the end, an explicit offset or timestamp to the earliest valid offset; each reset
 * logs one warning and counts in {@link ConsumerMetrics#positionResets()}.
 *
 * <p>Messages are acknowledged one by one with {@link ConsumerMessage#ack()}; a committed offset is always the
 * first unacknowledged offset of its partition (the next one to read), so a restart or a rebalance never skips an
 * unacknowledged message (at-least-once). {@link ConsumerMessage#nack(Throwable)} redelivers a message after a
 * backoff and, once its redeliveries are exhausted, moves it to the dead-letter topic; it never blocks or does I/O on
 * the calling thread. A message the dead-letter topic cannot store after
 * {@link ConsumerConfig#maxDeadLetterAttempts()} attempts is reported ({@link DeadLetterFailureListener}, a warning,
 * {@link ConsumerMetrics#deadLetterFailures()}) and acknowledged, so commits never freeze.
 *
 * <p>A value whose compressed form is corrupt is never handed to the application: with a dead-letter topic it goes
 * there (value and headers as stored, reason in {@link DeadLetterHeaders#REASON}); without one, the next
 * {@link #receive}/{@link #poll} call throws a {@link io.rustmq.client.ProtocolException} naming its topic,
 * partition and offset, and the record is skipped (acknowledged) so that the partition does not stall.
 *
 * <p>Thread-safe; close when done, which commits acknowledged offsets and leaves the group.
 */
public interface Consumer extends AutoCloseable {
    /**
     * Waits for the next message.
     *
     * @param timeout the most time to wait
     * @return the message, or {@code null} if none arrived in time
     * @throws io.rustmq.client.RustMQException if the consumer is closed or failed (for example its client was
     *     closed), or a corrupt record was skipped (see the class comment)
     */
    ConsumerMessage receive(Duration timeout);

    /**
     * Waits for at least one message and returns all that are buffered, up to {@link ConsumerConfig#fetchSize()}.
     *
     * @param timeout the most time to wait for the first message
     * @return the messages in order per partition, empty if none arrived in time
     * @throws io.rustmq.client.RustMQException as {@link #receive}
     */
    List<ConsumerMessage> poll(Duration timeout);

    /**
     * The messages as a reactive stream. Each subscription takes messages only as its subscriber requests them, on
     * its own delivery thread; several subscriptions share the messages (each message goes to one). Subscriptions
     * complete when the consumer is closed and fail if it fails.
     *
     * @return a publisher; subscribe to start
     */
    Flow.Publisher<ConsumerMessage> stream();

    /**
     * Commits the acknowledged offsets now (with this member's generation) and waits for the broker.
     *
     * @throws io.rustmq.client.GroupCoordinationException if the broker refused (for example the group rebalanced:
     *     the member rejoins, and the offsets are committed again after it has)
     * @throws io.rustmq.client.RustMQException on a connection failure or timeout
     */
    void commit();

    /**
     * Commits the acknowledged offsets without waiting.
     *
     * @return completes when the broker has stored them; fails as {@link #commit()} would
     */
    CompletableFuture<Void> commitAsync();

    /**
     * Moves the position of an assigned partition: the next message delivered from it has this offset. Messages of
     * that partition already buffered or awaiting redelivery are dropped, acknowledgments of earlier deliveries are
     * ignored, and the next commit stores this offset until messages from it are acknowledged.
     *
     * @param partition an assigned partition
     * @param offset the next offset to read, at least 0
     * @throws IllegalStateException if the partition is not assigned to this consumer
     * @throws IllegalArgumentException if the offset is negative
     */
    void seek(TopicPartition partition, long offset);

    /**
     * Seeks partitions to offset 0.
     *
     * @param partitions assigned partitions
     * @throws IllegalStateException if one is not assigned
     */
    void seekToBeginning(Collection<TopicPartition> partitions);

    /**
     * Seeks partitions to their current end (high watermark), so only messages produced from now on are read.
     * Blocks for one Fetch round trip per partition.
     *
     * @param partitions assigned partitions
     * @throws IllegalStateException if one is not assigned
     * @throws io.rustmq.client.RustMQException if a broker request fails
     */
    void seekToEnd(Collection<TopicPartition> partitions);

    /**
     * Seeks partitions to the first message whose broker timestamp is at or after an instant (or to the end if every
     * message is older). The broker keeps no timestamp index: this binary-searches with single-record fetches,
     * about log2(messages) round trips per partition.
     *
     * @param partitions assigned partitions
     * @param timestamp the instant
     * @throws IllegalStateException if one is not assigned
     * @throws io.rustmq.client.RustMQException if a broker request fails
     */
    void seekToTimestamp(Collection<TopicPartition> partitions, Instant timestamp);

    /**
     * Seeks every assigned partition to offset 0.
     */
    default void seekToBeginning() {
        seekToBeginning(assignment());
    }

    /**
     * Seeks every assigned partition to its end.
     *
     * @throws io.rustmq.client.RustMQException if a broker request fails
     */
    default void seekToEnd() {
        seekToEnd(assignment());
    }

    /**
     * Seeks every assigned partition to the first message at or after an instant.
     *
     * @param timestamp the instant
     * @throws io.rustmq.client.RustMQException if a broker request fails
     */
    default void seekToTimestamp(Instant timestamp) {
        seekToTimestamp(assignment(), timestamp);
    }

    /**
     * Stops fetching and delivering messages of these partitions until {@link #resume}; messages already buffered
     * for them are held back. The group membership is unaffected. A pause ends if the partition is revoked.
     *
     * @param partitions assigned partitions
     * @throws IllegalStateException if one is not assigned
     */
    void pause(Collection<TopicPartition> partitions);

    /**
     * Resumes fetching and delivering paused partitions. Partitions not paused are ignored.
     *
     * @param partitions assigned partitions
     * @throws IllegalStateException if one is not assigned
     */
    void resume(Collection<TopicPartition> partitions);

    /**
     * The paused partitions.
     *
     * @return an immutable snapshot
     */
    Set<TopicPartition> paused();

    /**
     * The partitions currently assigned to this member (including ones whose start offset is still being resolved).
     *
     * @return an immutable snapshot
     */
    Set<TopicPartition> assignment();

    /**
     * The next offset to be delivered from a partition.
     *
     * @param partition the partition
     * @return the offset, or empty if the partition is not assigned or its position is not resolved yet
     */
    OptionalLong position(TopicPartition partition);

    /**
     * The group's committed offset for a partition, as stored by the broker (the next offset to read). Asks the
     * broker; works for any partition, assigned or not.
     *
     * @param partition the partition
     * @return the offset, or empty if the group never committed one
     * @throws io.rustmq.client.RustMQException if the request fails
     */
    OptionalLong committed(TopicPartition partition);

    /**
     * A snapshot of the counters and the lag.
     *
     * @return the metrics
     */
    ConsumerMetrics metrics();

    /**
     * The group this consumer belongs to.
     *
     * @return the group id
     */
    String group();

    /**
     * The subscribed topics.
     *
     * @return an immutable list
     */
    List<String> topics();

    /**
     * Stops delivering, calls the rebalance listener's {@code onPartitionsRevoked} for every partition, waits
     * briefly for outstanding acknowledgments, commits the acknowledged offsets, leaves the group and releases
     * resources. Messages received but not acknowledged are delivered again to the next owner. Idempotent.
     */
    @Override
    void close();
}
