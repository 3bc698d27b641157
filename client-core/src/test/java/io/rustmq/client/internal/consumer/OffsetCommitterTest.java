package io.rustmq.client.internal.consumer;

import io.rustmq.client.GroupCoordinationException;
import io.rustmq.client.protocol.CommitOffsetRequest;
import io.rustmq.client.protocol.CommitOffsetResponse;
import io.rustmq.client.protocol.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OffsetCommitterTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private final SubscriptionState state = new SubscriptionState("g", 10, 1000, 1 << 20);
    private final AtomicInteger rejoins = new AtomicInteger();
    private volatile int answer;
    private final FakeBroker broker = new FakeBroker(r -> CompletableFuture.completedFuture(
            new CommitOffsetResponse(answer)));
    private final OffsetCommitter committer = new OffsetCommitter(state, broker, () -> "m1", () -> 7,
            rejoins::incrementAndGet);

    private PartitionState at(TopicPartition tp, long offset) {
        state.lock();
        try {
            PartitionState s = state.partitions().get(tp);
            state.reposition(s, offset);
            return s;
        } finally {
            state.unlock();
        }
    }

    @Test
    void commitsTheFirstUnacknowledgedOffsetOfEachPartitionThatMovedWithTheMembersGeneration() throws Exception {
        state.add(List.of(P0, P1), 0);
        PartitionState p0 = at(P0, 0);
        at(P1, 5);
        p0.acks.ack(0, p0.epoch);
        p0.acks.ack(1, p0.epoch);
        p0.acks.ack(3, p0.epoch); // 2 is not acknowledged: the commit stops before the gap

        committer.commitAll().get();

        CommitOffsetRequest sent = broker.sent(CommitOffsetRequest.class).get(0);
        assertThat(sent.memberId()).isEqualTo("m1");
        assertThat(sent.generationId()).isEqualTo(7);
        assertThat(sent.offsets()).isEqualTo(Map.of(P0, 2L, P1, 5L));
        committer.commitAll().get();
        assertThat(broker.sent(CommitOffsetRequest.class)).as("nothing moved: nothing sent").hasSize(1);
    }

    @Test
    void aRefusedGenerationFailsTheCommitAndAsksForARejoin() {
        state.add(List.of(P0), 0);
        at(P0, 3);
        answer = GroupCoordinationException.ILLEGAL_GENERATION;
        assertThatThrownBy(() -> committer.commitAll().get()).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(GroupCoordinationException.class);
        assertThat(rejoins.get()).isEqualTo(1);
    }

    @Test
    void partitionsWhosePositionIsUnknownAreNotCommitted() throws Exception {
        state.add(List.of(P0), 0);
        committer.commitAll().get();
        assertThat(broker.requests).isEmpty();
    }
}
