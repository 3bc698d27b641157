package io.rustmq.client.internal.transport;

import io.rustmq.client.protocol.CommitOffsetRequest;
import io.rustmq.client.protocol.ConsumerHeartbeatRequest;
import io.rustmq.client.protocol.FetchOffsetRequest;
import io.rustmq.client.protocol.JoinGroupRequest;
import io.rustmq.client.protocol.LeaveGroupRequest;
import io.rustmq.client.protocol.Request;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The coordinator cache: which broker coordinates each consumer group, as FindCoordinator last said, and the one
 * lookup in progress per group (every request waiting for a group's coordinator shares it). Entries are forgotten
 * when the coordinator's connection fails or times out, or when the broker is lost; the next group request looks
 * it up again. Lock-free (concurrent maps); called from callers' threads and the transport's callback threads.
 *
 * @param <N> the pool's broker type
 */
public final class CoordinatorCache<N> {
    private final ConcurrentHashMap<String, N> coordinators = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<N>> lookups = new ConcurrentHashMap<>();

    /**
     * The cached coordinator of a group.
     *
     * @param group the group id
     * @return the broker, or {@code null} if unknown
     */
    public N get(String group) {
        return coordinators.get(group);
    }

    /**
     * The coordinator of a group: the cached one, else the result of one shared lookup.
     *
     * @param group the group id
     * @param find starts a FindCoordinator lookup for a group; called at most once per group at a time
     * @return the coordinator; fails as the lookup fails (nothing is cached then)
     */
    public CompletableFuture<N> lookUp(String group, Function<String, CompletableFuture<N>> find) {
        N known = coordinators.get(group);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        CompletableFuture<N> pending = lookups.get(group);
        if (pending != null) {
            return pending;
        }
        CompletableFuture<N> mine = new CompletableFuture<>();
        pending = lookups.putIfAbsent(group, mine);
        if (pending != null) {
            return pending;
        }
        CompletableFuture<N> found;
        try {
            found = find.apply(group);
        } catch (RuntimeException e) {
            found = CompletableFuture.failedFuture(e);
        }
        found.whenComplete((node, error) -> {
            lookups.remove(group, mine);
            if (error != null) {
                mine.completeExceptionally(RetryPolicy.strip(error));
            } else {
                coordinators.put(group, node);
                mine.complete(node);
            }
        });
        return mine;
    }

    /**
     * Forgets a group's coordinator if it is still {@code node}.
     *
     * @param group the group id
     * @param node the broker that failed
     */
    public void forget(String group, N node) {
        coordinators.remove(group, node);
    }

    /**
     * Forgets every group that {@code node} coordinates.
     *
     * @param node a lost broker
     * @return whether it coordinated any group
     */
    public boolean forgetNode(N node) {
        return coordinators.values().removeIf(n -> n == node);
    }

    /**
     * Whether a broker coordinates any group.
     *
     * @param node the broker
     * @return {@code true} if some group's cached coordinator is {@code node}
     */
    public boolean coordinatesAny(N node) {
        return coordinators.containsValue(node);
    }

    /**
     * The group a group request is for.
     *
     * @param r a JoinGroup, ConsumerHeartbeat, CommitOffset, FetchOffset or LeaveGroup request
     * @return its group id
     * @throws IllegalArgumentException for any other request
     */
    public static String groupOf(Request r) {
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
}
