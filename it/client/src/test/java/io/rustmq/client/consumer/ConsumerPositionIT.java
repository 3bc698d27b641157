package io.rustmq.client.consumer;

import io.rustmq.broker.group.GroupCoordinator;
import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.protocol.JoinGroupResponse;
import io.rustmq.client.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.rustmq.client.consumer.ConsumerItSupport.WAIT;
import static io.rustmq.client.consumer.ConsumerItSupport.fast;
import static io.rustmq.client.consumer.ConsumerItSupport.payloads;
import static io.rustmq.client.consumer.ConsumerItSupport.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Start positions, seeks and committed offsets end to end. */
class ConsumerPositionIT {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true).build();

    private static RustMQClient client;

    @BeforeAll
    static void connect() {
        client = ConsumerItSupport.client(BROKER, "positions");
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    /**
     * Writes p0..p4, then (after a pause) p5..p9 to a new one-partition topic.
     *
     * @return an instant between the two halves (broker timestamps of p0..p4 are before it, of p5..p9 after)
     */
    private static Instant prepare(String topic) throws InterruptedException {
        produce(client, topic, 0, payloads("p", 0, 5));
        Thread.sleep(50);
        Instant middle = Instant.now();
        Thread.sleep(50);
        produce(client, topic, 0, payloads("p", 5, 10));
        return middle;
    }

    private static ConsumerMessage first(String topic, StartPosition position) {
        try (Consumer c = client.createConsumer(topic, topic + "-group", fast().startPosition(position).build())) {
            ConsumerMessage m = c.receive(WAIT);
            assertThat(m).isNotNull();
            m.ack();
            return m;
        }
    }

    @Test
    void earliestStartsAtTheFirstMessage() throws Exception {
        prepare("start-earliest");
        ConsumerMessage m = first("start-earliest", StartPosition.earliest());
        assertThat(m.offset()).isZero();
        assertThat(m.payloadAsString()).isEqualTo("p0");
    }

    @Test
    void anOffsetStartsAtThatOffset() throws Exception {
        prepare("start-offset");
        ConsumerMessage m = first("start-offset", StartPosition.offset(7));
        assertThat(m.offset()).isEqualTo(7);
        assertThat(m.payloadAsString()).isEqualTo("p7");
    }

    @Test
    void aTimestampStartsAtTheFirstMessageStampedAtOrAfterIt() throws Exception {
        Instant middle = prepare("start-timestamp");
        ConsumerMessage m = first("start-timestamp", StartPosition.timestamp(middle));
        assertThat(m.offset()).isEqualTo(5);
        assertThat(m.payloadAsString()).isEqualTo("p5");
        assertThat(m.timestampInstant()).isAfterOrEqualTo(middle);
    }

    @Test
    void latestSkipsWhatIsThereAndStartsWithTheNextMessageProduced() throws Exception {
        String topic = "start-latest";
        prepare(topic);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Consumer c = client.createConsumer(topic, "latest-group",
                fast().startPosition(StartPosition.latest()).build())) {
            await().atMost(WAIT).until(() -> c.position(tp).isPresent());
            assertThat(c.position(tp)).hasValue(10);
            assertThat(c.receive(Duration.ofMillis(200))).isNull();
            produce(client, topic, 0, List.of("after"));
            ConsumerMessage m = c.receive(WAIT);
            assertThat(m).isNotNull();
            assertThat(m.offset()).isEqualTo(10);
            assertThat(m.payloadAsString()).isEqualTo("after");
        }
    }

    @Test
    void aCommittedOffsetWinsOverTheStartPosition() throws Exception {
        String topic = "committed-wins";
        prepare(topic);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Consumer c = client.createConsumer(topic, "committed-group", fast().enableAutoCommit(false).build())) {
            for (int i = 0; i < 3; i++) {
                c.receive(WAIT).ack();
            }
            c.commit();
            assertThat(c.committed(tp)).as("the next offset to read").hasValue(3);
        }
        try (Consumer c = client.createConsumer(topic, "committed-group",
                fast().startPosition(StartPosition.latest()).build())) {
            ConsumerMessage m = c.receive(WAIT);
            assertThat(m).isNotNull();
            assertThat(m.offset()).isEqualTo(3);
        }
    }

    @Test
    void seekMovesThePositionBackAndForthAndTheNextCommitStoresIt() throws Exception {
        String topic = "seeks";
        Instant middle = prepare(topic);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Consumer c = client.createConsumer(topic, "seek-group", fast().enableAutoCommit(false).build())) {
            ConsumerMessage first = c.receive(WAIT);
            assertThat(first.offset()).isZero();
            assertThat(c.assignment()).isEqualTo(Set.of(tp));

            c.seek(tp, 8);
            assertThat(c.position(tp)).hasValue(8);
            ConsumerMessage eighth = c.receive(WAIT);
            assertThat(eighth.payloadAsString()).isEqualTo("p8");
            eighth.ack();
            first.ack(); // delivered before the seek: ignored
            c.commit();
            assertThat(c.committed(tp)).hasValue(9);

            c.seekToBeginning();
            assertThat(c.receive(WAIT).payloadAsString()).isEqualTo("p0");

            c.seekToTimestamp(middle);
            assertThat(c.receive(WAIT).payloadAsString()).isEqualTo("p5");

            c.seekToTimestamp(List.of(tp), Instant.now().plusSeconds(60));
            assertThat(c.position(tp)).as("every message is older: the end").hasValue(10);

            c.seek(tp, 2);
            c.seekToEnd();
            assertThat(c.position(tp)).hasValue(10);
            assertThat(c.receive(Duration.ofMillis(200))).isNull();
            c.commit();
            assertThat(c.committed(tp)).as("a seek is committed as the position").hasValue(10);

            assertThatThrownBy(() -> c.seek(new TopicPartition(topic, 5), 0))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not assigned");
            assertThatThrownBy(() -> c.seek(tp, -1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** Stores a committed offset for a group through the broker's coordinator, as a stale commit would be. */
    private static void commitDirectly(String group, String topic, long offset) {
        GroupCoordinator groups = BROKER.broker().groupCoordinator();
        JoinGroupResponse j = groups.join(group, "", 30_000, List.of(topic));
        assertThat(groups.commit(group, j.memberId(), j.generationId(),
                Map.of(new io.rustmq.client.protocol.TopicPartition(topic, 0), offset))).isZero();
        groups.leave(group, j.memberId());
    }

    @Test
    void aCommittedOffsetPastTheHighWatermarkResetsToEarliestWithOneCountedReset() throws Exception {
        String topic = "past-end-earliest";
        prepare(topic);
        commitDirectly(topic + "-group", topic, 100);
        try (Consumer c = client.createConsumer(topic, topic + "-group",
                fast().startPosition(StartPosition.earliest()).build())) {
            ConsumerMessage m = c.receive(WAIT);
            assertThat(m).as("the stale position 100 was reset to the start of the log").isNotNull();
            assertThat(m.offset()).isZero();
            assertThat(c.metrics().positionResets()).isEqualTo(1);
        }
    }

    @Test
    void aCommittedOffsetPastTheHighWatermarkResetsToLatestAndReadsWhatFollows() throws Exception {
        String topic = "past-end-latest";
        prepare(topic);
        commitDirectly(topic + "-group", topic, 100);
        try (Consumer c = client.createConsumer(topic, topic + "-group",
                fast().startPosition(StartPosition.latest()).build())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            await().atMost(WAIT).until(() -> c.metrics().positionResets() == 1);
            await().atMost(WAIT).until(() -> c.position(tp).orElse(-1) == 10);
            produce(client, topic, 0, payloads("q", 0, 1));
            ConsumerMessage m = c.receive(WAIT);
            assertThat(m.offset()).isEqualTo(10);
            assertThat(m.payloadAsString()).isEqualTo("q0");
            assertThat(c.metrics().positionResets()).isEqualTo(1);
        }
    }
}
