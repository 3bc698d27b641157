package io.rustmq.client.producer;

import io.rustmq.client.Message;
import io.rustmq.client.SendResult;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends messages to a topic. Messages are batched per partition and sent with at most one request in flight per
 * partition, so messages of one partition are stored in the order they were sent. Thread-safe; create with
 * {@link io.rustmq.client.RustMQClient#createProducer(String)} and close when done.
 */
public interface Producer extends AutoCloseable {
    /**
     * The topic messages go to when they name none.
     *
     * @return the topic
     */
    String topic();

    /**
     * Sends a message and waits for the broker's acknowledgment.
     *
     * @param message the message
     * @return where it was stored
     * @throws io.rustmq.client.MessageTooLargeException if it is larger than allowed (nothing was sent)
     * @throws io.rustmq.client.RustMQException on any other failure once retries are exhausted
     */
    SendResult send(Message message);

    /**
     * Sends a message without waiting.
     *
     * @param message the message
     * @return completes with where it was stored, or fails with a {@link io.rustmq.client.RustMQException}
     */
    CompletableFuture<SendResult> sendAsync(Message message);

    /**
     * Sends a message and calls back when done.
     *
     * @param message the message
     * @param callback called once with the result or the failure, off the network threads
     */
    void send(Message message, SendCallback callback);

    /**
     * Sends several messages and waits for all of them.
     *
     * @param messages the messages, in order
     * @return one result per message, in the same order
     * @throws io.rustmq.client.RustMQException the first failure, after every send has completed
     */
    List<SendResult> sendBatch(List<Message> messages);

    /** Sends everything buffered now and waits until every send made before this call has completed. */
    void flush();

    /**
     * Sends what is buffered, waits for it up to {@code timeout}, then releases resources. Later sends fail.
     *
     * @param timeout the most time to wait for buffered messages
     */
    void close(Duration timeout);

    /** Closes, waiting for buffered messages up to the delivery timeout. */
    @Override
    void close();
}
