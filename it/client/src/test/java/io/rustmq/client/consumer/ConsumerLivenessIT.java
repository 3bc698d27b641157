package io.rustmq.client.consumer;

import io.rustmq.broker.FaultInjection;
import io.rustmq.broker.group.GroupCoordinator;
import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.protocol.CommitOffsetRequest;
import io.rustmq.client.protocol.CommitOffsetResponse;
import io.rustmq.client.protocol.RequestType;
import io.rustmq.client.TopicPartition;
import io.rustmq.client.internal.transport.ConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.rustmq.client.consumer.ConsumerItSupport.SESSION;
import static io.rustmq.client.consumer.ConsumerItSupport.WAIT;
import static io.rustmq.client.consumer.ConsumerItSupport.fast;
import static io.rustmq.client.consumer.ConsumerItSupport.payloads;
import static io.rustmq.client.consumer.ConsumerItSupport.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Consumer liveness against a slow broker (issue 10 item 7): the broker answers OffsetCommit only after twice the
 * session timeout, and the member must stay in its group because heartbeats never wait behind a commit (one the
 * application asked for, or the one a member makes when a rebalance revokes a partition).
 */
class ConsumerLivenessIT {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true).build();

    /** Longer than the session timeout: a member whose heartbeats waited behind the commit would be evicted. */
    private static final Duration COMMIT_DELAY = SESSION.multipliedBy(2);

    /** Records every revocation the consumer is told about. */
    private static final class Revocations implements RebalanceListener {
        final List<Collection<TopicPartition>> revoked = new CopyOnWriteArrayList<>();

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            revoked.add(List.copyOf(partitions));
        }
    }

    /** Polls until every expected payload arrived, acknowledging each message. */
    private static void receiveAll(Consumer consumer, List<String> expected) {
        Set<String> seen = new HashSet<>();
        await().atMost(WAIT).until(() -> {
            for (ConsumerMessage m : consumer.poll(Duration.ofMillis(100))) {
                seen.add(m.payloadAsString());
                m.ack();
            }
            return seen.containsAll(expected);
        });
    }

    /** Starts an asynchronous commit while the broker delays commit answers, and waits until the broker held it. */
    private static CompletableFuture<Void> commitWhileDelayed(Consumer consumer) {
        FaultInjection faults = BROKER.broker().faults();
        long delayedBefore = faults.counts().delayedResponses();
        faults.delayResponses(RequestType.COMMIT_OFFSET, COMMIT_DELAY);
        CompletableFuture<Void> commit = consumer.commitAsync();
        await().atMost(WAIT).until(() -> faults.counts().delayedResponses() > delayedBefore);
        return commit;
    }

    @Test
    void aCommitDelayedPastTheSessionTimeoutDoesNotEvictALiveMember() throws Exception {
        String topic = "liveness-commit";
        String group = "liveness-commit-group";
        BROKER.broker().createTopic(topic, 1);
        Revocations listener = new Revocations();
        try (RustMQClient client = ConsumerItSupport.client(BROKER, "liveness");
             Consumer consumer = client.createConsumer(topic, group, fast().rebalanceListener(listener)
                     .autoCommitInterval(Duration.ofHours(1)).build())) {
            produce(client, topic, 0, payloads("a", 0, 10));
            receiveAll(consumer, payloads("a", 0, 10));
            GroupCoordinator.GroupSnapshot before = BROKER.broker().groupCoordinator().describe(group);
            assertThat(before.members()).hasSize(1);

            CompletableFuture<Void> commit;
            try {
                commit = commitWhileDelayed(consumer);
                long heartbeats = BROKER.broker().counters().requests(RequestType.CONSUMER_HEARTBEAT);
                commit.get(WAIT.toMillis(), TimeUnit.MILLISECONDS); // the answer comes after COMMIT_DELAY
                // heartbeats went on while the commit waited: at least one per session timeout of the delay
                assertThat(BROKER.broker().counters().requests(RequestType.CONSUMER_HEARTBEAT) - heartbeats)
                        .as("heartbeats answered while the commit was held back")
                        .isGreaterThanOrEqualTo(COMMIT_DELAY.toMillis() / SESSION.toMillis());
            } finally {
                BROKER.broker().faults().clearDelays();
            }

            GroupCoordinator.GroupSnapshot after = BROKER.broker().groupCoordinator().describe(group);
            assertThat(after.generation()).as("no rebalance: same generation").isEqualTo(before.generation());
            assertThat(after.members()).as("still the same member").isEqualTo(before.members());
            assertThat(after.state()).isEqualTo(GroupCoordinator.State.STABLE);
            assertThat(after.committedOffsets()).containsEntry(new io.rustmq.client.protocol.TopicPartition(topic, 0), 10L);
            assertThat(listener.revoked).as("partitions revoked").isEmpty();
            assertThat(consumer.assignment()).containsExactly(new TopicPartition(topic, 0));

            // and it keeps receiving new messages
            produce(client, topic, 0, payloads("b", 0, 10));
            receiveAll(consumer, payloads("b", 0, 10));
            assertThat(BROKER.broker().groupCoordinator().describe(group).generation())
                    .isEqualTo(before.generation());
            assertThat(listener.revoked).isEmpty();
        }
    }

    /**
     * Waits until the broker has answered a commit sent now, while the delay is on: its answer leaves the broker's
     * timer after those of every commit held back before it, so this is a clock made of the delay itself.
     */
    private static void awaitHeldCommitsAnswered() throws Exception {
        try (ConnectionPool pool = ConnectionPool.create(ConsumerItSupport.clientConfig(BROKER, "liveness-probe"))) {
            CompletableFuture<CommitOffsetResponse> probe = pool.sendWithRetry(new CommitOffsetRequest(
                    "liveness-probe-group", "probe", 0, Map.of()), CommitOffsetResponse.class);
            probe.handle((r, e) -> null).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void aRevocationCommitDelayedPastTheSessionTimeoutDoesNotHandTheMembersOtherPartitionToTheNewMember()
            throws Exception {
        String topic = "liveness-revoke";
        String group = "liveness-revoke-group";
        BROKER.broker().createTopic(topic, 2);
        Revocations firstListener = new Revocations();
        List<TopicPartition> secondAssigned = new CopyOnWriteArrayList<>();
        RebalanceListener secondListener = new RebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                secondAssigned.addAll(partitions);
            }
        };
        FaultInjection faults = BROKER.broker().faults();
        try (RustMQClient client = ConsumerItSupport.client(BROKER, "liveness-revoke");
             Consumer first = client.createConsumer(topic, group, fast().rebalanceListener(firstListener)
                     .autoCommitInterval(Duration.ofHours(1)).build())) {
            produce(client, topic, 0, payloads("p0-", 0, 5));
            produce(client, topic, 1, payloads("p1-", 0, 5));
            List<String> all = new ArrayList<>(payloads("p0-", 0, 5));
            all.addAll(payloads("p1-", 0, 5));
            receiveAll(first, all); // acknowledged, not yet committed: the revocation has offsets to commit

            // a second member joins; the first revokes a partition and commits it, and the broker holds that answer
            // for twice the session timeout (a member whose heartbeats waited behind it would be evicted, and the
            // second member would be handed both partitions)
            long delayedBefore = faults.counts().delayedResponses();
            faults.delayResponses(RequestType.COMMIT_OFFSET, COMMIT_DELAY);
            Consumer second = null;
            try {
                second = client.createConsumer(topic, group, fast().rebalanceListener(secondListener)
                        .autoCommitInterval(Duration.ofHours(1)).build());
                await().atMost(WAIT).until(() -> faults.counts().delayedResponses() > delayedBefore);
                awaitHeldCommitsAnswered();
                faults.clearDelays();
                Consumer s = second;
                await().atMost(WAIT).until(() -> first.assignment().size() == 1 && s.assignment().size() == 1);
                TopicPartition kept = first.assignment().iterator().next();

                // the first member is live after its slow revocation: it reads new messages of the partition it kept
                List<String> more = payloads("more-", 0, 5);
                produce(client, topic, kept.partition(), more);
                receiveAll(first, more);

                assertThat(secondAssigned).as("the new member was never handed the live member's partition")
                        .doesNotContain(kept);
                assertThat(firstListener.revoked).as("one revocation: the split, none for an eviction")
                        .hasSize(1);
                assertThat(firstListener.revoked.get(0)).doesNotContain(kept);
                GroupCoordinator.GroupSnapshot after = BROKER.broker().groupCoordinator().describe(group);
                assertThat(after.members()).hasSize(2);
                assertThat(after.state()).isEqualTo(GroupCoordinator.State.STABLE);
            } finally {
                faults.clearDelays();
                if (second != null) {
                    second.close();
                }
            }
        }
    }
}
