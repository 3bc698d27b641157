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

    /** Closes every link and releases the network threads. Idempotent. */
    @Override
    void close();
}
