package io.rustmq.client.internal.transport;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** Opens {@link BrokerLink}s for the pool and owns their network resources. */
interface Connector extends AutoCloseable {
    /**
     * Dials a broker within the configured connect timeout.
     *
     * @param address the broker, possibly unresolved
     * @return the open link, or a future failed with a {@link io.rustmq.client.RustMQException} (possibly wrapped)
     */
    CompletableFuture<BrokerLink> connect(InetSocketAddress address);

    /**
     * Byte, request and connection counters of every link this connector opened.
     *
     * @return live counters
     */
    TransportStats stats();

    /**
     * Runs a task on the callback executor (off the network threads), or on the calling thread once that executor
     * has shut down.
     *
     * @param task the task
     */
    default void runCallback(Runnable task) {
        task.run();
    }

    /**
     * Whether the calling thread is one of the connector's network threads, where nothing may block.
     *
     * @return true on a network thread
     */
    default boolean inNetworkThread() {
        return false;
    }

    /** Closes every link and releases the network threads. Idempotent. */
    @Override
    void close();
}
