package io.rustmq.broker;

import io.rustmq.broker.network.QuicTestClient;
import io.rustmq.broker.storage.PartitionLog;
import io.rustmq.client.protocol.AcknowledgmentLevel;
import io.rustmq.client.protocol.CommitOffsetRequest;
import io.rustmq.client.protocol.CommitOffsetResponse;
import io.rustmq.client.protocol.FetchOffsetRequest;
import io.rustmq.client.protocol.FetchOffsetResponse;
import io.rustmq.client.protocol.FetchRequest;
import io.rustmq.client.protocol.FetchResponse;
import io.rustmq.client.protocol.JoinGroupRequest;
import io.rustmq.client.protocol.JoinGroupResponse;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.ProduceResponse;
import io.rustmq.client.protocol.TopicPartition;
import io.rustmq.client.protocol.WireHeader;
import io.rustmq.client.protocol.WireRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A broker with a log directory, stopped and started again on the same directory and port. */
class LogDirectoryRestartTest {
    @TempDir
    Path dir;

    private EmbeddedBroker broker;
    private QuicTestClient client;

    @AfterEach
    void stop() {
        stopBroker();
    }

    private void stopBroker() {
        if (client != null) {
            client.close();
            client = null;
        }
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** Starts a broker on the log directory and port (0: any), retrying while the port is not free again yet. */
    private void startBroker(int port) throws Exception {
        AtomicReference<EmbeddedBroker> started = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptionsInstanceOf(
                EmbeddedBrokerException.class).until(() -> {
                    started.set(EmbeddedBroker.builder().port(port).logDir(dir).autoCreateTopics(true).build()
                            .start());
                    return true;
                });
        broker = started.get();
        client = QuicTestClient.connect(broker.address(), broker.certificatePem(), null);
    }

    private int restart() throws Exception {
        int port = broker.address().getPort();
        stopBroker();
        startBroker(port);
        assertThat(broker.address().getPort()).isEqualTo(port);
        return port;
    }

    private ProduceResponse produce(String topic, int partition, List<WireRecord> records) throws Exception {
        return (ProduceResponse) client.request(new ProduceRequest(topic, partition, records,
                AcknowledgmentLevel.LEADER, 5000));
    }

    private FetchResponse fetch(String topic, int partition, long offset) throws Exception {
        return (FetchResponse) client.request(new FetchRequest(topic, partition, offset, 1 << 20, 0));
    }

    static WireRecord rec(String value) {
        return new WireRecord("k".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8),
                List.of(WireHeader.of("h", "v")), 0);
    }

    static List<String> values(List<WireRecord> records) {
        List<String> out = new ArrayList<>();
        records.forEach(r -> out.add(new String(r.value(), StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void aConsumerGroupResumesFromItsCommittedOffsetsWithEveryRecordIntactAfterARestart() throws Exception {
        startBroker(0);
        broker.createTopic("orders", 2);
        for (int i = 0; i < 10; i++) {
            produce("orders", i % 2, List.of(rec("order-" + i)));
        }
        JoinGroupResponse joined = (JoinGroupResponse) client.request(new JoinGroupRequest("billing", "", 30_000,
                List.of("orders")));
        CommitOffsetResponse committed = (CommitOffsetResponse) client.request(new CommitOffsetRequest("billing",
                joined.memberId(), joined.generationId(), Map.of(new TopicPartition("orders", 0), 3L,
                new TopicPartition("orders", 1), 2L)));
        assertThat(committed.errorCode()).isZero();
        List<WireRecord> before0 = fetch("orders", 0, 0).records();
        List<WireRecord> before1 = fetch("orders", 1, 0).records();

        restart();

        assertThat(broker.topics()).containsEntry("orders", 2);
        FetchOffsetResponse offsets = (FetchOffsetResponse) client.request(new FetchOffsetRequest("billing",
                List.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1))));
        assertThat(offsets.errorCode()).isZero();
        assertThat(offsets.offsets()).containsEntry(new TopicPartition("orders", 0), 3L)
                .containsEntry(new TopicPartition("orders", 1), 2L);
        // every record intact: key, value, headers and the broker's original timestamps
        assertThat(fetch("orders", 0, 0).records()).isEqualTo(before0);
        assertThat(fetch("orders", 1, 0).records()).isEqualTo(before1);
        assertThat(values(fetch("orders", 0, 3).records())).containsExactly("order-6", "order-8");
        assertThat(values(fetch("orders", 1, 2).records())).containsExactly("order-5", "order-7", "order-9");
        // the group works on: a new member joins, commits with its generation, and the log continues
        JoinGroupResponse rejoined = (JoinGroupResponse) client.request(new JoinGroupRequest("billing", "",
                30_000, List.of("orders")));
        assertThat(((CommitOffsetResponse) client.request(new CommitOffsetRequest("billing", rejoined.memberId(),
                rejoined.generationId(), Map.of(new TopicPartition("orders", 0), 5L)))).errorCode()).isZero();
        assertThat(produce("orders", 0, List.of(rec("order-10"))).offset()).isEqualTo(5);

        restart();
        assertThat(((FetchOffsetResponse) client.request(new FetchOffsetRequest("billing",
                List.of(new TopicPartition("orders", 0))))).offsets())
                .containsEntry(new TopicPartition("orders", 0), 5L);
        assertThat(values(fetch("orders", 0, 4).records())).containsExactly("order-8", "order-10");
    }

    @Test
    void anIdempotentRetryAfterARestartIsNotStoredTwice() throws Exception {
        startBroker(0);
        WireRecord first = new WireRecord(null, "once".getBytes(StandardCharsets.UTF_8),
                List.of(WireHeader.of(PartitionLog.PRODUCER_ID_HEADER, "producer-1"),
                        WireHeader.of(PartitionLog.SEQUENCE_HEADER, "0")), 0);
        produce("idem", 0, List.of(rec("before")));
        assertThat(produce("idem", 0, List.of(first)).offset()).isEqualTo(1);

        restart();

        assertThat(produce("idem", 0, List.of(first)).offset()).isEqualTo(1);
        assertThat(broker.logEndOffset("idem", 0)).isEqualTo(2);
        assertThat(values(fetch("idem", 0, 0).records())).containsExactly("before", "once");
    }

    @Test
    void aMultiRecordIdempotentRequestRetriedAfterARestartGetsItsOriginalOffsets() throws Exception {
        startBroker(0);
        List<WireRecord> request = new ArrayList<>();
        for (int seq = 0; seq < 3; seq++) { // every record tagged: the form both the old and new dedupe accept
            request.add(new WireRecord(null, ("r" + seq).getBytes(StandardCharsets.UTF_8),
                    List.of(WireHeader.of(PartitionLog.PRODUCER_ID_HEADER, "producer-9"),
                            WireHeader.of(PartitionLog.SEQUENCE_HEADER, Integer.toString(seq))), 0));
        }
        produce("idem-multi", 0, List.of(rec("first")));
        assertThat(produce("idem-multi", 0, request).offset()).isEqualTo(1);

        restart();

        assertThat(produce("idem-multi", 0, request).offset()).isEqualTo(1);
        assertThat(broker.logEndOffset("idem-multi", 0)).isEqualTo(4);
        WireRecord next = new WireRecord(null, "r3".getBytes(StandardCharsets.UTF_8),
                List.of(WireHeader.of(PartitionLog.PRODUCER_ID_HEADER, "producer-9"),
                        WireHeader.of(PartitionLog.SEQUENCE_HEADER, "3")), 0);
        assertThat(produce("idem-multi", 0, List.of(next)).offset()).isEqualTo(4);
        assertThat(values(fetch("idem-multi", 0, 0).records())).containsExactly("first", "r0", "r1", "r2", "r3");
    }

    @Test
    void aLogFileCutInTheMiddleOfItsLastRecordIsTruncatedToTheLastWholeRecordOnStart() throws Exception {
        startBroker(0);
        produce("torn", 0, List.of(rec("a"), rec("b")));
        produce("torn", 0, List.of(rec("c")));
        produce("torn", 0, List.of(rec("d-is-the-last-one")));
        int port = broker.address().getPort();
        stopBroker();

        Path segment = segments("torn").get(0);
        long whole = Files.size(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(whole - 7); // a crash in the middle of writing the last record
        }
        startBroker(port);

        assertThat(broker.logEndOffset("torn", 0)).isEqualTo(3);
        assertThat(values(fetch("torn", 0, 0).records())).containsExactly("a", "b", "c");
        assertThat(Files.size(segment)).isLessThan(whole - 7);
        assertThat(produce("torn", 0, List.of(rec("e"))).offset()).isEqualTo(3);
        restart();
        assertThat(values(fetch("torn", 0, 0).records())).containsExactly("a", "b", "c", "e");
    }

    @Test
    void aCorruptEntryIsCutWithEverythingAfterIt() throws Exception {
        startBroker(0);
        produce("flip", 0, List.of(rec("a")));
        produce("flip", 0, List.of(rec("b")));
        produce("flip", 0, List.of(rec("c")));
        int port = broker.address().getPort();
        stopBroker();

        Path segment = segments("flip").get(0);
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 2] ^= 0x5A; // a flipped bit inside the second entry fails its CRC32C
        Files.write(segment, bytes);
        startBroker(port);

        assertThat(values(fetch("flip", 0, 0).records())).containsExactly("a");
        assertThat(broker.logEndOffset("flip", 0)).isEqualTo(1);
    }

    @Test
    void retentionDeletesWholeSegmentsAndTheLogStartSurvivesARestart() throws Exception {
        stopBroker();
        broker = EmbeddedBroker.builder().port(0).logDir(dir).topic("bounded", 1).retentionBytes(20_000).build()
                .start();
        client = QuicTestClient.connect(broker.address(), broker.certificatePem(), null);
        for (int i = 0; i < 200; i++) {
            produce("bounded", 0, List.of(rec("r" + i + "-".repeat(300))));
        }
        long start = broker.logStartOffset("bounded", 0);
        assertThat(start).isPositive();
        long onDisk = 0;
        for (Path p : segments("bounded")) {
            onDisk += Files.size(p);
        }
        assertThat(onDisk).isLessThan(20_000 + 5_000 + 2_000); // the limit, one segment and framing
        broker.truncateBefore("bounded", 0, start + 3);
        int port = broker.address().getPort();
        stopBroker();
        AtomicReference<EmbeddedBroker> started = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(EmbeddedBrokerException.class)
                .until(() -> {
                    started.set(EmbeddedBroker.builder().port(port).logDir(dir).retentionBytes(20_000).build()
                            .start());
                    return true;
                });
        broker = started.get();
        assertThat(broker.logStartOffset("bounded", 0)).isEqualTo(start + 3);
        assertThat(broker.logEndOffset("bounded", 0)).isEqualTo(200);
        assertThat(new String(broker.topicRegistry().partition("bounded", 0).get(start + 3).value(),
                StandardCharsets.UTF_8)).startsWith("r" + (start + 3) + "-");
    }

    @Test
    void topicNamesThatAreNotSafeFileNamesSurviveARestart() throws Exception {
        startBroker(0);
        List<String> names = List.of("..", ".", "a/b", "sp ace:ü*", "%2E");
        for (String t : names) {
            broker.createTopic(t, 1);
            produce(t, 0, List.of(rec("in " + t)));
        }
        restart();
        for (String t : names) {
            assertThat(values(fetch(t, 0, 0).records())).containsExactly("in " + t);
        }
        try (Stream<Path> s = Files.list(dir.resolve("partitions"))) {
            assertThat(s.count()).isEqualTo(names.size());
        }
    }

    @Test
    void oneBrokerAtATimeMayUseALogDirectory() throws Exception {
        startBroker(0);
        assertThatThrownBy(() -> EmbeddedBroker.builder().port(0).logDir(dir).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("logDir " + dir + ": ")
                .hasMessageContaining("in use by another broker");
        assertThat(broker.logDir()).isEqualTo(dir);
        assertThat(broker.statsLine()).contains("log dir " + dir);
    }

    private List<Path> segments(String topic) throws Exception {
        try (Stream<Path> s = Files.walk(dir.resolve("partitions").resolve(topic))) {
            return s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
    }
}
