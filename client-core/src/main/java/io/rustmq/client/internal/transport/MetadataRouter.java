package io.rustmq.client.internal.transport;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.ConnectionException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.internal.transport.RetryPolicy;
import io.rustmq.client.protocol.BrokerInfo;
import io.rustmq.client.protocol.MetadataRequest;
import io.rustmq.client.protocol.MetadataResponse;
import io.rustmq.client.protocol.PartitionMetadata;
import io.rustmq.client.protocol.TopicMetadata;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Routing and metadata: the brokers the pool knows ({@link BrokerNode}s: bootstrap, listed by Metadata, named by
 * FindCoordinator), the connected ones for round robin, the partition leaders and partition counts by topic, and
 * the coalesced, rate-limited automatic Metadata refresh. {@link #leader} and {@link #pickHealthy} read no lock
 * (volatile snapshots replaced on change); changes happen under one topology lock, which is never held while
 * calling into a node's connection or a future's dependents. Runs on callers' threads (routing) and on the
 * transport's callback threads (Metadata answers, node state changes).
 */
final class MetadataRouter {
    /** The least time between two automatic Metadata refreshes. */
    static final long MIN_AUTO_REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final System.Logger LOG = System.getLogger(MetadataRouter.class.getName());
    private static final BrokerNode[] NO_NODES = new BrokerNode[0];
    /** The routes of a topic that Metadata naming it did not list (the shipped broker lists none): round robin. */
    private static final BrokerNode[] UNLISTED = new BrokerNode[0];
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final ConnectionPool pool;
    private final ClientConfig config;
    private final Object topology = new Object();
    private final CopyOnWriteArrayList<BrokerNode> nodes = new CopyOnWriteArrayList<>();
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Void>> topicLookups = new ConcurrentHashMap<>();
    private final AtomicReference<CompletableFuture<MetadataResponse>> autoRefresh = new AtomicReference<>();

    /** Connected brokers, for round robin; replaced on every state change. */
    private volatile BrokerNode[] healthy = NO_NODES;
    /** Partition leaders by topic, indexed by partition id; replaced (never changed) on Metadata. */
    private volatile Map<String, BrokerNode[]> leaders = Map.of();
    private volatile long lastAutoRefreshNanos;

    MetadataRouter(ConnectionPool pool, ClientConfig config) {
        this.pool = pool;
        this.config = config;
        this.lastAutoRefreshNanos = pool.scheduler().nanoTime() - MIN_AUTO_REFRESH_NANOS;
        Set<String> seen = new HashSet<>();
        for (InetSocketAddress a : config.brokerAddresses()) {
            BrokerNode n = new BrokerNode(pool, a, true);
            if (seen.add(n.addressText().toLowerCase(Locale.ROOT))) {
                nodes.add(n);
            }
        }
    }

    /** The known brokers (a live, thread-safe view). */
    List<BrokerNode> nodes() {
        return nodes;
    }

    /** The connected brokers (a snapshot). */
    BrokerNode[] healthy() {
        return healthy;
    }

    /**
     * The routes of a topic.
     *
     * @return leaders by partition id (entries may be null; empty when Metadata did not list the topic), or
     *     {@code null} if the pool has never asked Metadata about the topic
     */
    BrokerNode[] leaders(String topic) {
        return leaders.get(topic);
    }

    /** The leader of a partition, or null when unknown (unlisted topic, unknown partition). */
    static BrokerNode leader(BrokerNode[] byPartition, int partition) {
        return partition >= 0 && partition < byPartition.length ? byPartition[partition] : null;
    }

    /** A connected broker, round robin; null if none. */
    BrokerNode pickHealthy() {
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

    /** Recomputes the connected brokers. */
    void refreshHealthy() {
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

    /** Forgets every connected broker (on close). */
    void clearHealthy() {
        healthy = NO_NODES;
    }

    /** Whether some partition's leader is {@code node}. */
    boolean leadsAnything(BrokerNode node) {
        for (BrokerNode[] byPartition : leaders.values()) {
            for (BrokerNode n : byPartition) {
                if (n == node) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether some known broker is failing (for a DEGRADED health result). */
    boolean anyFailing() {
        for (BrokerNode n : nodes) {
            if (n.isFailing()) {
                return true;
            }
        }
        return false;
    }

    /** Closes one idle connection other than {@code except}'s, to free a slot; returns whether it did. */
    boolean evictOneIdle(BrokerNode except) {
        for (BrokerNode n : nodes) {
            if (n != except && n.evictIfIdle()) {
                refreshHealthy();
                return true;
            }
        }
        return false;
    }

    /** The cached partition count of a topic, or null. */
    Integer partitionCount(String topic) {
        return partitionCounts.get(topic);
    }

    /** After Metadata naming a topic that did not list it: caches {@code defaultPartitions} and round robin. */
    int partitionCountAfterLookup(String topic) {
        markUnlistedIfAbsent(topic);
        return partitionCounts.computeIfAbsent(topic, t -> config.defaultPartitions());
    }

    /**
     * Asks Metadata about a topic never seen, once however many requests wait for it.
     *
     * @return completes (never exceptionally) when the lookup ended
     */
    CompletableFuture<Void> lookUpTopic(String topic) {
        CompletableFuture<Void> lookup = topicLookups.get(topic);
        if (lookup != null) {
            return lookup;
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        lookup = topicLookups.putIfAbsent(topic, mine);
        if (lookup != null) {
            return lookup;
        }
        pool.routeMetadata(new MetadataRequest(List.of(topic))).whenComplete((r, e) -> {
            if (e == null) {
                markUnlistedIfAbsent(topic);
            } else {
                LOG.log(System.Logger.Level.DEBUG, () -> "metadata for topic " + topic + " failed: "
                        + e.getMessage());
            }
            topicLookups.remove(topic, mine);
            mine.complete(null);
        });
        return mine;
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

    /**
     * Starts a coalesced, rate-limited Metadata refresh.
     *
     * @return the refresh, or null if one ran less than 100 ms ago or the pool is closed
     */
    CompletableFuture<MetadataResponse> autoRefresh() {
        CompletableFuture<MetadataResponse> running = autoRefresh.get();
        if (running != null) {
            return running;
        }
        if (pool.isClosed()) {
            return null;
        }
        long now = pool.scheduler().nanoTime();
        if (now - lastAutoRefreshNanos < MIN_AUTO_REFRESH_NANOS) {
            return null;
        }
        CompletableFuture<MetadataResponse> mine = new CompletableFuture<>();
        if (!autoRefresh.compareAndSet(null, mine)) {
            return autoRefresh.get();
        }
        lastAutoRefreshNanos = now;
        pool.routeMetadata(new MetadataRequest(List.of())).whenComplete((r, e) -> {
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

    /**
     * Updates brokers, leaders and partition counts from a Metadata answer of {@code answering}.
     *
     * @param keep brokers to keep even if the answer does not list them (group coordinators)
     * @return the brokers discovered by this answer (to connect to)
     */
    List<BrokerNode> applyMetadata(BrokerNode answering, MetadataResponse m, Predicate<BrokerNode> keep) {
        List<BrokerNode> discovered = new ArrayList<>();
        List<BrokerNode> retired = new ArrayList<>();
        synchronized (topology) {
            if (pool.isClosed()) {
                return discovered;
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
                    n = new BrokerNode(pool, InetSocketAddress.createUnresolved(host, b.portQuic()), false);
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
                    if (!n.isBootstrap() && !listed.contains(n) && !n.isUp() && !keep.test(n)) {
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
        return discovered;
    }

    /**
     * The node of a group coordinator named by FindCoordinator, added if the pool did not know it.
     *
     * @param answering the broker that answered (for a wildcard host)
     */
    BrokerNode coordinatorNode(BrokerNode answering, String brokerId, String advertisedHost, int port) {
        String host = mapWildcard(advertisedHost, answering);
        synchronized (topology) {
            BrokerNode node = findNode(brokerId, host, port, byId());
            if (node == null) {
                node = new BrokerNode(pool, InetSocketAddress.createUnresolved(host, port), false);
                nodes.add(node);
            }
            if (node.brokerId() == null && !brokerId.isEmpty()) {
                node.brokerId(brokerId);
            }
            return node;
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

    /** A connected broker (round robin), or the first that finishes connecting; fails if every broker is down. */
    CompletableFuture<BrokerNode> anyNode() {
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
                RustMQException failure = RetryPolicy.unwrap(e);
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
}
