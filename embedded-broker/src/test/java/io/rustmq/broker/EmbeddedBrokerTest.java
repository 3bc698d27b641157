package io.rustmq.broker;

import io.netty.incubator.codec.quic.QuicStreamResetException;
import io.rustmq.broker.network.QuicTestClient;
import io.rustmq.broker.storage.PartitionLog;
import io.rustmq.client.BrokerErrorException;
import io.rustmq.client.protocol.AcknowledgmentLevel;
import io.rustmq.client.protocol.BrokerInfo;
import io.rustmq.client.protocol.CommitOffsetRequest;
import io.rustmq.client.protocol.CommitOffsetResponse;
import io.rustmq.client.protocol.ConsumerHeartbeatRequest;
import io.rustmq.client.protocol.ConsumerHeartbeatResponse;
import io.rustmq.client.protocol.FetchOffsetRequest;
import io.rustmq.client.protocol.FetchOffsetResponse;
import io.rustmq.client.protocol.FetchRequest;
import io.rustmq.client.protocol.FetchResponse;
import io.rustmq.client.protocol.FindCoordinatorRequest;
import io.rustmq.client.protocol.FindCoordinatorResponse;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.JoinGroupRequest;
import io.rustmq.client.protocol.JoinGroupResponse;
import io.rustmq.client.protocol.LeaveGroupRequest;
import io.rustmq.client.protocol.LeaveGroupResponse;
import io.rustmq.client.protocol.MetadataRequest;
import io.rustmq.client.protocol.MetadataResponse;
import io.rustmq.client.protocol.PartitionMetadata;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.ProduceResponse;
import io.rustmq.client.protocol.TopicMetadata;
import io.rustmq.client.protocol.TopicPartition;
import io.rustmq.client.protocol.WireHeader;
import io.rustmq.client.protocol.WireRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** Request semantics (spec §6 with DESIGN §4) through the real QUIC server on loopback. */
class EmbeddedBrokerTest {
    static EmbeddedBroker broker;
    static QuicTestClient client;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.builder().host("127.0.0.1").port(0).brokerId("broker-7")
                .topic("orders", 3).topic("empty", 2).autoCreateTopics(true).defaultPartitions(2).build().start();
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

    static ProduceResponse produce(String topic, int partition, WireRecord... records) throws Exception {
        return (ProduceResponse) client.request(new ProduceRequest(topic, partition, List.of(records),
                AcknowledgmentLevel.LEADER, 5000));
    }

    static FetchResponse fetch(String topic, int partition, long offset, int maxBytes) throws Exception {
        return (FetchResponse) client.request(new FetchRequest(topic, partition, offset, maxBytes, 500));
    }

    static WireRecord value(String v) {
        return new WireRecord(null, v.getBytes(StandardCharsets.UTF_8), List.of(), 0);
    }

    @Test
    void produceThenFetchRoundTripsKeysHeadersEmptyBinaryAndNonAsciiValues() throws Exception {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        List<WireRecord> sent = List.of(
                new WireRecord("k1".getBytes(StandardCharsets.UTF_8), "hello".getBytes(StandardCharsets.UTF_8),
                        List.of(), 1_700_000_000_000L),
                new WireRecord(new byte[0], new byte[0], List.of(), -1),
                new WireRecord(null, binary, List.of(WireHeader.of("content-type", "application/octet-stream"),
                        new WireHeader("bin", new byte[] {0, (byte) 0xFF}), WireHeader.of("dup", "1"),
                        WireHeader.of("dup", "2"), WireHeader.of("fifth", "x")), Long.MAX_VALUE),
                new WireRecord("schlüssel".getBytes(StandardCharsets.UTF_8),
                        "grüße, 世界 🌍".getBytes(StandardCharsets.UTF_8), List.of(WireHeader.of("ключ", "значение")),
                        0));
        long before = System.currentTimeMillis();
        ProduceResponse r = (ProduceResponse) client.request(new ProduceRequest("orders", 1, sent,
                AcknowledgmentLevel.ALL, 5000));
        long after = System.currentTimeMillis();
        assertThat(r.offset()).isZero();
        assertThat(r.errorCode()).isZero();
        assertThat(r.errorMessage()).isNull();

        FetchResponse f = fetch("orders", 1, 0, 1 << 20);
        assertThat(f.errorCode()).isZero();
        assertThat(f.highWatermark()).isEqualTo(4);
        assertThat(f.records()).hasSize(4);
        for (int i = 0; i < 4; i++) {
            WireRecord in = sent.get(i);
            WireRecord out = f.records().get(i);
            assertThat(out.key()).isEqualTo(in.key());
            assertThat(out.value()).isEqualTo(in.value());
            assertThat(out.headers()).isEqualTo(in.headers());
            assertThat(out.timestamp()).as("broker's clock").isBetween(before, after);
        }
        assertThat(f.records().get(0).key()).isNotNull();
        assertThat(f.records().get(1).key()).as("Some(empty) stays Some").isNotNull().isEmpty();
        assertThat(fetch("orders", 1, 2, 1 << 20).records().get(0).value()).isEqualTo(binary);
    }

    @Test
    void offsetsAreDensePerPartitionAndTheReplyCarriesTheFirstOffset() throws Exception {
        broker.createTopic("dense", 2);
        assertThat(produce("dense", 0, value("a"), value("b")).offset()).isZero();
        assertThat(produce("dense", 0, value("c")).offset()).isEqualTo(2);
        assertThat(produce("dense", 1, value("x")).offset()).isZero();
        assertThat(broker.logEndOffset("dense", 0)).isEqualTo(3);
        assertThat(broker.logEndOffset("dense", 1)).isEqualTo(1);
    }

    @Test
    void emptyProduceAnswersOffsetZeroAndStoresNothingEvenForUnknownPartitions() throws Exception {
        assertThat(produce("empty", 0)).isEqualTo(new ProduceResponse(0, 0, null));
        assertThat(produce("empty", 99)).isEqualTo(new ProduceResponse(0, 0, null));
        assertThat(broker.logEndOffset("empty", 0)).isZero();
    }

    @Test
    void fetchHonoursMaxBytesAndAlwaysReturnsOneRecord() throws Exception {
        broker.createTopic("sized", 1);
        produce("sized", 0, value("0123456789"), value("0123456789"), value("0123456789"));
        int one = 352 + 10;
        assertThat(fetch("sized", 0, 0, 0).records()).hasSize(1);
        assertThat(fetch("sized", 0, 0, 2 * one).records()).hasSize(2);
        assertThat(fetch("sized", 0, 0, 2 * one - 1).records()).hasSize(1);
        assertThat(fetch("sized", 0, 1, -1).records()).as("max_bytes u32 max").hasSize(2);
    }

    @Test
    void fetchPastTheEndOrOfUnknownPartitionsIsEmptyWithoutError() throws Exception {
        broker.createTopic("short", 1);
        produce("short", 0, value("a"));
        FetchResponse atEnd = fetch("short", 0, 1, 1000);
        assertThat(atEnd.records()).isEmpty();
        assertThat(atEnd.highWatermark()).isEqualTo(1);
        assertThat(atEnd.errorCode()).isZero();
        assertThat(fetch("short", 0, -1, 1000).records()).isEmpty();
        assertThat(fetch("nope-no-topic", 0, 0, 1000)).isEqualTo(new FetchResponse(List.of(), 0, 0, null));
        assertThat(fetch("short", 5, 0, 1000)).isEqualTo(new FetchResponse(List.of(), 0, 0, null));
        assertThat(broker.topics()).doesNotContainKey("nope-no-topic");
    }

    @Test
    void produceAutoCreatesUnknownTopicsWithTheDefaultPartitions() throws Exception {
        assertThat(produce("auto-created", 1, value("a")).offset()).isZero();
        assertThat(broker.topics()).containsEntry("auto-created", 2);
        assertThatThrownBy(() -> produce("auto-created-2", 2, value("a")))
                .isInstanceOf(BrokerErrorException.class).hasMessageContaining("Partition not found: auto-created-2:2");
    }

    @Test
    void produceToAPartitionOutOfRangeGetsPartitionNotFound() throws Exception {
        byte[] response = client.exchange(Frames.encodeRequest(new ProduceRequest("orders", 3,
                List.of(value("a")), AcknowledgmentLevel.LEADER, 0)));
        assertThat(new String(response, 1, response.length - 1, StandardCharsets.UTF_8))
                .isEqualTo("Error: Partition not found: orders:3");
        byte[] negative = client.exchange(Frames.encodeRequest(new ProduceRequest("orders", -1,
                List.of(value("a")), AcknowledgmentLevel.LEADER, 0)));
        assertThat(new String(negative, 1, negative.length - 1, StandardCharsets.UTF_8))
                .isEqualTo("Error: Partition not found: orders:4294967295");
    }

    @Test
    void withoutAutoCreationAnUnknownTopicGivesTheShippedErrorFrameByteForByte() throws Exception {
        try (EmbeddedBroker strict = EmbeddedBroker.builder().port(0).build().start();
             QuicTestClient c = QuicTestClient.connect(strict.address(), null, null)) {
            // spec §11 / vectors.json: Produce {orders, 0, [k1=hello]} to a broker without that partition
            byte[] response = c.exchange(HexFormat.of().parseHex("0106000000000000006f726465727300000000010000000000"
                    + "00000102000000000000006b31050000000000000068656c6c6f00000000000000000068e5cf8b0100000100000088130000"));
            assertThat(HexFormat.of().formatHex(response)).isEqualTo(
                    "ff4572726f723a20506172746974696f6e206e6f7420666f756e643a206f72646572733a30");
            assertThat(strict.topics()).isEmpty();
        }
    }

    @Test
    void allAcknowledgmentLevelsAreAccepted() throws Exception {
        broker.createTopic("acks", 1);
        for (AcknowledgmentLevel acks : List.of(AcknowledgmentLevel.NONE, AcknowledgmentLevel.LEADER,
                AcknowledgmentLevel.MAJORITY, AcknowledgmentLevel.ALL, AcknowledgmentLevel.custom(3))) {
            client.request(new ProduceRequest("acks", 0, List.of(value("a")), acks, 0));
        }
        assertThat(broker.logEndOffset("acks", 0)).isEqualTo(5);
    }

    @Test
    void idempotentRetryOverTheWireIsNotStoredTwice() throws Exception {
        broker.createTopic("idem", 1);
        WireRecord r = new WireRecord(null, "once".getBytes(StandardCharsets.UTF_8),
                List.of(WireHeader.of(PartitionLog.PRODUCER_ID_HEADER, "producer-1"),
                        WireHeader.of(PartitionLog.SEQUENCE_HEADER, "0")), 0);
        produce("idem", 0, value("before"));
        assertThat(produce("idem", 0, r).offset()).isEqualTo(1);
        assertThat(produce("idem", 0, r).offset()).isEqualTo(1);
        assertThat(broker.logEndOffset("idem", 0)).isEqualTo(2);
    }

    @Test
    void droppedResponsesAreStoredButTheStreamIsResetInstead() throws Exception {
        broker.createTopic("dropped", 1);
        broker.dropResponses(2);
        assertThatThrownBy(() -> produce("dropped", 0, value("a"))).isInstanceOf(QuicStreamResetException.class);
        assertThatThrownBy(() -> produce("dropped", 0, value("b"))).isInstanceOf(QuicStreamResetException.class);
        assertThat(produce("dropped", 0, value("c")).offset()).isEqualTo(2);
        assertThat(broker.logEndOffset("dropped", 0)).isEqualTo(3);
        assertThat(client.isActive()).isTrue();
        assertThatThrownBy(() -> broker.dropResponses(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void metadataListsThisBrokerAndEveryTopicWithItsPartitionsAndLeader() throws Exception {
        MetadataResponse m = (MetadataResponse) client.request(new MetadataRequest(List.of()));
        assertThat(m.brokers()).containsExactly(new BrokerInfo("broker-7", "127.0.0.1", broker.address().getPort(),
                0, ""));
        TopicMetadata orders = m.topicsMetadata().stream().filter(t -> t.name().equals("orders")).findFirst()
                .orElseThrow();
        assertThat(orders.partitions()).containsExactly(
                new PartitionMetadata(0, "broker-7", List.of("broker-7")),
                new PartitionMetadata(1, "broker-7", List.of("broker-7")),
                new PartitionMetadata(2, "broker-7", List.of("broker-7")));
        assertThat(m.topicsMetadata()).extracting(TopicMetadata::name).contains("orders", "empty").isSorted();
    }

    @Test
    void findCoordinatorAnswersThisBroker() throws Exception {
        assertThat(client.request(new FindCoordinatorRequest("any-group"))).isEqualTo(
                new FindCoordinatorResponse("broker-7", "127.0.0.1", broker.address().getPort(), 0));
    }

    @Test
    void aConsumerGroupRoundTripsOverTheWire() throws Exception {
        JoinGroupResponse a = (JoinGroupResponse) client.request(new JoinGroupRequest("wire-group", "", 30_000,
                List.of("orders")));
        assertThat(a.generationId()).isEqualTo(1);
        assertThat(a.ownAssignment()).hasSize(3);
        JoinGroupResponse b = (JoinGroupResponse) client.request(new JoinGroupRequest("wire-group", "member-b",
                30_000, List.of("orders")));
        assertThat(b.generationId()).isEqualTo(2);
        assertThat(client.request(new ConsumerHeartbeatRequest("wire-group", a.memberId(), 1)))
                .isEqualTo(new ConsumerHeartbeatResponse(22));
        JoinGroupResponse a2 = (JoinGroupResponse) client.request(new JoinGroupRequest("wire-group", a.memberId(),
                30_000, List.of("orders")));
        assertThat(a2.generationId()).isEqualTo(2);
        assertThat(a2.assignedPartitions()).isEqualTo(b.assignedPartitions());

        TopicPartition tp = new TopicPartition("orders", 0);
        assertThat(client.request(new CommitOffsetRequest("wire-group", a.memberId(), 2, Map.of(tp, 42L))))
                .isEqualTo(new CommitOffsetResponse(0));
        assertThat(client.request(new CommitOffsetRequest("wire-group", a.memberId(), 1, Map.of(tp, 43L))))
                .isEqualTo(new CommitOffsetResponse(22));
        FetchOffsetResponse fo = (FetchOffsetResponse) client.request(new FetchOffsetRequest("wire-group",
                List.of(tp, new TopicPartition("orders", 1))));
        assertThat(fo.errorCode()).isZero();
        assertThat(fo.offsets()).containsExactly(entry(tp, 42L));
        assertThat(client.request(new LeaveGroupRequest("wire-group", "member-b")))
                .isEqualTo(new LeaveGroupResponse(0));
        assertThat(client.request(new ConsumerHeartbeatRequest("wire-group", a.memberId(), 3)))
                .isEqualTo(new ConsumerHeartbeatResponse(27));
        assertThat(client.request(new LeaveGroupRequest("no-such-group", "x"))).isEqualTo(new LeaveGroupResponse(16));
    }

    @Test
    void metadataNamingAnUnknownTopicCreatesItWhenAutoCreationIsOn() throws Exception {
        MetadataResponse m = (MetadataResponse) client.request(new MetadataRequest(List.of("created-by-metadata")));
        assertThat(broker.topics()).containsEntry("created-by-metadata", 2);
        assertThat(m.topicsMetadata()).filteredOn(t -> t.name().equals("created-by-metadata"))
                .singleElement().satisfies(t -> assertThat(t.partitions()).hasSize(2));
    }

    @Test
    void joinGroupAutoCreatesSubscribedTopics() throws Exception {
        JoinGroupResponse r = (JoinGroupResponse) client.request(new JoinGroupRequest("auto-group", "m", 30_000,
                List.of("created-by-join")));
        assertThat(broker.topics()).containsEntry("created-by-join", 2);
        assertThat(r.ownAssignment()).hasSize(2);
    }

    @Test
    void reportsItsAddressBootstrapAndCertificate() throws Exception {
        assertThat(broker.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(broker.address().getPort()).isPositive();
        assertThat(broker.bootstrap()).isEqualTo("127.0.0.1:" + broker.address().getPort());
        Path pem = broker.certificatePem();
        assertThat(Files.readString(pem)).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(broker.fingerprintSha256()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(broker.isRunning()).isTrue();
        assertThat(broker.brokerId()).isEqualTo("broker-7");
    }

    /** A JVM that starts a broker, prints its certificate file and exits without closing it. */
    public static final class UnclosedBroker {
        public static void main(String[] args) {
            EmbeddedBroker b = EmbeddedBroker.builder().port(0).build().start();
            System.out.println("PEM " + b.certificatePem());
            System.out.flush();
            System.exit(0);
        }
    }

    @Test
    void theGeneratedPemIsDeletedWhenTheJvmExitsWithoutClose() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), UnclosedBroker.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(out).startsWith("PEM ");
        Path pem = Path.of(out.substring(4).trim());
        assertThat(pem.getFileName().toString()).startsWith("rustmq-broker-").endsWith(".pem");
        assertThat(pem).doesNotExist();
    }

    @Test
    void closeIsIdempotentReleasesThePortAndDeletesTheGeneratedPem() throws Exception {
        EmbeddedBroker b = EmbeddedBroker.builder().port(0).build().start();
        int port = b.address().getPort();
        Path pem = b.certificatePem();
        assertThat(pem).exists();
        b.close();
        b.close();
        assertThat(b.isRunning()).isFalse();
        assertThat(pem).doesNotExist();
        try (DatagramSocket s = new DatagramSocket(port, InetAddress.getByName("127.0.0.1"))) {
            assertThat(s.getLocalPort()).isEqualTo(port);
        }
        assertThatThrownBy(b::start).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(b::address).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aTakenPortFailsTheStartWithAClearError() {
        int port = broker.address().getPort();
        assertThatThrownBy(() -> EmbeddedBroker.builder().port(port).build().start())
                .isInstanceOf(EmbeddedBrokerException.class).hasMessageContaining(Integer.toString(port));
    }

    @Test
    void aWildcardHostIsAdvertisedAsLoopback() throws Exception {
        try (EmbeddedBroker any = EmbeddedBroker.builder().host("0.0.0.0").port(0).build().start();
             QuicTestClient c = QuicTestClient.connect(
                     new java.net.InetSocketAddress("127.0.0.1", any.address().getPort()), any.certificatePem(),
                     null)) {
            assertThat(any.bootstrap()).isEqualTo("127.0.0.1:" + any.address().getPort());
            MetadataResponse m = (MetadataResponse) c.request(new MetadataRequest(List.of()));
            assertThat(m.brokers().get(0).host()).isEqualTo("127.0.0.1");
            FindCoordinatorResponse fc = (FindCoordinatorResponse) c.request(new FindCoordinatorRequest("g"));
            assertThat(fc.coordinatorHost()).as("not rewritten, as shipped").isEqualTo("0.0.0.0");
        }
    }
}
