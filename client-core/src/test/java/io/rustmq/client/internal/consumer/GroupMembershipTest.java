package io.rustmq.client.internal.consumer;

import io.rustmq.client.ConnectionException;
import io.rustmq.client.RetryConfig;
import io.rustmq.client.consumer.RebalanceListener;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.protocol.CommitOffsetRequest;
import io.rustmq.client.protocol.CommitOffsetResponse;
import io.rustmq.client.protocol.ConsumerHeartbeatRequest;
import io.rustmq.client.protocol.ConsumerHeartbeatResponse;
import io.rustmq.client.protocol.FetchOffsetRequest;
import io.rustmq.client.protocol.FetchOffsetResponse;
import io.rustmq.client.protocol.JoinGroupRequest;
import io.rustmq.client.protocol.JoinGroupResponse;
import io.rustmq.client.protocol.LeaveGroupRequest;
import io.rustmq.client.protocol.LeaveGroupResponse;
import io.rustmq.client.protocol.Request;
import io.rustmq.client.protocol.Response;
import io.rustmq.client.protocol.TopicPartition;
import io.rustmq.client.internal.transport.Backoff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class GroupMembershipTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration SESSION = Duration.ofMillis(600);
    private static final Duration HEARTBEAT = Duration.ofMillis(50);

    private SubscriptionState state;
    private GroupMembership membership;
    private FakeBroker broker;

    private void start(Function<Request, CompletableFuture<? extends Response>> groupAnswers) {
        state = new SubscriptionState("g", 10, 1000, 1 << 20);
        broker = new FakeBroker(r -> {
            if (r instanceof FetchOffsetRequest) {
                return CompletableFuture.completedFuture(new FetchOffsetResponse(Map.of(), 0));
            }
            if (r instanceof LeaveGroupRequest) {
                return CompletableFuture.completedFuture(new LeaveGroupResponse(0));
            }
            CompletableFuture<? extends Response> answer = groupAnswers.apply(r);
            return answer != null ? answer : new CompletableFuture<Response>(); // fetches never answer
        });
        Fetcher fetcher = new Fetcher(state, broker, StartPosition.earliest(), 10, 1000,
                TimeUnit.MILLISECONDS.toNanos(100), 1 << 20, () -> { }, state::fail);
        membership = new GroupMembership(state, broker, fetcher, null, new GroupMembership.Settings(List.of("t"),
                SESSION, HEARTBEAT, Duration.ZERO, Duration.ofMillis(100), false, Duration.ofSeconds(5),
                new Backoff(RetryConfig.defaults()), RebalanceListener.NONE), ConsumerThreads.daemon());
        membership.start();
    }

    @AfterEach
    void close() {
        if (membership != null) {
            state.close();
            membership.close(5_000);
        }
    }

    private boolean positionResolved() {
        state.lock();
        try {
            PartitionState s = state.partitions().get(TP);
            return s != null && s.active;
        } finally {
            state.unlock();
        }
    }

    private static CompletableFuture<Response> joined(long generation, List<TopicPartition> mine) {
        return CompletableFuture.completedFuture(new JoinGroupResponse(generation, "m1", "m1", Map.of("m1", mine), 0));
    }

    @Test
    void heartbeatsKeepTheirScheduleWhileARevocationsCommitIsStuckBeyondTheSession() {
        AtomicInteger joins = new AtomicInteger();
        AtomicInteger rebalances = new AtomicInteger();
        CompletableFuture<Response> stuckCommit = new CompletableFuture<>();
        start(r -> {
            if (r instanceof JoinGroupRequest) {
                return joins.incrementAndGet() == 1 ? joined(1, List.of(TP)) : joined(2, List.of());
            }
            if (r instanceof ConsumerHeartbeatRequest) {
                // once the partition's position is resolved, one heartbeat reports a rebalance: the member rejoins
                // and loses the partition, whose offset it then commits
                int code = positionResolved() && rebalances.getAndIncrement() == 0 ? 27 : 0;
                return CompletableFuture.completedFuture(new ConsumerHeartbeatResponse(code));
            }
            if (r instanceof CommitOffsetRequest) {
                return stuckCommit;
            }
            return null;
        });
        await().atMost(WAIT).until(() -> !broker.sent(CommitOffsetRequest.class).isEmpty());
        int atCommit = broker.sent(ConsumerHeartbeatRequest.class).size();
        // twenty heartbeat intervals (well past the 600 ms session) with the revocation's commit unanswered
        await().atMost(WAIT).until(() -> broker.sent(ConsumerHeartbeatRequest.class).size() >= atCommit + 20);
        assertThat(stuckCommit).isNotDone();
        assertThat(broker.sent(ConsumerHeartbeatRequest.class).get(atCommit).generationId()).isEqualTo(2);
        assertThat(state.isSuspended()).isFalse();
        stuckCommit.complete(new CommitOffsetResponse(0));
    }

    @Test
    void failingHeartbeatsAreNotSuccessAndStopDeliveryUntilTheMemberHasRejoined() {
        AtomicInteger joins = new AtomicInteger();
        CompletableFuture<Response> secondJoin = new CompletableFuture<>();
        start(r -> {
            if (r instanceof JoinGroupRequest) {
                return joins.incrementAndGet() == 1 ? joined(1, List.of(TP)) : secondJoin;
            }
            if (r instanceof ConsumerHeartbeatRequest) {
                return CompletableFuture.failedFuture(new ConnectionException("broker unreachable", null));
            }
            return null;
        });
        await().atMost(WAIT).until(() -> state.isSuspended());
        await().atMost(WAIT).until(() -> joins.get() == 2);
        assertThat(membership.heartbeatCounts()[1]).isPositive();
        assertThat(state.isSuspended()).isTrue();
        secondJoin.complete(new JoinGroupResponse(1, "m1", "m1", Map.of("m1", List.of(TP)), 0));
        await().atMost(WAIT).until(() -> !state.isSuspended());
        assertThat(state.assignment()).containsExactly(TP);
    }
}
