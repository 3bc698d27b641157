package io.rustmq.client.consumer;

import io.rustmq.client.Message;
import io.rustmq.client.internal.consumer.AckListener;
import io.rustmq.client.internal.consumer.MessageAccess;
import io.rustmq.client.internal.consumer.PartitionState;
import io.rustmq.client.protocol.TopicPartition;

/**
 * Gives the consumer's internal parts access to {@link ConsumerMessage}'s package-private constructor and delivery
 * details, and routes the application's acknowledgments to an {@link AckListener}. One per consumer; bound once to its
 * listener before the first message exists, then thread-safe; runs on whichever thread creates, acknowledges or nacks a message.
 */
final class ConsumerMessageBridge implements MessageAccess, ConsumerMessage.AckHandler {
    private AckListener listener;

    @Override
    public void bind(AckListener ackListener) {
        this.listener = ackListener;
    }

    @Override
    public ConsumerMessage create(Message message, TopicPartition tp, long offset, int deliveryCount,
                                  PartitionState owner, int epoch) {
        return new ConsumerMessage(message, tp.topic(), tp.partition(), offset, deliveryCount, owner, epoch, this);
    }

    @Override
    public PartitionState owner(ConsumerMessage m) {
        return (PartitionState) m.owner();
    }

    @Override
    public int epoch(ConsumerMessage m) {
        return m.epoch();
    }

    @Override
    public ConsumerMessage redelivery(ConsumerMessage m) {
        return m.redelivery();
    }

    @Override
    public ConsumerMessage undelivered(ConsumerMessage m) {
        return m.undelivered();
    }

    @Override
    public void ack(ConsumerMessage m) {
        listener.ack(m);
    }

    @Override
    public void nack(ConsumerMessage m, Throwable reason) {
        listener.nack(m, reason);
    }
}
