package io.rustmq.client.internal.consumer;

import io.rustmq.client.consumer.ConsumerMessage;

/** Receives the application's acknowledgments, on the application's thread; must not block or do I/O. */
public interface AckListener {
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
     * @param reason why, possibly {@code null}
     */
    void nack(ConsumerMessage m, Throwable reason);
}
