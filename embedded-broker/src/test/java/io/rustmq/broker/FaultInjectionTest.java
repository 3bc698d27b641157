package io.rustmq.broker;

import io.rustmq.broker.network.QuicTestClient;
import io.rustmq.broker.storage.PartitionLog;
import io.rustmq.client.BrokerErrorException;
import io.rustmq.client.protocol.AcknowledgmentLevel;
import io.rustmq.client.protocol.CommitOffsetRequest;
import io.rustmq.client.protocol.CommitOffsetResponse;
import io.rustmq.client.protocol.ConsumerHeartbeatRequest;
import io.rustmq.client.protocol.ConsumerHeartbeatResponse;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.ProduceResponse;
import io.rustmq.client.protocol.JoinGroupRequest;
import io.rustmq.client.protocol.JoinGroupResponse;
import io.rustmq.client.protocol.RequestType;
import io.rustmq.client.protocol.TopicPartition;
import io.rustmq.client.protocol.WireHeader;
import io.rustmq.client.protocol.WireRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The fault-injection test hooks and the sequence checks, over the real QUIC server on loopback. */
class FaultInjectionTest {
    static EmbeddedBroker broker;
    static QuicTestClient client;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.builder().host("127.0.0.1").port(0).autoCreateTopics(true).build().start();
        client = QuicTestClient.connect(broker.address(), broker.certificatePem(), null);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static WireRecord record(String value, WireHeader... headers) {
        return new WireRecord(null, value.getBytes(StandardCharsets.UTF_8), List.of(headers), 0);
    }

    private static WireRecord first(String producer, long seq, String value) {
        return record(value, WireHeader.of(PartitionLog.PRODUCER_ID_HEADER, producer),
                WireHeader.of(PartitionLog.SEQUENCE_HEADER, Long.toString(seq)));
    }

    private static byte[] frame(String topic, WireRecord... records) {
        return Frames.encodeRequest(new ProduceRequest(topic, 0, List.of(records), AcknowledgmentLevel.LEADER, 5000));
    }

    @Test
    void aGapIsAnsweredWithOutOfOrderSequenceAndAnOldRequestWithItsOriginalOffset() throws Exception {
        String topic = "wire-sequences";
        assertThat(((ProduceResponse) client.request(new ProduceRequest(topic, 0,
                List.of(first("p", 0, "a"), record("b")), AcknowledgmentLevel.LEADER, 0))).offset()).isZero();
        assertThatThrownBy(() -> client.request(new ProduceRequest(topic, 0, List.of(first("p", 3, "d")),
                AcknowledgmentLevel.LEADER, 0)))
                .isInstanceOf(BrokerErrorException.class)
                .hasMessageContaining("OutOfOrderSequence: expected 2, got 3");
        assertThat(((ProduceResponse) client.request(new ProduceRequest(topic, 0,
                List.of(first("p", 0, "a"), record("b")), AcknowledgmentLevel.LEADER, 0))).offset()).isZero();
        assertThat(broker.logEndOffset(topic, 0)).isEqualTo(2);
    }

    @Test
    void duringAnOutageNothingIsHandledOrAnsweredAndAfterItRequestsAreServedAgain() throws Exception {
        String topic = "outage";
        broker.faults().stopAnswering();
        long before = broker.faults().counts().unanswered();
        QuicTestClient.Exchange silent;
        try {
            silent = client.send(frame(topic, record("lost")), true);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> broker.faults().counts().unanswered() > before);
        } finally {
            broker.faults().resumeAnswering();
        }
        assertThat(silent.response()).isNotDone();
        ProduceResponse r = (ProduceResponse) Frames.decodeResponse(io.rustmq.client.protocol.RequestType.PRODUCE,
                client.exchange(frame(topic, record("after"))));
        assertThat(r.offset()).as("the request sent during the outage stored nothing").isZero();
    }

    @Test
    void chaosHandlesProduceRequestsLateAndDropsAnswersButStoresEachRequestOnce() throws Exception {
        String topic = "chaos";
        broker.faults().chaos(1.0, Duration.ofMillis(50), 0.5, 42);
        List<CompletableFuture<byte[]>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                answers.add(client.send(frame(topic, record("v" + i)), true).response());
            }
            for (CompletableFuture<byte[]> a : answers) {
                await().atMost(Duration.ofSeconds(30)).until(a::isDone);
            }
        } finally {
            broker.faults().clearChaos();
        }
        assertThat(answers).filteredOn(CompletableFuture::isCompletedExceptionally).isNotEmpty();
        assertThat(answers).filteredOn(a -> !a.isCompletedExceptionally()).isNotEmpty();
        assertThat(broker.faults().counts().delayed()).isGreaterThanOrEqualTo(20);
        assertThat(broker.logEndOffset(topic, 0)).isEqualTo(20);
        assertThatThrownBy(() -> broker.faults().chaos(1.5, Duration.ofMillis(1), 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delayProbability");
    }

    @Test
    void aDelayedOffsetCommitIsStoredAtOnceAndDoesNotHoldUpAHeartbeatSentAfterIt() throws Exception {
        String topic = "delayed-commit";
        String group = "delayed-commit-group";
        broker.createTopic(topic, 1);
        JoinGroupResponse joined = (JoinGroupResponse) client.request(
                new JoinGroupRequest(group, "", 30_000, List.of(topic)));
        long before = broker.faults().counts().delayedResponses();
        broker.faults().delayResponses(RequestType.COMMIT_OFFSET, Duration.ofSeconds(6));
        CompletableFuture<byte[]> commit;
        try {
            commit = client.send(Frames.encodeRequest(new CommitOffsetRequest(group, joined.memberId(),
                    joined.generationId(), Map.of(new TopicPartition(topic, 0), 7L))), true).response();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> broker.faults().counts().delayedResponses() == before + 1);
            // handled at once: the offset is stored while its answer is held back
            assertThat(broker.groupCoordinator().describe(group).committedOffsets())
                    .containsEntry(new TopicPartition(topic, 0), 7L);
            ConsumerHeartbeatResponse heartbeat = (ConsumerHeartbeatResponse) client.request(
                    new ConsumerHeartbeatRequest(group, joined.memberId(), joined.generationId()));
            assertThat(heartbeat.errorCode()).isZero();
            assertThat(commit).as("the commit's answer is still held back after the heartbeat's").isNotDone();
        } finally {
            broker.faults().clearDelays();
        }
        await().atMost(Duration.ofSeconds(30)).until(commit::isDone);
        CommitOffsetResponse answer = (CommitOffsetResponse) Frames.decodeResponse(RequestType.COMMIT_OFFSET,
                QuicTestClient.get(commit));
        assertThat(answer.errorCode()).isZero();
        assertThat(broker.faults().counts().delayedResponses()).isEqualTo(before + 1);
        assertThatThrownBy(() -> broker.faults().delayResponses(RequestType.FETCH, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delay");
    }
}
