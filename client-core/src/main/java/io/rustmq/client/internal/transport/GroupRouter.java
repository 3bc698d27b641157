package io.rustmq.client.internal.transport;

import io.rustmq.client.GroupCoordinationException;
import io.rustmq.client.internal.transport.CoordinatorCache;
import io.rustmq.client.protocol.FindCoordinatorRequest;
import io.rustmq.client.protocol.FindCoordinatorResponse;
import io.rustmq.client.protocol.Request;
import io.rustmq.client.protocol.Response;

import java.util.concurrent.CompletableFuture;

import static io.rustmq.client.internal.transport.Futures.then;

/**
 * Routing of group requests (JoinGroup, ConsumerHeartbeat, CommitOffset, FetchOffset, LeaveGroup): each goes to its
 * group's coordinator from the {@link CoordinatorCache}, looked up with FindCoordinator on any broker when unknown
 * (a host {@code 0.0.0.0} is read as the host of the broker that answered, spec B10). Holds no lock; runs on the
 * caller's thread and the transport's callback threads.
 */
final class GroupRouter {
    private static final System.Logger LOG = System.getLogger(GroupRouter.class.getName());

    private final ConnectionPool pool;
    private final MetadataRouter router;
    private final CoordinatorCache<BrokerNode> cache = new CoordinatorCache<>();

    GroupRouter(ConnectionPool pool, MetadataRouter router) {
        this.pool = pool;
        this.router = router;
    }

    /** The coordinator cache (forgotten entries when brokers fail). */
    CoordinatorCache<BrokerNode> cache() {
        return cache;
    }

    /** Sends a group request to its group's coordinator; failures are passed on unwrapped. */
    CompletableFuture<Response> send(String group, Request request) {
        BrokerNode c = cache.get(group);
        if (c != null) {
            BrokerLink l = c.activeLink();
            if (l != null) {
                return pool.exchange(c, l, request, null);
            }
            if (c.state() == BrokerNode.State.DOWN || c.isRetired()) {
                cache.forget(group, c);
            } else {
                BrokerNode known = c;
                return then(known.connection(true), link -> pool.exchange(known, link, request, null));
            }
        }
        return then(cache.lookUp(group, this::findCoordinator),
                n -> then(n.connection(true), l -> pool.exchange(n, l, request, null)));
    }

    private CompletableFuture<BrokerNode> findCoordinator(String group) {
        FindCoordinatorRequest find = new FindCoordinatorRequest(group);
        return then(router.anyNode(), n -> then(n.connection(true), l -> pool.exchange(n, l, find, null))
                .thenApply(r -> {
                    FindCoordinatorResponse f = (FindCoordinatorResponse) r;
                    if (f.errorCode() != 0) {
                        throw new GroupCoordinationException("FindCoordinator", group, f.errorCode());
                    }
                    BrokerNode node = router.coordinatorNode(n, f.coordinatorBrokerId(), f.coordinatorHost(),
                            f.coordinatorPort());
                    LOG.log(System.Logger.Level.DEBUG, "coordinator of group {0}: {1}", group, node.describe());
                    return node;
                }));
    }
}
