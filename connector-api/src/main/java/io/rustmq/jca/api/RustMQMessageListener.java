package io.rustmq.jca.api;

import io.rustmq.client.consumer.ConsumerMessage;

/**
 * The message-listener interface of RustMQ message-driven beans. The resource adapter acknowledges a message when
 * {@link #onMessage} returns and gives it back for redelivery when it throws; after {@code maxRedeliveries}
 * redeliveries it goes to the activation's dead-letter topic, if one is configured. Do not call
 * {@link ConsumerMessage#ack()} or {@link ConsumerMessage#nack(Throwable)} yourself.
 */
public interface RustMQMessageListener {
    /**
     * Processes one message.
     *
     * @param message the message, with topic, partition, offset, key, payload, headers and delivery count
     */
    void onMessage(ConsumerMessage message);
}
