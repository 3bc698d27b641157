package io.rustmq.client.consumer;

import io.rustmq.broker.FaultInjection;
import io.rustmq.broker.group.GroupCoordinator;
import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.protocol.RequestType;
import io.rustmq.client.protocol.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
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
 * session timeout, and the member must stay in its group because heartbeats never wait behind a commit.
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
            assertThat(after.committedOffsets()).containsEntry(new TopicPartition(topic, 0), 10L);
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

    @Test
    void aCommitDelayedPastTheSessionTimeoutDoesNotHandItsPartitionsToTheOtherMember() throws Exception {
        String topic = "liveness-two";
        String group = "liveness-two-group";
        BROKER.broker().createTopic(topic, 2);
        Revocations slowListener = new Revocations();
        Revocations otherListener = new Revocations();
        try (RustMQClient client = ConsumerItSupport.client(BROKER, "liveness-two");
             Consumer slow = client.createConsumer(topic, group, fast().rebalanceListener(slowListener)
                     .autoCommitInterval(Duration.ofHours(1)).build());
             Consumer other = client.createConsumer(topic, group, fast().rebalanceListener(otherListener)
                     .autoCommitInterval(Duration.ofHours(1)).build())) {
            await().atMost(WAIT).until(() -> slow.assignment().size() == 1 && other.assignment().size() == 1
                    && BROKER.broker().groupCoordinator().describe(group).state() == GroupCoordinator.State.STABLE);
            GroupCoordinator.GroupSnapshot before = BROKER.broker().groupCoordinator().describe(group);
            assertThat(before.members()).hasSize(2);
            Set<TopicPartition> slowOwns = Set.copyOf(slow.assignment());
            Set<TopicPartition> otherOwns = Set.copyOf(other.assignment());
            slowListener.revoked.clear(); // the join's own rebalance; only later revocations count
            otherListener.revoked.clear();
            int slowPartition = slowOwns.iterator().next().partition();
            produce(client, topic, slowPartition, payloads("s", 0, 5));
            receiveAll(slow, payloads("s", 0, 5));
            // the other member polls too, so that it is live in every sense while the slow one's commit waits
            List<String> otherReceived = new ArrayList<>();

            CompletableFuture<Void> commit;
            try {
                commit = commitWhileDelayed(slow);
                await().atMost(WAIT).until(() -> {
                    for (ConsumerMessage m : other.poll(Duration.ofMillis(100))) {
                        otherReceived.add(m.payloadAsString());
                        m.ack();
                    }
                    return commit.isDone();
                });
                commit.get(); // succeeded
            } finally {
                BROKER.broker().faults().clearDelays();
            }

            GroupCoordinator.GroupSnapshot after = BROKER.broker().groupCoordinator().describe(group);
            assertThat(after.generation()).as("no rebalance: same generation").isEqualTo(before.generation());
            assertThat(after.members()).isEqualTo(before.members());
            assertThat(after.assignment()).isEqualTo(before.assignment());
            assertThat(slow.assignment()).isEqualTo(slowOwns);
            assertThat(other.assignment()).as("the other member did not take the slow one's partition")
                    .isEqualTo(otherOwns);
            assertThat(slowListener.revoked).isEmpty();
            assertThat(otherListener.revoked).isEmpty();
            assertThat(otherReceived).as("nothing of the slow member's partition reached the other member")
                    .noneMatch(p -> p.startsWith("s"));
        }
    }
}
