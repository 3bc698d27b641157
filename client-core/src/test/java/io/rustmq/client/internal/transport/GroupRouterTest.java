package io.rustmq.client.internal.transport;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.GroupCoordinationException;
import io.rustmq.client.internal.transport.ManualScheduler;
import io.rustmq.client.protocol.ConsumerHeartbeatRequest;
import io.rustmq.client.protocol.FindCoordinatorResponse;
import io.rustmq.client.protocol.RequestType;
import io.rustmq.client.internal.transport.FakeCluster.FakeBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Group requests routed to their coordinator, against in-memory brokers. */
class GroupRouterTest {
    private final FakeCluster cluster = new FakeCluster();
    private ConnectionPool pool;

    @AfterEach
    void close() {
        pool.close();
    }

    private static Throwable failure(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        return f.handle((v, e) -> e).join();
    }

    @Test
    void aGroupRequestGoesToTheCoordinatorNamedByFindCoordinatorWhichIsAskedOncePerGroup() {
        FakeBroker b0 = cluster.add("b0", "h0", 9001);
        FakeBroker b1 = cluster.add("b1", "h1", 9002);
        cluster.coordinator = new FindCoordinatorResponse("b1", "h1", 9002, 0);
        pool = new ConnectionPool(ClientConfig.builder().brokers("h0:9001", "h1:9002")
                .keepAliveInterval(Duration.ofHours(1)).build(), cluster.connector(), new ManualScheduler(), () -> 0.5);

        pool.send(new ConsumerHeartbeatRequest("g", "m", 1)).join();
        pool.send(new ConsumerHeartbeatRequest("g", "m", 1)).join();

        assertThat(b1.count(RequestType.CONSUMER_HEARTBEAT)).isEqualTo(2);
        assertThat(b0.count(RequestType.CONSUMER_HEARTBEAT)).isZero();
        assertThat(b0.count(RequestType.FIND_COORDINATOR) + b1.count(RequestType.FIND_COORDINATOR)).isEqualTo(1);
    }

    @Test
    void aFindCoordinatorErrorFailsTheRequestAndIsNotCached() {
        FakeBroker b0 = cluster.add("b0", "h0", 9001);
        cluster.coordinator = new FindCoordinatorResponse("", "", 0, 15);
        pool = new ConnectionPool(ClientConfig.builder().brokers("h0:9001").keepAliveInterval(Duration.ofHours(1))
                .build(), cluster.connector(), new ManualScheduler(), () -> 0.5);

        assertThat(failure(pool.send(new ConsumerHeartbeatRequest("g", "m", 1))))
                .isInstanceOf(GroupCoordinationException.class);
        cluster.coordinator = null;
        pool.send(new ConsumerHeartbeatRequest("g", "m", 1)).join();

        assertThat(b0.count(RequestType.FIND_COORDINATOR)).isEqualTo(2);
        assertThat(b0.count(RequestType.CONSUMER_HEARTBEAT)).isEqualTo(1);
    }
}
