package io.rustmq.broker.group;

import io.rustmq.client.protocol.FetchOffsetResponse;
import io.rustmq.client.protocol.JoinGroupResponse;
import io.rustmq.client.protocol.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static io.rustmq.broker.group.GroupCoordinator.GROUP_NOT_FOUND;
import static io.rustmq.broker.group.GroupCoordinator.ILLEGAL_GENERATION;
import static io.rustmq.broker.group.GroupCoordinator.REBALANCE_IN_PROGRESS;
import static io.rustmq.broker.group.GroupCoordinator.UNKNOWN_MEMBER;
import static org.assertj.core.api.Assertions.assertThat;

class GroupCoordinatorTest {
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final Map<String, Integer> partitions = new HashMap<>(Map.of("six", 6, "two", 2, "one", 1));
    private final GroupCoordinator coordinator =
            new GroupCoordinator(t -> partitions.getOrDefault(t, 0), clock::get);

    private JoinGroupResponse join(String member, String... topics) {
        return coordinator.join("g", member, 30_000, List.of(topics));
    }

    @Test
    void emptyMemberIdGetsANewUuidV4AndTheGroupIsCreatedAtGenerationOne() {
        assertThat(coordinator.describe("g")).isNull();
        JoinGroupResponse r = join("", "six");
        assertThat(r.memberId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(r.generationId()).isEqualTo(1);
        assertThat(r.leaderId()).isEqualTo(r.memberId());
        assertThat(r.errorCode()).isZero();
        assertThat(r.ownAssignment()).hasSize(6);
        assertThat(join("", "six").memberId()).isNotEqualTo(r.memberId());
    }

    @Test
    void twoMembersSplitASixPartitionTopicWithoutOverlapAndConverge() {
        JoinGroupResponse a1 = join("a", "six");
        assertThat(a1.generationId()).isEqualTo(1);
        JoinGroupResponse b1 = join("b", "six");
        assertThat(b1.generationId()).isEqualTo(2);
        // a's generation is now stale; it rejoins with the same topics and gets generation 2 back unchanged
        assertThat(coordinator.heartbeat("g", "a", 1)).isEqualTo(ILLEGAL_GENERATION);
        JoinGroupResponse a2 = join("a", "six");
        assertThat(a2.generationId()).isEqualTo(2);
        assertThat(a2.assignedPartitions()).isEqualTo(b1.assignedPartitions());
        // and further rejoins change nothing
        JoinGroupResponse b2 = join("b", "six");
        assertThat(b2.generationId()).isEqualTo(2);
        assertThat(coordinator.heartbeat("g", "a", 2)).isZero();
        assertThat(coordinator.heartbeat("g", "b", 2)).isZero();

        List<TopicPartition> mineA = a2.ownAssignment();
        List<TopicPartition> mineB = b2.ownAssignment();
        assertThat(mineA).hasSize(3);
        assertThat(mineB).hasSize(3);
        Set<TopicPartition> all = new HashSet<>(mineA);
        all.addAll(mineB);
        assertThat(all).hasSize(6);
        // deterministic: sorted ids, round-robin per topic
        assertThat(mineA).containsExactly(tp("six", 0), tp("six", 2), tp("six", 4));
        assertThat(mineB).containsExactly(tp("six", 1), tp("six", 3), tp("six", 5));
        assertThat(a2.leaderId()).isEqualTo("a");
        assertThat(b2.leaderId()).isEqualTo("a");
    }

    @Test
    void aKnownMemberWithChangedTopicsBumpsTheGeneration() {
        join("a", "six");
        join("b", "six");
        JoinGroupResponse r = join("a", "six", "two");
        assertThat(r.generationId()).isEqualTo(3);
        assertThat(r.ownAssignment()).contains(tp("two", 0), tp("two", 1));
        assertThat(join("a", "two", "six").generationId()).as("topic order does not matter").isEqualTo(3);
    }

    @Test
    void onlySubscribedTopicsAreAssignedAndMembersWithNothingAreAbsent() {
        join("a", "six");
        join("b", "one");
        JoinGroupResponse r = join("c", "one");
        assertThat(r.assignedPartitions().get("a")).hasSize(6).allMatch(tp -> tp.topic().equals("six"));
        assertThat(r.assignedPartitions().get("b")).containsExactly(tp("one", 0));
        assertThat(r.assignedPartitions()).doesNotContainKey("c");
        assertThat(r.ownAssignment()).isEmpty();
        JoinGroupResponse unknownTopic = coordinator.join("h", "x", 30_000, List.of("nope"));
        assertThat(unknownTopic.assignedPartitions()).isEmpty();
    }

    @Test
    void assignmentUsesTheCurrentPartitionCountAndAChangedCountBumpsTheGeneration() {
        JoinGroupResponse r1 = coordinator.join("h", "a", 30_000, List.of("later"));
        assertThat(r1.ownAssignment()).isEmpty();
        partitions.put("later", 2);
        JoinGroupResponse r2 = coordinator.join("h", "a", 30_000, List.of("later"));
        assertThat(r2.ownAssignment()).containsExactly(tp("later", 0), tp("later", 1));
        assertThat(r2.generationId()).isEqualTo(r1.generationId() + 1);
    }

    @Test
    void heartbeatChecksUnknownGroupRebalanceGenerationAndMemberInThatOrder() {
        assertThat(coordinator.heartbeat("nope", "a", 1)).isEqualTo(GROUP_NOT_FOUND);
        join("a", "six");
        join("b", "six");
        assertThat(coordinator.heartbeat("g", "a", 2)).isZero();
        assertThat(coordinator.heartbeat("g", "a", 1)).isEqualTo(ILLEGAL_GENERATION);
        assertThat(coordinator.heartbeat("g", "zzz", 2)).isEqualTo(UNKNOWN_MEMBER);
        assertThat(coordinator.heartbeat("g", "zzz", 1)).as("generation before member").isEqualTo(ILLEGAL_GENERATION);
        coordinator.leave("g", "b");
        assertThat(coordinator.heartbeat("g", "a", 3)).isEqualTo(REBALANCE_IN_PROGRESS);
        assertThat(coordinator.heartbeat("g", "zzz", 99)).as("rebalance before the rest").isEqualTo(REBALANCE_IN_PROGRESS);
    }

    @Test
    void commitAnswersUnknownGroupThenGenerationThenStores() {
        Map<TopicPartition, Long> offsets = Map.of(tp("six", 0), 10L, tp("six", 1), -1L);
        assertThat(coordinator.commit("nope", "a", 1, offsets)).isEqualTo(GROUP_NOT_FOUND);
        join("a", "six");
        assertThat(coordinator.commit("g", "a", 2, offsets)).isEqualTo(ILLEGAL_GENERATION);
        assertThat(coordinator.commit("g", "not-checked", 1, offsets)).isZero();
        assertThat(coordinator.commit("g", "a", 1, Map.of())).as("empty map").isZero();
        FetchOffsetResponse f = coordinator.fetchOffsets("g", List.of(tp("six", 0), tp("six", 1)));
        assertThat(f.offsets()).containsEntry(tp("six", 0), 10L).containsEntry(tp("six", 1), -1L);
    }

    @Test
    void fetchOffsetAnswersUnknownGroupWithAnEmptyMapAndOtherwiseOnlyCommittedPartitions() {
        FetchOffsetResponse unknown = coordinator.fetchOffsets("nope", List.of(tp("six", 0)));
        assertThat(unknown.errorCode()).isEqualTo(GROUP_NOT_FOUND);
        assertThat(unknown.offsets()).isEmpty();
        join("a", "six");
        coordinator.commit("g", "a", 1, Map.of(tp("six", 0), 5L, tp("six", 3), 7L));
        FetchOffsetResponse f = coordinator.fetchOffsets("g", List.of(tp("six", 0), tp("six", 1)));
        assertThat(f.errorCode()).isZero();
        assertThat(f.offsets()).containsExactly(org.assertj.core.api.Assertions.entry(tp("six", 0), 5L));
    }

    @Test
    void leaveRebalancesTheRemainingMembersOrEmptiesTheGroup() {
        assertThat(coordinator.leave("nope", "a")).isEqualTo(GROUP_NOT_FOUND);
        join("a", "six");
        join("b", "six");
        assertThat(coordinator.leave("g", "b")).isZero();
        GroupCoordinator.GroupSnapshot s = coordinator.describe("g");
        assertThat(s.state()).isEqualTo(GroupCoordinator.State.PREPARING_REBALANCE);
        assertThat(s.generation()).isEqualTo(3);
        assertThat(s.assignment()).isEmpty();
        // a rejoin during the rebalance keeps the generation and recomputes
        JoinGroupResponse a = join("a", "six");
        assertThat(a.generationId()).isEqualTo(3);
        assertThat(a.ownAssignment()).hasSize(6);
        assertThat(coordinator.describe("g").state()).isEqualTo(GroupCoordinator.State.STABLE);
        // the last member leaving empties the group, generation unchanged
        assertThat(coordinator.leave("g", "a")).isZero();
        s = coordinator.describe("g");
        assertThat(s.state()).isEqualTo(GroupCoordinator.State.EMPTY);
        assertThat(s.generation()).isEqualTo(3);
        assertThat(s.members()).isEmpty();
        // the next join starts generation 4
        assertThat(join("c", "six").generationId()).isEqualTo(4);
    }

    @Test
    void leavingWithAnUnknownMemberStillRebalancesAsShipped() {
        join("a", "six");
        coordinator.leave("g", "stranger");
        assertThat(coordinator.describe("g").state()).isEqualTo(GroupCoordinator.State.PREPARING_REBALANCE);
        assertThat(coordinator.describe("g").generation()).isEqualTo(2);
    }

    @Test
    void reaperEvictsMembersWhoseSessionExpiredWithLeaveTransitions() {
        coordinator.join("g", "a", 10_000, List.of("six"));
        coordinator.join("g", "b", 30_000, List.of("six"));
        clock.addAndGet(10_000);
        assertThat(coordinator.evictExpired()).as("exactly at the timeout is not older").isZero();
        assertThat(coordinator.heartbeat("g", "b", 2)).isZero();
        clock.addAndGet(1);
        assertThat(coordinator.evictExpired()).isEqualTo(1);
        GroupCoordinator.GroupSnapshot s = coordinator.describe("g");
        assertThat(s.members()).containsExactly("b");
        assertThat(s.state()).isEqualTo(GroupCoordinator.State.PREPARING_REBALANCE);
        assertThat(s.generation()).isEqualTo(3);

        JoinGroupResponse b = coordinator.join("g", "b", 30_000, List.of("six"));
        assertThat(b.generationId()).isEqualTo(3);
        clock.addAndGet(30_001);
        assertThat(coordinator.evictExpired()).isEqualTo(1);
        s = coordinator.describe("g");
        assertThat(s.state()).isEqualTo(GroupCoordinator.State.EMPTY);
        assertThat(s.generation()).isEqualTo(3);
    }

    @Test
    void onlyAHeartbeatAnsweredZeroRefreshesTheSession() {
        coordinator.join("g", "a", 1_000, List.of("six"));
        clock.addAndGet(900);
        assertThat(coordinator.heartbeat("g", "a", 99)).isEqualTo(ILLEGAL_GENERATION);
        clock.addAndGet(200);
        assertThat(coordinator.evictExpired()).isEqualTo(1);

        coordinator.join("h", "a", 1_000, List.of("six"));
        clock.addAndGet(900);
        assertThat(coordinator.heartbeat("h", "a", 1)).isZero();
        clock.addAndGet(200);
        assertThat(coordinator.evictExpired()).isZero();
    }

    @Test
    void manyMembersOverSeveralTopicsGetDisjointCompleteAssignments() {
        List<JoinGroupResponse> last = new ArrayList<>();
        for (String m : List.of("m3", "m1", "m2")) {
            last.add(join(m, "six", "two", "one"));
        }
        JoinGroupResponse r = join("m1", "six", "two", "one");
        Set<TopicPartition> seen = new HashSet<>();
        int total = 0;
        for (List<TopicPartition> tps : r.assignedPartitions().values()) {
            seen.addAll(tps);
            total += tps.size();
        }
        assertThat(total).isEqualTo(9);
        assertThat(seen).hasSize(9);
        assertThat(r.assignedPartitions().keySet()).containsExactly("m1", "m2", "m3");
    }

    private static TopicPartition tp(String t, int p) {
        return new TopicPartition(t, p);
    }
}
