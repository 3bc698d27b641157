package io.rustmq.client.transport;

import io.rustmq.client.BrokerErrorException;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.ClientStats;
import io.rustmq.client.ConnectionException;
import io.rustmq.client.GroupCoordinationException;
import io.rustmq.client.HealthCheckResult;
import io.rustmq.client.ProtocolException;
import io.rustmq.client.RequestTimeoutException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.protocol.BrokerInfo;
import io.rustmq.client.protocol.CommitOffsetRequest;
import io.rustmq.client.protocol.ConsumerHeartbeatRequest;
import io.rustmq.client.protocol.ConsumerHeartbeatResponse;
import io.rustmq.client.protocol.FetchOffsetRequest;
import io.rustmq.client.protocol.FetchRequest;
import io.rustmq.client.protocol.FindCoordinatorRequest;
import io.rustmq.client.protocol.FindCoordinatorResponse;
import io.rustmq.client.protocol.JoinGroupRequest;
import io.rustmq.client.protocol.LeaveGroupRequest;
import io.rustmq.client.protocol.MetadataRequest;
import io.rustmq.client.protocol.MetadataResponse;
import io.rustmq.client.protocol.PartitionMetadata;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.Request;
import io.rustmq.client.protocol.RequestType;
import io.rustmq.client.protocol.Response;
import io.rustmq.client.protocol.TopicMetadata;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.regex.Pattern;

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
 */
public final class ConnectionPool implements AutoCloseable {
    /** The least time between two automatic Metadata refreshes. */
    static final long MIN_AUTO_REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final System.Logger LOG = System.getLogger(ConnectionPool.class.getName());
    private static final BrokerNode[] NO_NODES = new BrokerNode[0];
    /** The routes of a topic that Metadata naming it did not list (the shipped broker lists none): round robin. */
    private static final BrokerNode[] UNLISTED = new BrokerNode[0];
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final ClientConfig config;
    private final Connector connector;
    private final Scheduler scheduler;
    private final Backoff backoff;
    private final Object topology = new Object();
    private final CopyOnWriteArrayList<BrokerNode> nodes = new CopyOnWriteArrayList<>();
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final AtomicInteger slots = new AtomicInteger();
    private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, BrokerNode> coordinators = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<BrokerNode>> coordinatorLookups =
            new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Void>> topicLookups = new ConcurrentHashMap<>();
    /** Results of {@link #sendWithRetry} calls waiting for their next attempt: failed by {@link #close()}. */
    private final Set<CompletableFuture<?>> waitingRetries = ConcurrentHashMap.newKeySet();
    private final AtomicReference<CompletableFuture<MetadataResponse>> autoRefresh = new AtomicReference<>();
    private final LongAdder healthChecks = new LongAdder();
    private final LongAdder healthCheckErrors = new LongAdder();
    private final LongAdder reconnectAttempts = new LongAdder();

    /** Connected brokers, for round robin; replaced on every state change. */
    private volatile BrokerNode[] healthy = NO_NODES;
    /** Partition leaders by topic, indexed by partition id; replaced (never changed) on Metadata. */
    private volatile Map<String, BrokerNode[]> leaders = Map.of();
    private volatile long lastAutoRefreshNanos;
    private volatile Instant lastHeartbeat;
    private volatile boolean started;
    private volatile boolean closed;
    private Scheduler.Cancellable healthTimer;

    ConnectionPool(ClientConfig config, Connector connector, Scheduler scheduler, DoubleSupplier jitter) {
        this.config = config;
        this.connector = connector;
        this.scheduler = scheduler;
        this.backoff = jitter == null ? new Backoff(config.retry()) : new Backoff(config.retry(), jitter);
        this.lastAutoRefreshNanos = scheduler.nanoTime() - MIN_AUTO_REFRESH_NANOS;
        Set<String> seen = new HashSet<>();
        for (InetSocketAddress a : config.brokerAddresses()) {
            BrokerNode n = new BrokerNode(this, a, true);
            if (seen.add(n.addressText().toLowerCase(java.util.Locale.ROOT))) {
                nodes.add(n);
            }
        }
    }

    /**
     * Creates a pool; connections are opened on first use.
     *
     * @param config the client configuration
     * @return the pool; close it to release its threads and connections
     * @throws io.rustmq.client.ConfigurationException if a TLS file is unreadable or malformed
     * @throws io.rustmq.client.TlsException if the TLS material cannot be used
     */
    public static ConnectionPool create(ClientConfig config) {
        QuicConnector connector = new QuicConnector(config);
        return new ConnectionPool(config, connector, Scheduler.on(config.threadFactory().orElse(null),
                "rustmq-pool-" + config.clientId()), null);
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
        return route(request, true, true);
    }

    /**
     * Routes and sends a request.
     *
     * @param mayWaitForMetadata whether a request whose leader is down may wait for a Metadata refresh in progress
     * @param mayLookUpTopic whether a Produce or Fetch for a topic never seen may first ask Metadata about it
     */
    private CompletableFuture<Response> route(Request request, boolean mayWaitForMetadata, boolean mayLookUpTopic) {
        if (closed) {
            return CompletableFuture.failedFuture(closedException());
        }
        if (!started) {
            start();
        }
        BrokerNode leader;
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
                return sendToCoordinator(groupOf(request), request);
        }
        if (topic == null) {
            leader = null;
        } else {
            BrokerNode[] byPartition = leaders.get(topic);
            if (byPartition == null) {
                if (mayLookUpTopic) {
                    return afterTopicLookup(topic, request);
                }
                leader = null;
            } else {
                leader = partition >= 0 && partition < byPartition.length ? byPartition[partition] : null;
            }
        }
        BrokerNode target = leader != null ? leader : pickHealthy();
        if (target != null) {
            BrokerLink l = target.activeLink();
            if (l != null) {
                return exchange(target, l, request, null);
            }
        }
        return sendSlow(request, leader, mayWaitForMetadata);
    }

    private CompletableFuture<Response> sendSlow(Request request, BrokerNode leader, boolean mayWaitForMetadata) {
        if (leader == null) {
            return then(anyNode(), n -> then(n.connection(true), l -> exchange(n, l, request, null)));
        }
        if (leader.state() == BrokerNode.State.DOWN && mayWaitForMetadata) {
            CompletableFuture<MetadataResponse> refresh = autoRefresh();
            if (refresh != null) {
                CompletableFuture<Response> out = new CompletableFuture<>();
                refresh.whenComplete((m, e) -> relay(route(request, false, false), out));
                return out;
            }
        }
        return then(leader.connection(true), l -> exchange(leader, l, request, null));
    }

    /** Asks Metadata about a topic never seen (once, however many requests wait), then routes the request. */
    private CompletableFuture<Response> afterTopicLookup(String topic, Request request) {
        CompletableFuture<Void> lookup = topicLookups.get(topic);
        if (lookup == null) {
            CompletableFuture<Void> mine = new CompletableFuture<>();
            lookup = topicLookups.putIfAbsent(topic, mine);
            if (lookup == null) {
                lookup = mine;
                route(new MetadataRequest(List.of(topic)), false, false).whenComplete((r, e) -> {
                    if (e == null) {
                        markUnlistedIfAbsent(topic);
                    } else {
                        LOG.log(System.Logger.Level.DEBUG, () -> "metadata for topic " + topic + " failed: "
                                + e.getMessage());
                    }
                    topicLookups.remove(topic, mine);
                    mine.complete(null);
                });
            }
        }
        CompletableFuture<Response> out = new CompletableFuture<>();
        lookup.whenComplete((v, e) -> relay(route(request, true, false), out));
        return out;
    }

    /** After Metadata naming a topic: if it did not list the topic, route the topic round robin from now on. */
    private void markUnlistedIfAbsent(String topic) {
        synchronized (topology) {
            if (!leaders.containsKey(topic)) {
                Map<String, BrokerNode[]> next = new HashMap<>(leaders);
                next.put(topic, UNLISTED);
                leaders = next;
            }
        }
    }

    private BrokerNode pickHealthy() {
        BrokerNode[] h = healthy;
        switch (h.length) {
            case 0:
                return null;
            case 1:
                return h[0];
            default:
                return h[Math.floorMod(roundRobin.getAndIncrement(), h.length)];
        }
    }

    /** Sends on an open link and observes the outcome (routing updates); the failure is passed on unwrapped. */
    private CompletableFuture<Response> exchange(BrokerNode node, BrokerLink link, Request request,
                                                 Duration timeout) {
        CompletableFuture<Response> sent = timeout == null ? link.send(request) : link.send(request, timeout);
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
                Throwable cause = strip(error);
                onFailure(node, request, cause);
                out.completeExceptionally(cause);
            }
        });
        return out;
    }

    private void onResponse(BrokerNode node, Response response) {
        if (response instanceof MetadataResponse m) {
            applyMetadata(node, m);
        } else if (response instanceof ConsumerHeartbeatResponse h && h.errorCode() == 0) {
            lastHeartbeat = Instant.now();
        }
    }

    private void onFailure(BrokerNode node, Request request, Throwable cause) {
        RequestType type = request.type();
        if (cause instanceof BrokerErrorException b && (type == RequestType.PRODUCE || type == RequestType.FETCH)
                && isStaleRouting(b.brokerMessage())) {
            LOG.log(System.Logger.Level.DEBUG, () -> "broker " + node.describe() + " answered '"
                    + b.brokerMessage() + "': refreshing metadata");
            autoRefresh();
        } else if ((cause instanceof ConnectionException || cause instanceof RequestTimeoutException)
                && type.code() >= RequestType.JOIN_GROUP.code()) {
            coordinators.remove(groupOf(request), node);
        }
    }

    static boolean isStaleRouting(String brokerMessage) {
        return brokerMessage.contains("Not leader for partition") || brokerMessage.contains("Partition not found");
    }

    /**
     * Sends one request, retrying retriable failures with the backoff of {@link ClientConfig#retry()} (the same
     * exponential schedule with jitter as reconnection) up to {@code retry.maxRetries} times; each attempt is routed
     * afresh. Non-retriable failures (protocol violations, oversized requests, configuration) fail at once.
     *
     * @param request the request; must be safe to repeat
     * @param type the expected response class
     * @param <R> the response type
     * @return the response; fails with the last failure once retries are exhausted, a failure is not retriable, or
     *     the pool is closed; a response of another type fails with {@link ProtocolException}
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
            LOG.log(System.Logger.Level.DEBUG, () -> "retrying " + request.type() + " in "
                    + TimeUnit.NANOSECONDS.toMillis(delayNanos) + " ms after: " + e.getMessage());
            waitingRetries.add(result);
            scheduler.schedule(() -> {
                waitingRetries.remove(result);
                attempt(request, type, retries + 1, result);
            }, delayNanos);
            if (closed) {
                waitingRetries.remove(result);
                result.completeExceptionally(e);
            }
        });
    }

    /**
     * Converts a future's failure into the client's exception type.
     *
     * @param error a failure, possibly wrapped in {@link CompletionException} or {@link ExecutionException}
     * @return the {@link RustMQException} inside, or a non-retriable one wrapping an unexpected failure
     */
    public static RustMQException unwrap(Throwable error) {
        Throwable t = strip(error);
        if (t instanceof RustMQException r) {
            return r;
        }
        return new RustMQException("unexpected failure: " + t, t, false);
    }

    private static Throwable strip(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Coordinators

    private CompletableFuture<Response> sendToCoordinator(String group, Request request) {
        BrokerNode c = coordinators.get(group);
        if (c != null) {
            BrokerLink l = c.activeLink();
            if (l != null) {
                return exchange(c, l, request, null);
            }
            if (c.state() == BrokerNode.State.DOWN || c.isRetired()) {
                coordinators.remove(group, c);
            } else {
                BrokerNode known = c;
                return then(known.connection(true), link -> exchange(known, link, request, null));
            }
        }
        return then(coordinator(group), n -> then(n.connection(true), l -> exchange(n, l, request, null)));
    }

    private CompletableFuture<BrokerNode> coordinator(String group) {
        CompletableFuture<BrokerNode> pending = coordinatorLookups.get(group);
        if (pending != null) {
            return pending;
        }
        CompletableFuture<BrokerNode> mine = new CompletableFuture<>();
        pending = coordinatorLookups.putIfAbsent(group, mine);
        if (pending != null) {
            return pending;
        }
        FindCoordinatorRequest find = new FindCoordinatorRequest(group);
        then(anyNode(), n -> then(n.connection(true), l -> exchange(n, l, find, null))
                .thenApply(r -> coordinatorNode(n, group, (FindCoordinatorResponse) r)))
                .whenComplete((node, error) -> {
                    coordinatorLookups.remove(group, mine);
                    if (error != null) {
                        mine.completeExceptionally(strip(error));
                    } else {
                        coordinators.put(group, node);
                        mine.complete(node);
                    }
                });
        return mine;
    }

    private BrokerNode coordinatorNode(BrokerNode answering, String group, FindCoordinatorResponse r) {
        if (r.errorCode() != 0) {
            throw new GroupCoordinationException("FindCoordinator", group, r.errorCode());
        }
        String host = mapWildcard(r.coordinatorHost(), answering);
        BrokerNode node;
        synchronized (topology) {
            node = findNode(r.coordinatorBrokerId(), host, r.coordinatorPort(), byId());
            if (node == null) {
                node = new BrokerNode(this, InetSocketAddress.createUnresolved(host, r.coordinatorPort()), false);
                nodes.add(node);
            }
            if (node.brokerId() == null && !r.coordinatorBrokerId().isEmpty()) {
                node.brokerId(r.coordinatorBrokerId());
            }
        }
        LOG.log(System.Logger.Level.DEBUG, "coordinator of group {0}: {1}", group, node.describe());
        return node;
    }

    private static String groupOf(Request r) {
        switch (r.type()) {
            case JOIN_GROUP:
                return ((JoinGroupRequest) r).groupId();
            case CONSUMER_HEARTBEAT:
                return ((ConsumerHeartbeatRequest) r).groupId();
            case COMMIT_OFFSET:
                return ((CommitOffsetRequest) r).groupId();
            case FETCH_OFFSET:
                return ((FetchOffsetRequest) r).groupId();
            case LEAVE_GROUP:
                return ((LeaveGroupRequest) r).groupId();
            default:
                throw new IllegalArgumentException("not a group request: " + r.type());
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Any broker

    /** A connected broker (round robin), or the first that finishes connecting; fails if every broker is down. */
    private CompletableFuture<BrokerNode> anyNode() {
        BrokerNode h = pickHealthy();
        if (h != null) {
            return CompletableFuture.completedFuture(h);
        }
        List<BrokerNode> candidates = new ArrayList<>();
        List<String> why = new CopyOnWriteArrayList<>();
        List<RustMQException> failures = new CopyOnWriteArrayList<>();
        for (BrokerNode n : nodes) {
            RustMQException down = n.failureIfDown();
            if (down != null) {
                why.add(n.status());
                failures.add(down);
            } else {
                candidates.add(n);
            }
        }
        if (candidates.isEmpty()) {
            return CompletableFuture.failedFuture(unreachable(why, failures));
        }
        CompletableFuture<BrokerNode> first = new CompletableFuture<>();
        AtomicInteger remaining = new AtomicInteger(candidates.size());
        for (BrokerNode n : candidates) {
            n.connection(false).whenComplete((l, e) -> {
                if (e == null) {
                    first.complete(n);
                    return;
                }
                RustMQException failure = unwrap(e);
                why.add(n.describe() + ": " + failure.getMessage());
                failures.add(failure);
                if (remaining.decrementAndGet() == 0) {
                    first.completeExceptionally(unreachable(why, failures));
                }
            });
        }
        return first;
    }

    /**
     * The failure of a request that no broker could take: when every broker failed for a reason retrying cannot cure
     * (TLS, configuration), that failure itself, so that callers do not retry; otherwise a retriable
     * {@link ConnectionException} listing each broker's reason.
     */
    private static RustMQException unreachable(List<String> why, List<RustMQException> failures) {
        RustMQException permanent = null;
        for (RustMQException f : failures) {
            if (f.isRetriable()) {
                permanent = null;
                break;
            }
            if (permanent == null) {
                permanent = f;
            }
        }
        if (permanent != null) {
            return permanent;
        }
        return new ConnectionException("no broker is reachable: " + String.join("; ", why),
                failures.isEmpty() ? null : failures.get(failures.size() - 1));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Metadata

    /**
     * The number of partitions of a topic, from cached Metadata (fetched on first use, naming the topic so that a
     * broker with auto-creation creates it), or {@code defaultPartitions} when the broker does not list the topic
     * (the shipped broker lists none). The answer is cached, so all sends see one partition count.
     *
     * @param topic the topic
     * @return the partition count, at least 1; fails as {@link #sendWithRetry} does
     */
    public CompletableFuture<Integer> partitionCount(String topic) {
        Integer known = partitionCounts.get(topic);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return sendWithRetry(new MetadataRequest(List.of(topic)), MetadataResponse.class).thenApply(m -> {
            markUnlistedIfAbsent(topic);
            return partitionCounts.computeIfAbsent(topic, t -> config.defaultPartitions());
        });
    }

    /**
     * Fetches Metadata for all topics (with retries) and updates brokers, partition leaders and partition counts.
     *
     * @return the metadata; fails as {@link #sendWithRetry} does
     */
    public CompletableFuture<MetadataResponse> refreshMetadata() {
        return sendWithRetry(new MetadataRequest(List.of()), MetadataResponse.class);
    }

    /** Starts a coalesced, rate-limited Metadata refresh; returns it, or null if one ran less than 100 ms ago. */
    private CompletableFuture<MetadataResponse> autoRefresh() {
        CompletableFuture<MetadataResponse> running = autoRefresh.get();
        if (running != null) {
            return running;
        }
        if (closed) {
            return null;
        }
        long now = scheduler.nanoTime();
        if (now - lastAutoRefreshNanos < MIN_AUTO_REFRESH_NANOS) {
            return null;
        }
        CompletableFuture<MetadataResponse> mine = new CompletableFuture<>();
        if (!autoRefresh.compareAndSet(null, mine)) {
            return autoRefresh.get();
        }
        lastAutoRefreshNanos = now;
        route(new MetadataRequest(List.of()), false, false).whenComplete((r, e) -> {
            autoRefresh.compareAndSet(mine, null);
            if (e != null) {
                LOG.log(System.Logger.Level.DEBUG, () -> "metadata refresh failed: " + e.getMessage());
                mine.completeExceptionally(e);
            } else {
                mine.complete((MetadataResponse) r);
            }
        });
        return mine;
    }

    /** Updates brokers, leaders and partition counts from a Metadata answer of {@code answering}. */
    private void applyMetadata(BrokerNode answering, MetadataResponse m) {
        List<BrokerNode> discovered = new ArrayList<>();
        List<BrokerNode> retired = new ArrayList<>();
        synchronized (topology) {
            if (closed) {
                return;
            }
            Map<String, BrokerNode> byId = byId();
            Set<BrokerNode> listed = new HashSet<>();
            for (BrokerInfo b : m.brokers()) {
                String host = mapWildcard(b.host(), answering);
                BrokerNode n = findNode(b.id(), host, b.portQuic(), byId);
                if (n == null && m.brokers().size() == 1 && !listed.contains(answering)
                        && (answering.brokerId() == null || answering.brokerId().equals(b.id()))) {
                    // A broker that lists only itself (the shipped one, spec §6.3) is the one that answered, whatever
                    // address it advertises.
                    n = answering;
                }
                if (n == null) {
                    n = new BrokerNode(this, InetSocketAddress.createUnresolved(host, b.portQuic()), false);
                    nodes.add(n);
                    discovered.add(n);
                }
                if (!b.id().equals(n.brokerId())) {
                    if (n.brokerId() != null) {
                        byId.remove(n.brokerId());
                    }
                    n.brokerId(b.id());
                }
                byId.put(b.id(), n);
                listed.add(n);
            }
            if (!m.brokers().isEmpty()) {
                for (BrokerNode n : nodes) {
                    if (!n.isBootstrap() && !listed.contains(n) && !n.isUp() && !coordinators.containsValue(n)) {
                        retired.add(n);
                    }
                }
                nodes.removeAll(retired);
                for (BrokerNode n : retired) {
                    if (n.brokerId() != null) {
                        byId.remove(n.brokerId(), n);
                    }
                }
            }
            if (!m.topicsMetadata().isEmpty() || !retired.isEmpty()) {
                Map<String, BrokerNode[]> next = new HashMap<>(leaders);
                for (TopicMetadata t : m.topicsMetadata()) {
                    if (t.partitions().isEmpty()) {
                        continue;
                    }
                    int size = 0;
                    for (PartitionMetadata p : t.partitions()) {
                        if (p.partitionId() >= 0) {
                            size = Math.max(size, p.partitionId() + 1);
                        }
                    }
                    BrokerNode[] byPartition = new BrokerNode[size];
                    for (PartitionMetadata p : t.partitions()) {
                        if (p.partitionId() >= 0 && p.leader() != null) {
                            byPartition[p.partitionId()] = byId.get(p.leader());
                        }
                    }
                    next.put(t.name(), byPartition);
                    partitionCounts.put(t.name(), t.partitions().size());
                }
                if (!retired.isEmpty()) {
                    next.replaceAll((topic, byPartition) -> withoutRetired(byPartition, retired));
                }
                leaders = next;
            }
        }
        for (BrokerNode n : retired) {
            LOG.log(System.Logger.Level.DEBUG, () -> "broker " + n.describe() + " is no longer listed: dropped");
            n.retire();
        }
        if (!retired.isEmpty()) {
            refreshHealthy();
        }
        if (started) {
            for (BrokerNode n : discovered) {
                n.connectIfIdle();
            }
        }
    }

    private static BrokerNode[] withoutRetired(BrokerNode[] byPartition, List<BrokerNode> retired) {
        BrokerNode[] copy = byPartition.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] != null && retired.contains(copy[i])) {
                copy[i] = null;
            }
        }
        return copy;
    }

    /** Under the topology lock: the nodes whose broker id is known. */
    private Map<String, BrokerNode> byId() {
        Map<String, BrokerNode> byId = new HashMap<>();
        for (BrokerNode n : nodes) {
            if (n.brokerId() != null) {
                byId.put(n.brokerId(), n);
            }
        }
        return byId;
    }

    /**
     * Under the topology lock: the node for a broker, by id, by {@code host:port} as written, or by the IP address
     * of a connected node (a bootstrap {@code localhost:9092} is the listed {@code 127.0.0.1:9092}).
     */
    private BrokerNode findNode(String id, String host, int port, Map<String, BrokerNode> byId) {
        BrokerNode n = id.isEmpty() ? null : byId.get(id);
        if (n != null) {
            return n;
        }
        for (BrokerNode node : nodes) {
            if (node.address().getPort() == port && node.address().getHostString().equalsIgnoreCase(host)) {
                return node;
            }
        }
        InetAddress ip = ipLiteral(host);
        if (ip != null) {
            for (BrokerNode node : nodes) {
                BrokerLink l = node.activeLink();
                if (l != null && l.remoteAddress().getPort() == port && ip.equals(l.remoteAddress().getAddress())) {
                    return node;
                }
            }
        }
        return null;
    }

    private static InetAddress ipLiteral(String host) {
        if (!IPV4.matcher(host).matches() && host.indexOf(':') < 0) {
            return null; // a name: resolving it here could block
        }
        try {
            return InetAddress.getByName(host); // a literal: no lookup
        } catch (UnknownHostException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "not an IP literal: " + host);
            return null;
        }
    }

    /**
     * A host the broker advertised, with wildcard and mangled values (spec B10: {@code 0.0.0.0}, {@code ::}, the
     * shipped broker's {@code "["} for IPv6) replaced by the host we reached the answering broker at.
     */
    static String mapWildcard(String host, BrokerNode answering) {
        String h = host == null ? "" : host.trim();
        if (h.startsWith("[") && h.endsWith("]") && h.length() > 1) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.isEmpty() || h.equals("0.0.0.0") || h.equals("::") || h.equals("0:0:0:0:0:0:0:0") || h.startsWith("[")
                || h.endsWith("]")) {
            return answering.address().getHostString();
        }
        return h;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Health

    /**
     * Checks that a broker answers: a Metadata round trip (DESIGN §4: the broker has no health request) to a
     * connected broker, or to the next one that can be reached, all within {@link ClientConfig#requestTimeout()}.
     * The answer also refreshes the routes. Counted in {@link ClientStats#healthChecks()} and, when it fails,
     * {@link ClientStats#healthCheckErrors()}.
     *
     * @return the result; or a future failed with a {@link ConnectionException} naming every broker tried and why it
     *     did not answer, at the latest when the request timeout has elapsed
     */
    public CompletableFuture<HealthCheckResult> healthCheck() {
        if (closed) {
            return CompletableFuture.failedFuture(closedException());
        }
        start();
        long timeoutNanos = saturatedNanos(config.requestTimeout());
        long deadline = scheduler.nanoTime() + timeoutNanos;
        CompletableFuture<HealthCheckResult> result = new CompletableFuture<>();
        Set<BrokerNode> tried = ConcurrentHashMap.newKeySet();
        List<String> failures = new CopyOnWriteArrayList<>();
        Scheduler.Cancellable timer = scheduler.schedule(() -> {
            List<String> why = new ArrayList<>(failures);
            for (BrokerNode n : tried) {
                if (why.stream().noneMatch(s -> s.startsWith(n.describe()))) {
                    why.add(n.status() + " (no answer yet)");
                }
            }
            result.completeExceptionally(noAnswer(why, null));
        }, timeoutNanos);
        result.whenComplete((r, e) -> {
            timer.cancel();
            healthChecks.increment();
            if (e != null) {
                healthCheckErrors.increment();
            } else {
                lastHeartbeat = r.timestamp();
            }
        });
        healthAttempt(result, tried, failures, deadline);
        return result;
    }

    private void healthAttempt(CompletableFuture<HealthCheckResult> result, Set<BrokerNode> tried,
                               List<String> failures, long deadline) {
        if (result.isDone()) {
            return;
        }
        BrokerNode next = null;
        for (BrokerNode n : healthy) {
            if (!tried.contains(n)) {
                next = n;
                break;
            }
        }
        if (next == null) {
            for (BrokerNode n : nodes) {
                if (tried.contains(n)) {
                    continue;
                }
                if (n.state() == BrokerNode.State.DOWN) {
                    tried.add(n);
                    failures.add(n.status());
                } else if (next == null) {
                    next = n;
                }
            }
        }
        if (next == null) {
            result.completeExceptionally(noAnswer(failures, null));
            return;
        }
        BrokerNode node = next;
        tried.add(node);
        node.connection(false).whenComplete((link, error) -> {
            if (error != null) {
                failures.add(node.describe() + ": " + strip(error).getMessage());
                healthAttempt(result, tried, failures, deadline);
                return;
            }
            long remaining = deadline - scheduler.nanoTime();
            if (remaining <= 0) {
                return; // the timer fails the check
            }
            long sentAt = System.nanoTime();
            exchange(node, link, new MetadataRequest(List.of()), Duration.ofNanos(remaining))
                    .whenComplete((response, e) -> {
                        if (e != null) {
                            failures.add(node.describe() + ": " + strip(e).getMessage());
                            healthAttempt(result, tried, failures, deadline);
                            return;
                        }
                        Duration rtt = Duration.ofNanos(System.nanoTime() - sentAt);
                        result.complete(new HealthCheckResult(degraded() ? HealthCheckResult.Status.DEGRADED
                                : HealthCheckResult.Status.HEALTHY, node.brokerId(), node.addressText(), rtt,
                                Instant.now(), healthy.length, nodes.size()));
                    });
        });
    }

    private ConnectionException noAnswer(List<String> why, Throwable cause) {
        return new ConnectionException("health check failed: no broker answered a Metadata request within "
                + config.requestTimeout().toMillis() + " ms (requestTimeout)"
                + (why.isEmpty() ? "" : ": " + String.join("; ", why)), cause);
    }

    private boolean degraded() {
        for (BrokerNode n : nodes) {
            if (n.isFailing()) {
                return true;
            }
        }
        return false;
    }

    private void scheduleBackgroundCheck() {
        synchronized (topology) {
            if (closed) {
                return;
            }
            healthTimer = scheduler.schedule(this::backgroundCheck, saturatedNanos(config.keepAliveInterval()));
        }
    }

    private void backgroundCheck() {
        if (closed) {
            return;
        }
        healthCheck().whenComplete((r, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.DEBUG, () -> "background health check: " + e.getMessage());
            }
            scheduleBackgroundCheck();
        });
    }

    // ------------------------------------------------------------------------------------------------------------
    // State

    /**
     * Whether a connection to at least one broker is open now.
     *
     * @return {@code true} if connected
     */
    public boolean isConnected() {
        for (BrokerNode n : healthy) {
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
        return new ClientStats(t.activeConnections(), t.connectionsOpened(), nodes.size(), t.bytesSent(),
                t.bytesReceived(), t.requestsSent(), t.responsesReceived(), t.errors(), healthChecks.sum(),
                healthCheckErrors.sum(), lastHeartbeat, reconnectAttempts.sum());
    }

    /**
     * The brokers the pool knows of and the state of each, for diagnostics.
     *
     * @return one line per broker, e.g. {@code "broker-1 (127.0.0.1:9092): connected"}
     */
    public List<String> brokerStatus() {
        List<String> out = new ArrayList<>();
        for (BrokerNode n : nodes) {
            out.add(n.status());
        }
        return out;
    }

    private void start() {
        synchronized (topology) {
            if (started || closed) {
                return;
            }
            started = true;
        }
        for (BrokerNode n : nodes) {
            n.connectIfIdle();
        }
        scheduleBackgroundCheck();
    }

    // Called by BrokerNode.

    boolean reserveSlot(BrokerNode node, boolean mayEvict) {
        int max = config.maxConnections();
        while (true) {
            int used = slots.get();
            if (used < max) {
                if (slots.compareAndSet(used, used + 1)) {
                    return true;
                }
                continue;
            }
            if (!mayEvict || !evictOneIdle(node)) {
                return false;
            }
        }
    }

    private boolean evictOneIdle(BrokerNode except) {
        for (BrokerNode n : nodes) {
            if (n != except && n.evictIfIdle()) {
                refreshHealthy();
                return true;
            }
        }
        return false;
    }

    void releaseSlot() {
        slots.decrementAndGet();
    }

    void nodeUp(BrokerNode node, boolean reconnected) {
        refreshHealthy();
        if (reconnected) {
            // Leadership may have moved while the broker was away.
            autoRefresh();
        }
    }

    void nodeDown(BrokerNode node) {
        refreshHealthy();
        boolean coordinated = coordinators.values().removeIf(n -> n == node);
        if (coordinated || leadsAnything(node)) {
            autoRefresh();
        }
    }

    void onReconnectAttempt(BrokerNode node, int attempt) {
        reconnectAttempts.increment();
        LOG.log(System.Logger.Level.DEBUG, () -> "reconnect attempt " + attempt + " to broker " + node.describe());
    }

    private boolean leadsAnything(BrokerNode node) {
        for (BrokerNode[] byPartition : leaders.values()) {
            for (BrokerNode n : byPartition) {
                if (n == node) {
                    return true;
                }
            }
        }
        return false;
    }

    private void refreshHealthy() {
        synchronized (topology) {
            List<BrokerNode> up = new ArrayList<>();
            for (BrokerNode n : nodes) {
                if (n.isUp()) {
                    up.add(n);
                }
            }
            healthy = up.toArray(NO_NODES);
        }
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
        return List.copyOf(nodes);
    }

    /** Closes every connection, stops reconnecting and health checks. Idempotent; pending requests fail. */
    @Override
    public void close() {
        synchronized (topology) {
            if (closed) {
                return;
            }
            closed = true;
            if (healthTimer != null) {
                healthTimer.cancel();
            }
        }
        for (BrokerNode n : nodes) {
            n.cancelReconnect();
        }
        scheduler.close();
        for (CompletableFuture<?> waiting : List.copyOf(waitingRetries)) {
            waiting.completeExceptionally(closedException());
        }
        waitingRetries.clear();
        connector.close();
        healthy = NO_NODES;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Helpers

    private static RustMQException closedException() {
        return new RustMQException("client is closed");
    }

    /** {@code f.thenCompose(next)}, passing failures on unwrapped (never as {@link CompletionException}). */
    private static <T, R> CompletableFuture<R> then(CompletableFuture<T> f,
                                                    Function<? super T, CompletableFuture<R>> next) {
        CompletableFuture<R> out = new CompletableFuture<>();
        f.whenComplete((v, e) -> {
            if (e != null) {
                out.completeExceptionally(strip(e));
                return;
            }
            CompletableFuture<R> n;
            try {
                n = next.apply(v);
            } catch (RuntimeException x) {
                out.completeExceptionally(x);
                return;
            }
            relay(n, out);
        });
        return out;
    }

    private static <T> void relay(CompletableFuture<T> from, CompletableFuture<T> to) {
        from.whenComplete((v, e) -> {
            if (e != null) {
                to.completeExceptionally(strip(e));
            } else {
                to.complete(v);
            }
        });
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    @Override
    public String toString() {
        return "ConnectionPool{" + brokerStatus() + "}";
    }
}
