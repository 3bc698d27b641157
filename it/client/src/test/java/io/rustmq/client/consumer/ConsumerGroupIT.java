package io.rustmq.client.consumer;

import io.rustmq.broker.group.GroupCoordinator;
import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.producer.ProducerConfig;
import io.rustmq.client.protocol.RequestType;
import io.rustmq.client.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static io.rustmq.client.consumer.ConsumerItSupport.HEARTBEAT;
import static io.rustmq.client.consumer.ConsumerItSupport.WAIT;
import static io.rustmq.client.consumer.ConsumerItSupport.fast;
import static io.rustmq.client.consumer.ConsumerItSupport.payloads;
import static io.rustmq.client.consumer.ConsumerItSupport.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Group membership end to end: splitting partitions, joins, leaves, crashes and commits on revocation. */
class ConsumerGroupIT {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true).build();

    private static final int PARTITIONS = 6;
    private static final int PER_PARTITION = 10_000;
    private static final int TOTAL = PARTITIONS * PER_PARTITION;

    /** A consumer on its own thread that records each message it processes and acknowledges it at once. */
    private static final class Worker {
        final Consumer consumer;
        final Thread thread;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile boolean stop;

        Worker(RustMQClient client, String topic, String group, AtomicIntegerArray counts,
               List<String> wrongPayloads) {
            this.consumer = client.createConsumer(topic, group, fast().autoCommitInterval(Duration.ofMillis(500))
                    .build());
            this.thread = new Thread(() -> {
                try {
                    while (!stop) {
                        for (ConsumerMessage m : consumer.poll(Duration.ofMillis(100))) {
                            int index = m.partition() * PER_PARTITION + (int) m.offset();
                            counts.incrementAndGet(index);
                            String expected = "m" + (m.offset() * PARTITIONS + m.partition());
                            if (!m.payloadAsString().equals(expected)) {
                                wrongPayloads.add(m + " holds " + m.payloadAsString() + ", expected " + expected);
                            }
                            m.ack();
                        }
                        Thread.sleep(1); // a little processing time, so that rebalances meet work in progress
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "worker-" + group);
            thread.start();
        }

        void stopAndClose() throws InterruptedException {
            stop = true;
            thread.join(WAIT.toMillis());
            consumer.close();
            assertThat(failure.get()).as("worker failure").isNull();
        }
    }

    private static void produceRange(RustMQClient client, String topic, int from, int to) {
        try (Producer producer = client.createProducer(topic, ProducerConfig.builder()
                .lingerTime(Duration.ofMillis(2)).build())) {
            for (int i = from; i < to; i++) {
                producer.sendAsync(Message.builder().partition(i % PARTITIONS).payload("m" + i).build());
            }
            producer.flush();
        }
    }

    private static int distinct(AtomicIntegerArray counts) {
        int n = 0;
        for (int i = 0; i < counts.length(); i++) {
            if (counts.get(i) > 0) {
                n++;
            }
        }
        return n;
    }

    /** Every partition is owned by exactly one of the consumers, and each owns at least one. */
    private static boolean splitWithoutOverlap(List<Consumer> consumers, int partitions) {
        Set<TopicPartition> union = new HashSet<>();
        int sum = 0;
        for (Consumer c : consumers) {
            Set<TopicPartition> mine = c.assignment();
            if (mine.isEmpty()) {
                return false;
            }
            union.addAll(mine);
            sum += mine.size();
        }
        return union.size() == partitions && sum == partitions;
    }

    private static void awaitConvergence(String group, List<Consumer> consumers) throws InterruptedException {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> splitWithoutOverlap(consumers, PARTITIONS));
        GroupCoordinator.GroupSnapshot before = BROKER.broker().groupCoordinator().describe(group);
        assertThat(before.members()).hasSize(consumers.size());
        assertThat(before.state()).isEqualTo(GroupCoordinator.State.STABLE);
        // and it stays converged: no generation churn across five more heartbeats of each member (counted by the
        // broker, so a slow machine waits longer instead of checking too early)
        long heartbeats = BROKER.broker().counters().requests(RequestType.CONSUMER_HEARTBEAT);
        await().atMost(WAIT).until(() -> BROKER.broker().counters().requests(RequestType.CONSUMER_HEARTBEAT)
                >= heartbeats + 5L * consumers.size());
        GroupCoordinator.GroupSnapshot after = BROKER.broker().groupCoordinator().describe(group);
        assertThat(after.generation()).isEqualTo(before.generation());
        assertThat(after.assignment()).isEqualTo(before.assignment());
        assertThat(splitWithoutOverlap(consumers, PARTITIONS)).isTrue();
    }

    @Test
    void sixPartitionsAreSplitWithoutOverlapThroughAJoinAndALeaveAndEveryMessageIsProcessedExactlyOnce()
            throws Exception {
        String topic = "split-six";
        String group = "split-group";
        BROKER.broker().createTopic(topic, PARTITIONS);
        AtomicIntegerArray counts = new AtomicIntegerArray(TOTAL);
        List<String> wrongPayloads = new CopyOnWriteArrayList<>();
        try (RustMQClient client = ConsumerItSupport.client(BROKER, "split")) {
            produceRange(client, topic, 0, TOTAL / 3);
            Worker first = new Worker(client, topic, group, counts, wrongPayloads);
            Worker second = new Worker(client, topic, group, counts, wrongPayloads);
            awaitConvergence(group, List.of(first.consumer, second.consumer));
            assertThat(first.consumer.assignment()).hasSize(3);

            await().atMost(WAIT).until(() -> distinct(counts) >= TOTAL / 6);
            Worker third = new Worker(client, topic, group, counts, wrongPayloads);
            produceRange(client, topic, TOTAL / 3, 2 * TOTAL / 3);
            awaitConvergence(group, List.of(first.consumer, second.consumer, third.consumer));
            assertThat(third.consumer.assignment()).hasSize(2);

            await().atMost(WAIT).until(() -> distinct(counts) >= TOTAL / 2);
            Set<TopicPartition> leaving = second.consumer.assignment();
            second.stopAndClose();
            produceRange(client, topic, 2 * TOTAL / 3, TOTAL);
            awaitConvergence(group, List.of(first.consumer, third.consumer));
            Set<TopicPartition> takenOver = new HashSet<>(first.consumer.assignment());
            takenOver.addAll(third.consumer.assignment());
            assertThat(takenOver).containsAll(leaving);

            await().atMost(Duration.ofSeconds(60)).until(() -> distinct(counts) == TOTAL);
            first.stopAndClose();
            third.stopAndClose();
        }
        List<String> duplicates = new ArrayList<>();
        for (int i = 0; i < TOTAL; i++) {
            if (counts.get(i) != 1) {
                duplicates.add((i / PER_PARTITION) + "@" + (i % PER_PARTITION) + " x" + counts.get(i));
            }
        }
        assertThat(wrongPayloads).isEmpty();
        assertThat(duplicates).as("messages not processed exactly once").isEmpty();
    }

    @Test
    void aConsumerKilledWithoutCommittingHasItsMessagesDeliveredAgainToANewMemberAfterItsSessionExpires()
            throws Exception {
        String topic = "killed";
        String group = "killed-group";
        BROKER.broker().createTopic(topic, 2);
        try (RustMQClient producerClient = ConsumerItSupport.client(BROKER, "killed-producer")) {
            produce(producerClient, topic, 0, payloads("a", 0, 10));
            produce(producerClient, topic, 1, payloads("b", 0, 10));
        }
        // killed for real, in its own JVM: closing a client here would commit and leave the group
        Set<String> firstRead = new HashSet<>();
        Process doomed = KilledConsumerProcess.start(List.of(BROKER.bootstrap(), BROKER.certificatePem().toString(),
                topic, group, "20"), firstRead);
        assertThat(firstRead).hasSize(20);
        assertThat(BROKER.broker().groupCoordinator().describe(group).committedOffsets())
                .as("acknowledged, never committed").isEmpty();
        doomed.destroyForcibly().waitFor(); // abrupt: no commit and no LeaveGroup; heartbeats stop
        long killedAt = System.nanoTime();

        try (RustMQClient client = ConsumerItSupport.client(BROKER, "survivor");
             Consumer survivor = client.createConsumer(topic, group, fast().build())) {
            // one partition is dealt to the survivor when it joins; the victim keeps the other until evicted
            Set<String> again = new HashSet<>();
            long lastArrival = 0;
            while (again.size() < 20) {
                ConsumerMessage m = survivor.receive(WAIT);
                assertThat(m).as("redelivery %d", again.size()).isNotNull();
                again.add(m.payloadAsString());
                lastArrival = System.nanoTime();
                m.ack();
            }
            assertThat(again).isEqualTo(firstRead);
            assertThat(Duration.ofNanos(lastArrival - killedAt)).as("the victim's partition moved only after its"
                    + " session (3 s) expired").isGreaterThan(Duration.ofSeconds(2));
            assertThat(BROKER.broker().groupCoordinator().describe(group).members()).hasSize(1);
            assertThat(survivor.assignment()).hasSize(2);
            survivor.commit();
            assertThat(survivor.committed(new TopicPartition(topic, 0))).hasValue(10);
            assertThat(survivor.committed(new TopicPartition(topic, 1))).hasValue(10);
        }
    }

    @Test
    void acknowledgedOffsetsAreCommittedBeforeARevokedPartitionIsGivenUpAndTheListenerIsTold() {
        String topic = "revoke-commit";
        String group = "revoke-group";
        BROKER.broker().createTopic(topic, 2);
        List<Collection<TopicPartition>> revokedSeen = new CopyOnWriteArrayList<>();
        List<Collection<TopicPartition>> assignedSeen = new CopyOnWriteArrayList<>();
        RebalanceListener recorder = new RebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                revokedSeen.add(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                assignedSeen.add(partitions);
            }
        };
        try (RustMQClient client = ConsumerItSupport.client(BROKER, "revoke")) {
            produce(client, topic, 0, payloads("a", 0, 10));
            produce(client, topic, 1, payloads("b", 0, 10));
            // auto-commit off and no commit() call: only the revocation commits
            ConsumerConfig noAutoCommit = fast().enableAutoCommit(false).rebalanceListener(recorder).build();
            try (Consumer owner = client.createConsumer(topic, group, noAutoCommit)) {
                for (int i = 0; i < 20; i++) {
                    ConsumerMessage m = owner.receive(WAIT);
                    assertThat(m).isNotNull();
                    m.ack();
                }
                assertThat(assignedSeen).hasSize(1);
                assertThat(assignedSeen.get(0)).hasSize(2);
                try (Consumer newcomer = client.createConsumer(topic, group, fast().build())) {
                    await().atMost(WAIT).until(() -> owner.assignment().size() == 1
                            && newcomer.assignment().size() == 1);
                    TopicPartition moved = newcomer.assignment().iterator().next();
                    await().atMost(WAIT).until(() -> !revokedSeen.isEmpty());
                    assertThat(revokedSeen.get(0)).containsExactly(moved);
                    assertThat(owner.committed(moved)).hasValue(10);
                    // the new owner starts after what the old one acknowledged
                    assertThat(newcomer.receive(HEARTBEAT.multipliedBy(4))).isNull();
                    produce(client, topic, moved.partition(), List.of("fresh"));
                    ConsumerMessage fresh = newcomer.receive(WAIT);
                    assertThat(fresh).isNotNull();
                    assertThat(fresh.offset()).isEqualTo(10);
                    assertThat(fresh.payloadAsString()).isEqualTo("fresh");
                    fresh.ack();
                }
            }
            assertThat(revokedSeen).as("close revokes what is left").hasSizeGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aMemberJoiningAGroupReadsItsHandedOverPartitionAfterTheShortDefaultHandOverDelay() {
        String topic = "handover-default";
        String group = "handover-group";
        BROKER.broker().createTopic(topic, 2);
        // the defaults (no fast timings): 30 s session, 3 s heartbeat, 6 s hand-over delay
        ConsumerConfig defaults = ConsumerConfig.builder().startPosition(StartPosition.earliest()).build();
        assertThat(defaults.handoverDelay()).isEqualTo(Duration.ofSeconds(6));
        try (RustMQClient client = ConsumerItSupport.client(BROKER, "handover")) {
            produce(client, topic, 0, payloads("a", 0, 5));
            produce(client, topic, 1, payloads("b", 0, 5));
            try (Consumer first = client.createConsumer(topic, group, defaults)) {
                for (int i = 0; i < 10; i++) {
                    first.receive(WAIT).ack();
                }
                long joinedAt = System.nanoTime();
                try (Consumer second = client.createConsumer(topic, group, defaults)) {
                    await().atMost(WAIT).until(() -> second.assignment().size() == 1);
                    TopicPartition moved = second.assignment().iterator().next();
                    produce(client, topic, moved.partition(), List.of("after-join"));
                    ConsumerMessage m = second.receive(Duration.ofSeconds(60));
                    long handoverMillis = Duration.ofNanos(System.nanoTime() - joinedAt).toMillis();
                    assertThat(m).as("the second member reads its partition").isNotNull();
                    assertThat(m.payloadAsString()).isEqualTo("after-join");
                    assertThat(m.offset()).as("after what the first member acknowledged").isEqualTo(5);
                    m.ack();
                    System.out.println("HANDOVER two-member join with defaults: " + handoverMillis + " ms");
                }
            }
        }
    }
}
