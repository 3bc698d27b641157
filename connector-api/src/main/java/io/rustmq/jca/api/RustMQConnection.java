package io.rustmq.jca.api;

import io.rustmq.client.HealthCheckResult;
import io.rustmq.client.Message;
import io.rustmq.client.SendResult;
import io.rustmq.client.TopicInfo;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A lightweight handle on a pooled connection to RustMQ: sends messages and reads cluster metadata. Not transactional
 * (RustMQ has no transactions): a message is stored when its send completes, whatever the caller's transaction does.
 * Every message must name its topic ({@link Message.Builder#topic(String)}). Use from one thread at a time and close
 * it (try-with-resources) to return it to the pool; a closed handle throws {@link RustMQConnectionClosedException}.
 */
public interface RustMQConnection extends AutoCloseable {
    /**
     * Sends a message and waits for the broker's acknowledgment.
     *
     * @param message the message, naming its topic
     * @return where it was stored
     * @throws io.rustmq.client.RustMQException if it cannot be sent (after the client's retries); a connection
     *     failure also tells the pool to replace this connection
     * @throws IllegalArgumentException if the message names no topic
     */
    SendResult send(Message message);

    /**
     * Sends a message without waiting.
     *
     * @param message the message, naming its topic
     * @return completes with where it was stored, or fails with a {@link io.rustmq.client.RustMQException}
     * @throws IllegalArgumentException if the message names no topic
     */
    CompletableFuture<SendResult> sendAsync(Message message);

    /**
     * Sends several messages (to one or more topics) and waits for all of them.
     *
     * @param messages the messages, each naming its topic
     * @return one result per message, in the same order
     * @throws io.rustmq.client.RustMQException the first failure, after every send has completed
     */
    List<SendResult> sendBatch(List<Message> messages);

    /**
     * Waits until every message sent through this connection's factory configuration so far has completed.
     *
     * @throws io.rustmq.client.RustMQException if that takes longer than the delivery plus request timeout
     */
    void flush();

    /**
     * The names of the topics the brokers list (a Metadata round trip).
     *
     * @return the topic names, sorted
     * @throws io.rustmq.client.RustMQException if no broker answers
     */
    List<String> topics();

    /**
     * The partitions of every topic the brokers list, with each partition's leader and replicas.
     *
     * @return one entry per topic
     * @throws io.rustmq.client.RustMQException if no broker answers
     */
    List<TopicInfo> metadata();

    /**
     * Checks that a broker answers within the request timeout.
     *
     * @return which broker answered and how fast
     * @throws io.rustmq.client.ConnectionException if none answered
     */
    HealthCheckResult healthCheck();

    /** Returns the connection to the pool; idempotent. Sends already accepted still complete. */
    @Override
    void close();
}
