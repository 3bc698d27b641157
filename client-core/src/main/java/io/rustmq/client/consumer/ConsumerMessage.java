package io.rustmq.client.consumer;

import io.rustmq.client.Headers;
import io.rustmq.client.Message;

import java.util.Objects;

/**
 * A received message with where it came from, to be acknowledged ({@link #ack()}) once processed or given back
 * ({@link #nack(Throwable)}) for redelivery.
 */
public final class ConsumerMessage {
    private final Message message;
    private final String topic;
    private final int partition;
    private final long offset;
    private final int deliveryCount;
    private final AckHandler handler;

    /** Receives acknowledgments; implemented by the consumer. */
    interface AckHandler {
        void ack(ConsumerMessage m);

        void nack(ConsumerMessage m, Throwable reason);
    }

    ConsumerMessage(Message message, String topic, int partition, long offset, int deliveryCount, AckHandler handler) {
        this.message = message;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.deliveryCount = deliveryCount;
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
     * Its offset in the partition.
     *
     * @return the offset
     */
    public long offset() {
        return offset;
    }

    /**
     * The broker's timestamp.
     *
     * @return epoch milliseconds
     */
    public long timestamp() {
        return message.timestamp();
    }

    /**
     * The key bytes.
     *
     * @return the key, or {@code null}
     */
    public byte[] key() {
        return message.key();
    }

    /**
     * The key as text.
     *
     * @return the key, or {@code null}
     */
    public String keyAsString() {
        return message.keyAsString();
    }

    /**
     * The payload bytes.
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
     * The headers.
     *
     * @return the headers, never null
     */
    public Headers headers() {
        return message.headers();
    }

    /**
     * How many times this message has been delivered to this consumer, this delivery included.
     *
     * @return 1 for a first delivery
     */
    public int deliveryCount() {
        return deliveryCount;
    }

    /** Marks the message processed; its offset becomes committable once all earlier ones are acknowledged too. */
    public void ack() {
        handler.ack(this);
    }

    /**
     * Gives the message back for redelivery.
     *
     * @param reason why processing failed (kept for logs)
     */
    public void nack(Throwable reason) {
        handler.nack(this, reason);
    }

    ConsumerMessage redelivery() {
        return new ConsumerMessage(message, topic, partition, offset, deliveryCount + 1, handler);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsumerMessage m && topic.equals(m.topic) && partition == m.partition
                && offset == m.offset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset);
    }

    @Override
    public String toString() {
        return "ConsumerMessage{" + topic + "-" + partition + "@" + offset + ", " + message + "}";
    }
}
