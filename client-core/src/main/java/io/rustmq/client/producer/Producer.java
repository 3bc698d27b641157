package io.rustmq.client.producer;

import io.rustmq.client.Message;
import io.rustmq.client.MessageBatch;
import io.rustmq.client.SendResult;
import io.rustmq.client.metrics.ProducerMetrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends messages to a topic. Messages are collected per partition into batches (by count, bytes and linger time) and
 * sent with, by default, one request in flight per partition, so the messages of one partition are stored in the
 * order they were sent and their results complete in that order. Thread-safe; create with
 * {@link io.rustmq.client.RustMQClient#createProducer(String, ProducerConfig)} and close when done.
 *
 * <p>Results and callbacks are delivered on the client's callback threads, never on a network (event-loop) thread;
 * do not block in them for long, as later results wait for them, and never call a blocking method of a producer or
 * consumer of the same client from them (the result it waits for may need the thread it blocks).
 *
 * <p>Close producers before their {@link io.rustmq.client.RustMQClient}: once the client is closed, messages still
 * waiting for their linger time are never sent and their futures stay incomplete.
 *
 * <p>The header names {@value #PRODUCER_ID_HEADER}, {@value #SEQUENCE_HEADER} and
 * {@value io.rustmq.client.compression.Compression#HEADER} belong to the producer: idempotence headers on a message
 * are dropped and replaced by the producer's own, and a message that already carries a compression header is taken
 * to hold an already compressed value and is sent unchanged.
 */
public interface Producer extends AutoCloseable {
    /**
     * Idempotence header, on the first record of each Produce request: the producer id (a random UUID, UTF-8; a
     * partition moves to a new one after a send to it failed for good).
     */
    String PRODUCER_ID_HEADER = io.rustmq.client.protocol.HeaderNames.PRODUCER_ID;
    /**
     * Idempotence header, on the first record of each Produce request: that record's sequence number per producer
     * id and partition (decimal UTF-8, from 0); the request's following records have the following numbers.
     */
    String SEQUENCE_HEADER = io.rustmq.client.protocol.HeaderNames.SEQUENCE;

    /**
     * The topic messages go to when they name none.
     *
     * @return the topic, or {@code null} for a producer created without one (each message names its topic)
     */
    String topic();

    /**
     * The configuration this producer runs with.
     *
     * @return the configuration
     */
    ProducerConfig config();

    /**
     * Sends a message and waits for the broker's acknowledgment. Its batch goes without waiting for the linger time
     * (messages sent meanwhile by other threads still join it while a request is in flight).
     *
     * @param message the message
     * @return where it was stored
     * @throws io.rustmq.client.MessageTooLargeException if it is larger than allowed (nothing was sent)
     * @throws BufferExhaustedException if no buffer memory became free within {@code maxBlockTime}
     * @throws io.rustmq.client.RustMQException on any other failure, once retries are exhausted or the delivery
     *     timeout has passed
     */
    SendResult send(Message message);

    /**
     * Sends a message without waiting for the broker. Blocks only while the buffer memory is full or the topic's
     * partition count is not known yet, at most {@code maxBlockTime}.
     *
     * @param message the message
     * @return completes with where it was stored, or fails with a {@link io.rustmq.client.RustMQException}
     *     (including the failures {@link #send(Message)} throws); never completes on a network thread
     */
    CompletableFuture<SendResult> sendAsync(Message message);

    /**
     * Sends a message and calls back when done, as {@link #sendAsync(Message)} but without a future.
     *
     * @param message the message
     * @param callback called exactly once with the result or the failure, never on a network thread; an exception
     *     it throws is logged and otherwise ignored
     */
    void send(Message message, SendCallback callback);

    /**
     * Sends several messages and waits for all of them; their batches go without waiting for the linger time.
     *
     * @param messages the messages, in order
     * @return one result per message, in the same order
     * @throws io.rustmq.client.RustMQException the first failure in list order, after every send has completed
     */
    List<SendResult> sendBatch(List<Message> messages);

    /**
     * Sends the messages of a batch and waits for all of them; as {@link #sendBatch(List)}.
     *
     * @param batch the messages, in order
     * @return one result per message, in the same order
     */
    default List<SendResult> sendBatch(MessageBatch batch) {
        return sendBatch(batch.messages());
    }

    /**
     * Sends everything buffered now, without waiting for linger times, and waits until every send made before this
     * call has completed (successfully or not).
     *
     * @throws io.rustmq.client.RequestTimeoutException if that takes longer than the delivery timeout plus the
     *     request timeout
     */
    void flush();

    /**
     * A snapshot of this producer's counters and request latencies.
     *
     * @return the metrics
     */
    ProducerMetrics metrics();

    /**
     * Stops accepting messages, sends what is buffered, waits for it up to {@code timeout}, then fails what is
     * still undelivered. Idempotent. Later sends fail.
     *
     * @param timeout the most time to wait for buffered and in-flight messages
     */
    void close(Duration timeout);

    /** Closes, waiting for buffered messages up to the delivery timeout; see {@link #close(Duration)}. */
    @Override
    void close();
}
