package io.rustmq.client.internal.transport;

import io.rustmq.client.protocol.Request;
import io.rustmq.client.protocol.Response;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What the pool needs of one open connection to a broker. {@link BrokerConnection} is the real one (through
 * {@link QuicConnector}); tests use in-memory links to check routing without a network.
 */
interface BrokerLink {
    /**
     * Sends a request within the configured request timeout.
     *
     * @param request the request
     * @return the response, or a future failed with the {@link io.rustmq.client.RustMQException} itself
     */
    CompletableFuture<Response> send(Request request);

    /**
     * Sends a request within a given time.
     *
     * @param request the request
     * @param timeout how long to wait for the response
     * @return the response, or a future failed with the {@link io.rustmq.client.RustMQException} itself
     */
    CompletableFuture<Response> send(Request request, Duration timeout);

    /**
     * Sends a request within the configured request timeout; a response completes the future on the network thread
     * that read it (see {@link BrokerConnection#sendInline}). By default the same as {@link #send(Request)}.
     *
     * @param request the request
     * @return the response, or a future failed with the {@link io.rustmq.client.RustMQException} itself
     */
    default CompletableFuture<Response> sendInline(Request request) {
        return send(request);
    }

    /**
     * The network thread that serves this connection, for work best done there; by default null (none).
     *
     * @return the executor, or null
     */
    default Executor networkExecutor() {
        return null;
    }

    /**
     * Whether the connection can carry requests.
     *
     * @return {@code true} until it is closed or lost
     */
    boolean isActive();

    /**
     * Completes when the connection has closed: normally when we closed it, exceptionally with the reason when it
     * was lost.
     *
     * @return the future
     */
    CompletableFuture<Void> closeFuture();

    /**
     * The resolved address of the broker.
     *
     * @return the address
     */
    InetSocketAddress remoteAddress();

    /**
     * Requests that have not ended yet.
     *
     * @return the count
     */
    int inFlightRequests();

    /** Starts closing the connection; does not wait. Idempotent. */
    void close();
}
