package io.rustmq.client.internal.transport;

import io.rustmq.client.BrokerErrorException;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.ClientStats;
import io.rustmq.client.ConnectionException;
import io.rustmq.client.HealthCheckResult;
import io.rustmq.client.ProtocolException;
import io.rustmq.client.RequestTimeoutException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.internal.transport.ConnectionSlots;
import io.rustmq.client.internal.transport.CoordinatorCache;
import io.rustmq.client.internal.transport.RetryPolicy;
import io.rustmq.client.internal.transport.Scheduler;
import io.rustmq.client.protocol.ConsumerHeartbeatResponse;
import io.rustmq.client.protocol.FetchRequest;
import io.rustmq.client.protocol.MetadataRequest;
import io.rustmq.client.protocol.MetadataResponse;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.Request;
import io.rustmq.client.protocol.RequestType;
import io.rustmq.client.protocol.Response;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

import static io.rustmq.client.internal.transport.Futures.relay;
import static io.rustmq.client.internal.transport.Futures.then;

/**
 * The client's connections to the brokers, shared by all producers and consumers of one client. Thread-safe.
 *
 * <p><b>Connections.</b> One QUIC connection per broker: the configured (bootstrap) brokers and those that Metadata
 * lists, at most {@link ClientConfig#maxConnections()} at a time. Connections open on first use (all bootstrap
 * brokers at once), and to discovered brokers as soon as Metadata names them. When every slot is taken and a request
 * needs another broker, a connection with no request in flight is closed to make room.
 *
 * <p><b>Routing.</b> Produce and Fetch go to the leader of their partition as the last Metadata named it; group
 * requests (JoinGroup, ConsumerHeartbeat, CommitOffset, FetchOffset, LeaveGroup) go to the group's coordinator from
 * FindCoordinator, cached per group (a host {@code 0.0.0.0} is read as the host of the broker that answered, spec
 * B10); everything else, and Produce/Fetch for partitions that Metadata does not list (the shipped broker lists none),
 * go round robin to the connected brokers. The first Produce or Fetch for a topic the pool has never seen waits for
 * one Metadata request naming it (shared by all requests waiting for that topic). Routing a request costs one map
 * lookup and reads no lock.
 *
 * <p><b>Metadata</b> is refreshed when a broker answers "Not leader for partition" or "Partition not found", when a
 * broker that leads a partition or coordinates a group is lost, when a lost broker comes back, and with every health
 * check (every {@link ClientConfig#keepAliveInterval()}, as every Metadata answer updates the routes). Automatic
 * refreshes are coalesced and at most one starts per 100 ms. A request whose leader is down waits for a refresh in
 * progress and is routed again once.
 *
 * <p><b>Reconnection.</b> A lost connection, or a failed connect, is retried in the background per broker with
 * exponential backoff and jitter from {@link ClientConfig#retry()} (attempt <i>n</i> waits
 * {@code Backoff.delay(n)}), without limit, until it succeeds or the broker is no longer listed. Requests for a
 * broker that is down fail at once with a retriable {@link ConnectionException}; {@link #sendWithRetry} retries them.
 *
 * <p><b>Health.</b> {@link #healthCheck()} is a Metadata round trip within {@link ClientConfig#requestTimeout()}; one
 * runs in the background every {@code keepAliveInterval}. The transport keeps idle connections alive itself.
 *
 * <p><b>Layout.</b> This class is a facade that routes requests and wires the parts, each with one job: routing and
 * metadata ({@link MetadataRouter}), group requests ({@link GroupRouter}, over the coordinator cache {@link CoordinatorCache}), the retry policy
 * ({@link RetryPolicy}), health checks ({@link HealthChecker}), connection slots ({@link ConnectionSlots}) and one
 * {@link BrokerNode} per broker. Threads: the transport's network and callback threads (made by the
 * {@link ThreadFactory} given to {@link #create(ClientConfig, ThreadFactory)}), and one scheduler thread from the
 * same factory for reconnects, retries and background health checks.
 */
public final class ConnectionPool implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ConnectionPool.class.getName());

    private final ClientConfig config;
    private final Connector connector;
    private final Scheduler scheduler;
    private final Backoff backoff;
    private final ConnectionSlots slots;
    private final RetryPolicy retry;
    private final MetadataRouter router;
    private final GroupRouter groups;
    private final HealthChecker health;
    private final Object lifecycle = new Object();
    private final LongAdder reconnectAttempts = new LongAdder();

    private volatile boolean started;
    private volatile boolean closed;

    ConnectionPool(ClientConfig config, Connector connector, Scheduler scheduler, DoubleSupplier jitter) {
        this.config = config;
        this.connector = connector;
        this.scheduler = scheduler;
        this.backoff = jitter == null ? new Backoff(config.retry()) : new Backoff(config.retry(), jitter);
        this.slots = new ConnectionSlots(config.maxConnections());
        this.retry = new RetryPolicy(config.retry(), backoff::delay, scheduler);
        this.router = new MetadataRouter(this, config);
        this.groups = new GroupRouter(this, router);
        this.health = new HealthChecker(this, router, config, scheduler);
    }

    /**
     * Creates a pool whose threads are named daemon threads ({@code rustmq-quic-*}, {@code rustmq-callback-*},
     * {@code rustmq-pool-*}); connections are opened on first use.
     *
     * @param config the client configuration
     * @return the pool; close it to release its threads and connections
     * @throws io.rustmq.client.ConfigurationException if a TLS file is unreadable or malformed
     * @throws io.rustmq.client.TlsException if the TLS material cannot be used
     */
    public static ConnectionPool create(ClientConfig config) {
        return create(config, config.threadFactory().orElse(null));
    }

    /**
     * Creates a pool whose every thread (network, callbacks, scheduler) comes from {@code threadFactory};
     * connections are opened on first use.
     *
     * @param config the client configuration
     * @param threadFactory makes every thread of the pool and its transport; {@code null} for named daemon threads
     * @return the pool; close it to release its threads and connections
     * @throws io.rustmq.client.ConfigurationException if a TLS file is unreadable or malformed
     * @throws io.rustmq.client.TlsException if the TLS material cannot be used
     */
    public static ConnectionPool create(ClientConfig config, ThreadFactory threadFactory) {
        QuicConnector connector = new QuicConnector(config, threadFactory);
        Scheduler scheduler = threadFactory != null ? Scheduler.on(threadFactory)
                : Scheduler.daemon("rustmq-pool-" + config.clientId());
        return new ConnectionPool(config, connector, scheduler, null);
    }

    /**
     * The configuration this pool was built with.
     *
     * @return the client configuration
     */
    public ClientConfig config() {
        return config;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Sending

    /**
     * Sends one request once, to the broker its routing calls for (see the class description), connecting first if
     * needed.
     *
     * @param request the request
     * @return the response; or a future failed with the {@link RustMQException} itself: a retriable
     *     {@link ConnectionException} when the broker (or every broker) is unreachable now,
     *     {@link BrokerErrorException} for an error frame, and the transport's failures
     */
    public CompletableFuture<Response> send(Request request) {
        return route(request, true, true, false);
    }

    /**
     * Sends a request as {@link #send(Request)} does, except that a response read on an open connection completes
     * the future on the network thread that read it, not on the callback executor (failures, and requests that
     * first wait for a connection or for metadata, may complete on either). Only for continuations that are short
     * and never block: the producer's bookkeeping uses it to send a partition's next batch without a hand-off to
     * another thread and back. {@link #runCallback} moves longer work off the network thread.
     *
     * @param request the request
     * @return the response; or a failed future as for {@link #send(Request)}
     */
    public CompletableFuture<Response> sendInline(Request request) {
        return route(request, true, true, true);
    }

    /**
     * Runs a task on the client's callback executor, off the network threads (on the calling thread once the client
     * is closing and that executor has stopped).
     *
     * @param task the task
     */
    public void runCallback(Runnable task) {
        connector.runCallback(task);
    }

    /**
     * Whether the calling thread is one of the client's network threads, where nothing may block or run long.
     *
     * @return true on a network thread
     */
    public boolean inNetworkThread() {
        return connector.inNetworkThread();
    }

    /** Sends a Metadata request without waiting for other Metadata (for the router's own refreshes). */
    CompletableFuture<Response> routeMetadata(MetadataRequest request) {
        return route(request, false, false, false);
    }

    /**
     * The network thread of the open connection to a partition's leader, for a caller on another thread that wants
     * to run work there (the producer's drain of a batch still open for appends).
     *
     * @param topic the topic
     * @param partition the partition
     * @return the executor; null on a network thread, after close, or when the leader or its open connection is not
     *     known
     */
    public Executor networkExecutorFor(String topic, int partition) {
        if (closed || !started || inNetworkThread()) {
            return null;
        }
        BrokerNode[] byPartition = router.leaders(topic);
        BrokerNode leader = byPartition == null ? null : MetadataRouter.leader(byPartition, partition);
        BrokerLink link = leader == null ? null : leader.activeLink();
        return link == null ? null : link.networkExecutor();
    }

    /**
     * Routes and sends a request.
     *
     * @param mayWaitForMetadata whether a request whose leader is down may wait for a Metadata refresh in progress
     * @param mayLookUpTopic whether a Produce or Fetch for a topic never seen may first ask Metadata about it
     * @param inline whether a response may complete the future on the network thread ({@link #sendInline})
     */
    private CompletableFuture<Response> route(Request request, boolean mayWaitForMetadata, boolean mayLookUpTopic,
                                              boolean inline) {
        if (closed) {
            return CompletableFuture.failedFuture(closedException());
        }
        if (!started) {
            start();
        }
        String topic;
        int partition;
        switch (request.type()) {
            case PRODUCE: {
                ProduceRequest p = (ProduceRequest) request;
                topic = p.topic();
                partition = p.partitionId();
                break;
            }
            case FETCH: {
                FetchRequest f = (FetchRequest) request;
                topic = f.topic();
                partition = f.partitionId();
                break;
            }
            case METADATA:
            case FIND_COORDINATOR:
                topic = null;
                partition = -1;
                break;
            default:
                return groups.send(CoordinatorCache.groupOf(request), request);
        }
        BrokerNode leader = null;
        if (topic != null) {
            BrokerNode[] byPartition = router.leaders(topic);
            if (byPartition == null && mayLookUpTopic) {
                CompletableFuture<Response> out = new CompletableFuture<>();
                router.lookUpTopic(topic).whenComplete((v, e) -> relay(route(request, true, false, inline), out));
                return out;
            }
            leader = byPartition == null ? null : MetadataRouter.leader(byPartition, partition);
        }
        BrokerNode target = leader != null ? leader : router.pickHealthy();
        if (target != null) {
            BrokerLink l = target.activeLink();
            if (l != null) {
                return exchange(target, l, request, null, inline);
            }
        }
        return sendSlow(request, leader, mayWaitForMetadata, inline);
    }

    private CompletableFuture<Response> sendSlow(Request request, BrokerNode leader, boolean mayWaitForMetadata,
                                                 boolean inline) {
        if (leader == null) {
            return then(router.anyNode(), n -> then(n.connection(true), l -> exchange(n, l, request, null, inline)));
        }
        if (leader.state() == BrokerNode.State.DOWN && mayWaitForMetadata) {
            CompletableFuture<MetadataResponse> refresh = router.autoRefresh();
            if (refresh != null) {
                CompletableFuture<Response> out = new CompletableFuture<>();
                refresh.whenComplete((m, e) -> relay(route(request, false, false, inline), out));
                return out;
            }
        }
        return then(leader.connection(true), l -> exchange(leader, l, request, null, inline));
    }

    /** Sends on an open link and observes the outcome (routing updates); the failure is passed on unwrapped. */
    CompletableFuture<Response> exchange(BrokerNode node, BrokerLink link, Request request, Duration timeout) {
        return exchange(node, link, request, timeout, false);
    }

    private CompletableFuture<Response> exchange(BrokerNode node, BrokerLink link, Request request, Duration timeout,
                                                 boolean inline) {
        CompletableFuture<Response> sent = timeout != null ? link.send(request, timeout)
                : inline ? link.sendInline(request) : link.send(request);
        CompletableFuture<Response> out = new CompletableFuture<>();
        sent.whenComplete((response, error) -> {
            if (error == null) {
                try {
                    onResponse(node, response);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot apply a response to the routing state", e);
                }
                out.complete(response);
            } else {
                Throwable cause = RetryPolicy.strip(error);
                onFailure(node, request, cause);
                out.completeExceptionally(cause);
            }
        });
        return out;
    }

    private void onResponse(BrokerNode node, Response response) {
        if (response instanceof MetadataResponse m) {
            List<BrokerNode> discovered = router.applyMetadata(node, m, groups.cache()::coordinatesAny);
            if (started) {
                for (BrokerNode n : discovered) {
                    n.connectIfIdle();
                }
            }
        } else if (response instanceof ConsumerHeartbeatResponse h && h.errorCode() == 0) {
            health.onHeartbeat(Instant.now());
        }
    }

    private void onFailure(BrokerNode node, Request request, Throwable cause) {
        RequestType type = request.type();
        if (cause instanceof BrokerErrorException b && (type == RequestType.PRODUCE || type == RequestType.FETCH)
                && b.kind().staleRouting()) {
            LOG.log(System.Logger.Level.DEBUG, () -> "broker " + node.describe() + " answered '"
                    + b.brokerMessage() + "': refreshing metadata");
            router.autoRefresh();
        } else if ((cause instanceof ConnectionException || cause instanceof RequestTimeoutException)
                && type.code() >= RequestType.JOIN_GROUP.code()) {
            groups.cache().forget(CoordinatorCache.groupOf(request), node);
        }
    }

    /**
     * Sends one request, retrying retriable failures with the backoff of {@link ClientConfig#retry()} (the same
     * exponential schedule with jitter as reconnection) up to {@code retry.maxRetries} times; each attempt is routed
     * afresh. Non-retriable failures (protocol violations, oversized requests, configuration) fail at once, and so
     * does a JoinGroup that timed out (see {@link #mayRetry}).
     *
     * @param request the request; must be safe to repeat
     * @param type the expected response class
     * @param <R> the response type
     * @return the response; fails with the last failure once retries are exhausted, a failure may not be retried, or
     *     the pool is closed; a response of another type fails with {@link ProtocolException}
     */
    public <R extends Response> CompletableFuture<R> sendWithRetry(Request request, Class<R> type) {
        return retry.run(request.type(), () -> send(request).thenApply(response -> {
            if (!type.isInstance(response)) {
                throw new ProtocolException("expected " + type.getSimpleName() + ", got "
                        + response.getClass().getSimpleName());
            }
            return type.cast(response);
        }));
    }

    /**
     * Whether {@link #sendWithRetry} sends a request of this type again after this failure: retriable failures
     * (see {@link RustMQException#isRetriable()} and {@link BrokerErrorException.Kind}), except a JoinGroup that
     * timed out, whose outcome is unknown: the broker may have added the member, so the consumer decides (it
     * rejoins with the member id it knows rather than adding a second member).
     *
     * @param type the request type
     * @param failure the failure
     * @return whether a retry is allowed
     */
    public static boolean mayRetry(RequestType type, RustMQException failure) {
        return RetryPolicy.mayRetry(type, failure);
    }

    /**
     * Converts a future's failure into the client's exception type.
     *
     * @param error a failure, possibly wrapped in {@link CompletionException} or {@link ExecutionException}
     * @return the {@link RustMQException} inside, or a non-retriable one wrapping an unexpected failure
     */
    public static RustMQException unwrap(Throwable error) {
        return RetryPolicy.unwrap(error);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Metadata and health

    /**
     * The number of partitions of a topic, from cached Metadata (fetched on first use, naming the topic so that a
     * broker with auto-creation creates it), or {@code defaultPartitions} when the broker does not list the topic
     * (the shipped broker lists none). The answer is cached, so all sends see one partition count.
     *
     * @param topic the topic
     * @return the partition count, at least 1; fails as {@link #sendWithRetry} does
     */
    public CompletableFuture<Integer> partitionCount(String topic) {
        Integer known = router.partitionCount(topic);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return sendWithRetry(new MetadataRequest(List.of(topic)), MetadataResponse.class)
                .thenApply(m -> router.partitionCountAfterLookup(topic));
    }

    /**
     * Fetches Metadata for all topics (with retries) and updates brokers, partition leaders and partition counts.
     *
     * @return the metadata; fails as {@link #sendWithRetry} does
     */
    public CompletableFuture<MetadataResponse> refreshMetadata() {
        return sendWithRetry(new MetadataRequest(List.of()), MetadataResponse.class);
    }

    /**
     * Checks that a broker answers: a Metadata round trip (DESIGN §4: the broker has no health request) to a
     * connected broker, or to the next one that can be reached, all within {@link ClientConfig#requestTimeout()}.
     * The answer also refreshes the routes. Counted in {@link ClientStats#healthChecks()} and, when it fails,
     * {@link ClientStats#healthCheckErrors()}.
     *
     * @return the result; or a future failed with the failure itself when every broker failed for a reason retrying
     *     cannot cure (a non-retriable {@link io.rustmq.client.TlsException} with the reason, as {@link #send}
     *     reports it), else a retriable {@link ConnectionException} naming every broker tried and why it did not
     *     answer, at the latest when the request timeout has elapsed
     */
    public CompletableFuture<HealthCheckResult> healthCheck() {
        if (closed) {
            return CompletableFuture.failedFuture(closedException());
        }
        start();
        return health.check();
    }

    // ------------------------------------------------------------------------------------------------------------
    // State

    /**
     * Whether a connection to at least one broker is open now.
     *
     * @return {@code true} if connected
     */
    public boolean isConnected() {
        for (BrokerNode n : router.healthy()) {
            if (n.isUp()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Byte and request counters of the transport.
     *
     * @return live counters
     */
    public TransportStats transportStats() {
        return connector.stats();
    }

    /**
     * A snapshot of the pool's counters: the transport's, plus brokers known, health checks and reconnect attempts.
     *
     * @return an immutable snapshot
     */
    public ClientStats stats() {
        TransportStats t = connector.stats();
        return new ClientStats(t.activeConnections(), t.connectionsOpened(), router.nodes().size(), t.bytesSent(),
                t.bytesReceived(), t.requestsSent(), t.responsesReceived(), t.errors(), health.checks(),
                health.errors(), health.lastHeartbeat(), reconnectAttempts.sum());
    }

    /**
     * The brokers the pool knows of and the state of each, for diagnostics.
     *
     * @return one line per broker, e.g. {@code "broker-1 (127.0.0.1:9092): connected"}
     */
    public List<String> brokerStatus() {
        List<String> out = new ArrayList<>();
        for (BrokerNode n : router.nodes()) {
            out.add(n.status());
        }
        return out;
    }

    private void start() {
        synchronized (lifecycle) {
            if (started || closed) {
                return;
            }
            started = true;
        }
        for (BrokerNode n : router.nodes()) {
            n.connectIfIdle();
        }
        health.startBackground();
    }

    // Called by BrokerNode.

    boolean reserveSlot(BrokerNode node, boolean mayEvict) {
        return slots.reserve(mayEvict ? () -> router.evictOneIdle(node) : null);
    }

    void releaseSlot() {
        slots.release();
    }

    void nodeUp(BrokerNode node, boolean reconnected) {
        router.refreshHealthy();
        if (reconnected) {
            // Leadership may have moved while the broker was away.
            router.autoRefresh();
        }
    }

    void nodeDown(BrokerNode node) {
        router.refreshHealthy();
        boolean coordinated = groups.cache().forgetNode(node);
        if (coordinated || router.leadsAnything(node)) {
            router.autoRefresh();
        }
    }

    void onReconnectAttempt(BrokerNode node, int attempt) {
        reconnectAttempts.increment();
        LOG.log(System.Logger.Level.DEBUG, () -> "reconnect attempt " + attempt + " to broker " + node.describe());
    }

    Connector connector() {
        return connector;
    }

    Backoff backoff() {
        return backoff;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    boolean isClosed() {
        return closed;
    }

    /** The nodes, for tests. */
    List<BrokerNode> nodes() {
        return List.copyOf(router.nodes());
    }

    /** Closes every connection, stops reconnecting and health checks. Idempotent; pending requests fail. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        health.stop();
        for (BrokerNode n : router.nodes()) {
            n.cancelReconnect();
        }
        scheduler.close();
        retry.close(closedException());
        connector.close();
        router.clearHealthy();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Helpers

    private static RustMQException closedException() {
        return new RustMQException("client is closed");
    }

    @Override
    public String toString() {
        return "ConnectionPool{" + brokerStatus() + "}";
    }
}
