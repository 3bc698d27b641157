package io.rustmq.client.consumer;

import io.rustmq.client.Headers;
import io.rustmq.client.Message;
import io.rustmq.client.TopicPartition;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A received message with where it came from, to be acknowledged ({@link #ack()}) once processed or given back
 * ({@link #nack(Throwable)}) for redelivery. Exactly one of the two counts: the first call settles the message and
 * later calls do nothing. Compressed values arrive decompressed, without the {@code rustmq-compression} header.
 * Immutable apart from that settled flag; thread-safe.
 */
public final class ConsumerMessage {
    private static final AtomicIntegerFieldUpdater<ConsumerMessage> SETTLED =
            AtomicIntegerFieldUpdater.newUpdater(ConsumerMessage.class, "settled");

    private final Message message;
    private final String topic;
    private final int partition;
    private final long offset;
    private final int deliveryCount;
    private final Object owner;
    private final int epoch;
    private final AckHandler handler;
    private volatile int settled;

    static {
        io.rustmq.client.internal.consumer.MessageAccess.Factory.register(ConsumerMessageBridge::new);
    }

    /** Receives acknowledgments; implemented by the consumer. */
    interface AckHandler {
        /**
         * The message was processed.
         *
         * @param m the message
         */
        void ack(ConsumerMessage m);

        /**
         * The message failed.
         *
         * @param m the message
         * @param reason why, possibly null
         */
        void nack(ConsumerMessage m, Throwable reason);
    }

    ConsumerMessage(Message message, String topic, int partition, long offset, int deliveryCount, Object owner,
                    int epoch, AckHandler handler) {
        this.message = message;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.deliveryCount = deliveryCount;
        this.owner = owner;
        this.epoch = epoch;
        this.handler = handler;
    }

    /**
     * The message: key, payload, headers and the broker's timestamp.
     *
     * @return the message
     */
    public Message message() {
        return message;
    }

    /**
     * The topic it was read from.
     *
     * @return the topic
     */
    public String topic() {
        return topic;
    }

    /**
     * The partition it was read from.
     *
     * @return the partition
     */
    public int partition() {
        return partition;
    }

    /**
     * The topic and partition it was read from.
     *
     * @return a new {@link TopicPartition}
     */
    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    /**
     * Its offset in the partition.
     *
     * @return the offset
     */
    public long offset() {
        return offset;
    }

    /**
     * The broker's timestamp (the broker stamps each record when it stores it).
     *
     * @return epoch milliseconds
     */
    public long timestamp() {
        return message.timestamp();
    }

    /**
     * The broker's timestamp as an instant.
     *
     * @return the instant
     */
    public Instant timestampInstant() {
        return Instant.ofEpochMilli(message.timestamp());
    }

    /**
     * The key bytes (not copied: do not modify).
     *
     * @return the key, or {@code null}
     */
    public byte[] key() {
        return message.key();
    }

    /**
     * The key as UTF-8 text.
     *
     * @return the key, or {@code null}
     */
    public String keyAsString() {
        return message.keyAsString();
    }

    /**
     * The payload bytes, decompressed (not copied: do not modify).
     *
     * @return the payload, never null
     */
    public byte[] payload() {
        return message.payload();
    }

    /**
     * The payload as UTF-8 text.
     *
     * @return the text
     */
    public String payloadAsString() {
        return message.payloadAsString();
    }

    /**
     * The headers, without {@code rustmq-compression}.
     *
     * @return the headers, never null
     */
    public Headers headers() {
        return message.headers();
    }

    /**
     * How many times this message has been delivered to this consumer, this delivery included.
     *
     * @return 1 for a first delivery, 2 for the first redelivery, and so on
     */
    public int deliveryCount() {
        return deliveryCount;
    }

    /**
     * Whether {@link #ack()} or {@link #nack(Throwable)} has been called.
     *
     * @return {@code true} once settled
     */
    public boolean isSettled() {
        return settled != 0;
    }

    /**
     * Marks the message processed. Its offset becomes committable once every earlier offset of the partition is
     * acknowledged too, so a commit never skips an unprocessed message. Ignored if already settled, or if the
     * partition was revoked or seeked since the message was delivered (it will be delivered again, to this member or
     * another).
     */
    public void ack() {
        if (SETTLED.compareAndSet(this, 0, 1)) {
            handler.ack(this);
        }
    }

    /**
     * Gives the message back: it is delivered again after the configured redelivery backoff, and once its
     * redeliveries are exhausted it is sent to the dead-letter topic (if one is configured) and then acknowledged.
     * Ignored if already settled.
     *
     * @param reason why processing failed, recorded in the dead-letter headers; may be null
     */
    public void nack(Throwable reason) {
        if (SETTLED.compareAndSet(this, 0, 1)) {
            handler.nack(this, reason);
        }
    }

    Object owner() {
        return owner;
    }

    int epoch() {
        return epoch;
    }

    /**
     * The same message for its next delivery: unsettled, delivery count + 1.
     *
     * @return a new instance
     */
    ConsumerMessage redelivery() {
        return new ConsumerMessage(message, topic, partition, offset, deliveryCount + 1, owner, epoch, handler);
    }

    /**
     * The same message, unsettled, with the same delivery count: for a message taken from the buffer but never
     * handed to the application.
     *
     * @return a new instance
     */
    ConsumerMessage undelivered() {
        return new ConsumerMessage(message, topic, partition, offset, deliveryCount, owner, epoch, handler);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsumerMessage m && topic.equals(m.topic) && partition == m.partition
                && offset == m.offset && deliveryCount == m.deliveryCount;
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset, deliveryCount);
    }

    @Override
    public String toString() {
        return "ConsumerMessage{" + topic + "-" + partition + "@" + offset
                + (deliveryCount > 1 ? ", delivery " + deliveryCount : "") + ", " + message + "}";
    }
}
