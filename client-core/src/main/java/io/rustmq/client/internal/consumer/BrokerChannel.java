package io.rustmq.client.internal.consumer;

import io.rustmq.client.RustMQException;
import io.rustmq.client.protocol.Request;
import io.rustmq.client.protocol.Response;
import io.rustmq.client.internal.transport.ConnectionPool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * How the consumer's parts talk to the broker: one attempt, or attempts with the client's retry policy. The consumer
 * uses {@link #of(ConnectionPool)}; unit tests give a fake. Futures complete on the transport's threads.
 */
public interface BrokerChannel {
    /**
     * Sends a request once.
     *
     * @param request the request
     * @param type the expected response class
     * @param <R> the response type
     * @return the response, or a future failed with a {@link RustMQException}
     */
    <R extends Response> CompletableFuture<R> send(Request request, Class<R> type);

    /**
     * Sends a request, retrying retriable failures per the client's retry policy.
     *
     * @param request the request; safe to repeat
     * @param type the expected response class
     * @param <R> the response type
     * @return the response, or a future failed with the last {@link RustMQException}
     */
    <R extends Response> CompletableFuture<R> sendWithRetry(Request request, Class<R> type);

    /**
     * A channel over a connection pool.
     *
     * @param pool the client's pool
     * @return the channel
     */
    static BrokerChannel of(ConnectionPool pool) {
        return new BrokerChannel() {
            @Override
            public <R extends Response> CompletableFuture<R> send(Request request, Class<R> type) {
                return pool.send(request).thenApply(r -> {
                    if (!type.isInstance(r)) {
                        throw new io.rustmq.client.ProtocolException("expected " + type.getSimpleName() + ", got "
                                + r.getClass().getSimpleName());
                    }
                    return type.cast(r);
                });
            }

            @Override
            public <R extends Response> CompletableFuture<R> sendWithRetry(Request request, Class<R> type) {
                return pool.sendWithRetry(request, type);
            }
        };
    }

    /**
     * Waits for a future on the calling thread.
     *
     * @param f the future
     * @param <T> its value type
     * @return its value
     * @throws RustMQException its failure, unwrapped; or a non-retriable one if interrupted
     */
    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw ConnectionPool.unwrap(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RustMQException("interrupted while waiting for the broker", e, false);
        }
    }
}
