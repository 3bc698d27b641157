package io.rustmq.client.transport;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.ProtocolException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.protocol.MetadataRequest;
import io.rustmq.client.protocol.MetadataResponse;
import io.rustmq.client.protocol.Request;
import io.rustmq.client.protocol.Response;
import io.rustmq.client.protocol.TopicMetadata;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client's view of the brokers: it owns the QUIC transport, keeps a connection open, sends requests with
 * retries, and caches topic partition counts from Metadata. Producers and consumers of one client share it.
 * Thread-safe.
 */
public final class ConnectionPool implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ConnectionPool.class.getName());

    private final ClientConfig config;
    private final QuicTransport transport;
    private final Backoff backoff;
    private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();
    private final AtomicInteger nextBootstrap = new AtomicInteger();
    private final Object lock = new Object();
    private CompletableFuture<BrokerConnection> current;
    private volatile boolean closed;

    private ConnectionPool(ClientConfig config, QuicTransport transport) {
        this.config = config;
        this.transport = transport;
        this.backoff = new Backoff(config.retry());
    }

    /**
     * Creates a pool; connections are opened on first use.
     *
     * @param config the client configuration
     * @return the pool
     * @throws io.rustmq.client.TlsException if the TLS material cannot be loaded
     */
    public static ConnectionPool create(ClientConfig config) {
        return new ConnectionPool(config, QuicTransport.create(config));
    }

    /**
     * The configuration this pool was built with.
     *
     * @return the client configuration
     */
    public ClientConfig config() {
        return config;
    }

    /**
     * Sends one request once, on an open connection (opening one if needed).
     *
     * @param request the request
     * @return the response; fails with a {@link RustMQException} subtype
     */
    public CompletableFuture<Response> send(Request request) {
        if (closed) {
            return CompletableFuture.failedFuture(new RustMQException("client is closed"));
        }
        return connection().thenCompose(c -> c.send(request));
    }

    /**
     * Sends one request, retrying retriable failures with backoff and jitter up to {@code retry.maxRetries} times.
     *
     * @param request the request; must be safe to repeat
     * @param type the expected response class
     * @param <R> the response type
     * @return the response; fails with the last failure once retries are exhausted or a failure is not retriable
     */
    public <R extends Response> CompletableFuture<R> sendWithRetry(Request request, Class<R> type) {
        CompletableFuture<R> result = new CompletableFuture<>();
        attempt(request, type, 0, result);
        return result;
    }

    private <R extends Response> void attempt(Request request, Class<R> type, int retries, CompletableFuture<R> result) {
        send(request).whenComplete((response, error) -> {
            if (error == null) {
                if (type.isInstance(response)) {
                    result.complete(type.cast(response));
                } else {
                    result.completeExceptionally(new ProtocolException("expected " + type.getSimpleName() + ", got "
                            + response.getClass().getSimpleName()));
                }
                return;
            }
            RustMQException e = unwrap(error);
            if (!e.isRetriable() || retries >= config.retry().maxRetries() || closed) {
                result.completeExceptionally(e);
                return;
            }
            long delayNanos = backoff.delay(retries + 1).toNanos();
            LOG.log(System.Logger.Level.DEBUG, () -> "retrying " + request.type() + " after " + e.getMessage());
            Executor later = CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS);
            later.execute(() -> attempt(request, type, retries + 1, result));
        });
    }

    /**
     * Converts a future's failure into the client's exception type.
     *
     * @param error a failure, possibly wrapped in {@link CompletionException}
     * @return the {@link RustMQException} inside, or one wrapping an unexpected failure
     */
    public static RustMQException unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof RustMQException r) {
            return r;
        }
        return new RustMQException("unexpected failure: " + t, t, false);
    }

    /**
     * The number of partitions of a topic, from cached Metadata (fetched on first use, naming the topic so that a
     * broker with auto-creation creates it), or {@code defaultPartitions} when the broker does not list the topic
     * (the shipped broker lists none). The answer is cached, so all sends see one partition count.
     *
     * @param topic the topic
     * @return the partition count, at least 1
     */
    public CompletableFuture<Integer> partitionCount(String topic) {
        Integer known = partitionCounts.get(topic);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return refreshMetadata(List.of(topic))
                .thenApply(m -> partitionCounts.computeIfAbsent(topic, t -> config.defaultPartitions()));
    }

    /**
     * Fetches Metadata for all topics and updates the partition-count cache.
     *
     * @return the metadata
     */
    public CompletableFuture<MetadataResponse> refreshMetadata() {
        return refreshMetadata(List.of());
    }

    private CompletableFuture<MetadataResponse> refreshMetadata(List<String> topics) {
        return sendWithRetry(new MetadataRequest(topics), MetadataResponse.class).thenApply(m -> {
            for (TopicMetadata t : m.topicsMetadata()) {
                if (!t.partitions().isEmpty()) {
                    partitionCounts.put(t.name(), t.partitions().size());
                }
            }
            return m;
        });
    }

    /**
     * Whether a connection is open now.
     *
     * @return {@code true} if at least one connection is active
     */
    public boolean isConnected() {
        synchronized (lock) {
            return current != null && current.isDone() && !current.isCompletedExceptionally()
                    && current.join().isActive();
        }
    }

    /**
     * Byte and request counters of the transport.
     *
     * @return live counters
     */
    public TransportStats transportStats() {
        return transport.stats();
    }

    private CompletableFuture<BrokerConnection> connection() {
        synchronized (lock) {
            if (current != null && (!current.isDone()
                    || (!current.isCompletedExceptionally() && current.join().isActive()))) {
                return current;
            }
            List<InetSocketAddress> addresses = config.brokerAddresses();
            InetSocketAddress address = addresses.get(Math.floorMod(nextBootstrap.getAndIncrement(), addresses.size()));
            current = transport.connect(address);
            return current;
        }
    }

    /** Closes every connection and the transport. Idempotent; pending requests fail. */
    @Override
    public void close() {
        closed = true;
        transport.close();
    }
}
