package io.rustmq.broker;

import io.rustmq.broker.network.QuicTestClient;
import io.rustmq.client.BrokerErrorException;
import io.rustmq.client.protocol.AcknowledgmentLevel;
import io.rustmq.client.protocol.BrokerInfo;
import io.rustmq.client.protocol.ConsumerHeartbeatRequest;
import io.rustmq.client.protocol.ConsumerHeartbeatResponse;
import io.rustmq.client.protocol.FetchRequest;
import io.rustmq.client.protocol.FetchResponse;
import io.rustmq.client.protocol.FindCoordinatorRequest;
import io.rustmq.client.protocol.FindCoordinatorResponse;
import io.rustmq.client.protocol.JoinGroupRequest;
import io.rustmq.client.protocol.JoinGroupResponse;
import io.rustmq.client.protocol.MetadataRequest;
import io.rustmq.client.protocol.MetadataResponse;
import io.rustmq.client.protocol.PartitionMetadata;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.ProduceResponse;
import io.rustmq.client.protocol.RequestType;
import io.rustmq.client.protocol.TopicMetadata;
import io.rustmq.client.protocol.TopicPartition;
import io.rustmq.client.protocol.WireRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** The cluster's shared view, leadership, Not-leader errors and restarts, through real QUIC on loopback. */
class EmbeddedClusterTest {
    private EmbeddedCluster cluster;
    private final List<QuicTestClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(QuicTestClient::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    private QuicTestClient client(int index) throws Exception {
        String[] hp = cluster.bootstrap(index).split(":");
        QuicTestClient c = QuicTestClient.connect(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])),
                cluster.caCertificatePem(), null);
        clients.add(c);
        return c;
    }

    private static ProduceRequest produce(String topic, int partition, String value) {
        return new ProduceRequest(topic, partition, List.of(new WireRecord(null,
                value.getBytes(StandardCharsets.UTF_8), List.of(), 0)), AcknowledgmentLevel.LEADER, 1000);
    }

    private static List<String> leaders(MetadataResponse m, String topic) {
        TopicMetadata t = m.topicsMetadata().stream().filter(x -> x.name().equals(topic)).findFirst().orElseThrow();
        return t.partitions().stream().map(PartitionMetadata::leader).toList();
    }

    @Test
    void metadataListsEveryBrokerAndLeadersAssignedRoundRobin() throws Exception {
        cluster = EmbeddedCluster.builder().brokers(3).topic("t", 6).build().start();

        MetadataResponse m = (MetadataResponse) client(1).request(new MetadataRequest(List.of()));

        assertThat(m.brokers()).extracting(BrokerInfo::id).containsExactly("broker-0", "broker-1", "broker-2");
        assertThat(m.brokers()).extracting(b -> b.host() + ":" + b.portQuic())
                .containsExactlyElementsOf(cluster.bootstrapServers());
        assertThat(leaders(m, "t")).containsExactly("broker-0", "broker-1", "broker-2", "broker-0", "broker-1",
                "broker-2");
        assertThat(m.topicsMetadata().get(0).partitions().get(0).replicas())
                .containsExactly("broker-0", "broker-1", "broker-2");
        assertThat(cluster.leaderIndex("t", 4)).isEqualTo(1);
    }

    @Test
    void produceToANonLeaderIsRefusedAndCountedWhileFetchIsServedByAnyBroker() throws Exception {
        cluster = EmbeddedCluster.builder().brokers(2).topic("t", 2).build().start();
        QuicTestClient b0 = client(0);
        QuicTestClient b1 = client(1);

        assertThatThrownBy(() -> b0.request(produce("t", 1, "x"))).isInstanceOf(BrokerErrorException.class)
                .satisfies(e -> assertThat(((BrokerErrorException) e).brokerMessage())
                        .isEqualTo("Error: Not leader for partition: t:1"));
        assertThat(((ProduceResponse) b1.request(produce("t", 1, "y"))).offset()).isZero();
        assertThat(((ProduceResponse) b0.request(produce("t", 0, "z"))).offset()).isZero();
        FetchResponse fromFollower = (FetchResponse) b0.request(new FetchRequest("t", 1, 0, 1024, 0));

        assertThat(fromFollower.records()).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("y");
        assertThat(cluster.counters(0).notLeaderErrors()).isEqualTo(1);
        assertThat(cluster.counters(0).produceRequests()).containsExactly(
                entry(new TopicPartition("t", 0), 1L), entry(new TopicPartition("t", 1), 1L));
        assertThat(cluster.counters(1).produceRequests("t", 1)).isEqualTo(1);
        assertThat(cluster.counters(0).fetchRequests("t", 1)).isEqualTo(1);
        assertThat(cluster.counters(0).requests(RequestType.PRODUCE)).isEqualTo(2);
    }

    @Test
    void stoppingABrokerMovesItsLeadershipAndARestartKeepsPortCertificateAndCounters() throws Exception {
        cluster = EmbeddedCluster.builder().brokers(3).topic("t", 6).build().start();
        client(1).request(produce("t", 1, "before"));
        String address = cluster.bootstrap(1);

        cluster.stopBroker(1);

        assertThat(cluster.isRunning(1)).isFalse();
        MetadataResponse m = (MetadataResponse) client(0).request(new MetadataRequest(List.of()));
        assertThat(m.brokers()).extracting(BrokerInfo::id).containsExactly("broker-0", "broker-2");
        List<String> leaders = leaders(m, "t");
        assertThat(leaders).doesNotContain("broker-1").doesNotContainNull();
        assertThat(leaders.get(0)).isEqualTo("broker-0");
        assertThat(leaders.get(2)).isEqualTo("broker-2");
        assertThatThrownBy(() -> cluster.broker(1)).isInstanceOf(IllegalStateException.class);

        cluster.startBroker(1);

        assertThat(cluster.bootstrap(1)).isEqualTo(address);
        QuicTestClient again = client(1); // verifies the same CA-signed certificate
        MetadataResponse after = (MetadataResponse) again.request(new MetadataRequest(List.of()));
        assertThat(after.brokers()).hasSize(3);
        assertThat(leaders(after, "t")).isEqualTo(leaders); // leadership does not move back by itself
        assertThat(cluster.counters(1).produceRequests("t", 1)).isEqualTo(1);
        assertThat(cluster.logEndOffset("t", 1)).isEqualTo(1);

        cluster.electPreferredLeaders();
        assertThat(cluster.leader("t", 1)).isEqualTo("broker-1");
    }

    @Test
    void partitionsFirstSeenWhileABrokerIsDownGoToTheNextLiveBroker() throws Exception {
        cluster = EmbeddedCluster.builder().brokers(3).autoCreateTopics(true).defaultPartitions(3).build().start();
        cluster.stopBroker(0);

        MetadataResponse m = (MetadataResponse) client(2).request(new MetadataRequest(List.of("late")));

        assertThat(leaders(m, "late")).containsExactly("broker-1", "broker-1", "broker-2");
    }

    @Test
    void everyBrokerNamesTheSameCoordinatorAndServesTheSharedGroupState() throws Exception {
        cluster = EmbeddedCluster.builder().brokers(3).topic("t", 1).build().start();
        List<FindCoordinatorResponse> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            answers.add((FindCoordinatorResponse) client(i).request(new FindCoordinatorRequest("g")));
        }
        assertThat(answers).allSatisfy(a -> assertThat(a).isEqualTo(answers.get(0)));
        FindCoordinatorResponse c = answers.get(0);
        assertThat(c.coordinatorHost()).isEqualTo("127.0.0.1");
        assertThat("127.0.0.1:" + c.coordinatorPort())
                .isEqualTo(cluster.bootstrap(Integer.parseInt(c.coordinatorBrokerId().substring(7))));

        JoinGroupResponse joined = (JoinGroupResponse) clients.get(0).request(
                new JoinGroupRequest("g", "", 30000, List.of("t")));
        ConsumerHeartbeatResponse hb = (ConsumerHeartbeatResponse) clients.get(2).request(
                new ConsumerHeartbeatRequest("g", joined.memberId(), joined.generationId()));

        assertThat(hb.errorCode()).isZero();
    }

    @Test
    void aClusterBoundToTheWildcardAddressAnswersFindCoordinatorWithIt() throws Exception {
        cluster = EmbeddedCluster.builder().brokers(2).host("0.0.0.0").build().start();

        FindCoordinatorResponse c = (FindCoordinatorResponse) client(0).request(new FindCoordinatorRequest("g"));
        MetadataResponse m = (MetadataResponse) clients.get(0).request(new MetadataRequest(List.of()));

        assertThat(c.coordinatorHost()).isEqualTo("0.0.0.0");
        assertThat(m.brokers()).extracting(BrokerInfo::host).containsOnly("127.0.0.1");
        assertThat(cluster.bootstrapServers()).allSatisfy(b -> assertThat(b).startsWith("127.0.0.1:"));
    }

    @Test
    void lifecycleMisuseIsReported() {
        cluster = EmbeddedCluster.builder().brokers(1).build();
        assertThatThrownBy(() -> cluster.bootstrap(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not been started");
        cluster.start();
        assertThatThrownBy(cluster::start).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cluster.startBroker(0)).hasMessageContaining("already running");
        assertThatThrownBy(() -> cluster.broker(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedCluster.builder().brokers(0)).hasMessageContaining("brokers must be");
        cluster.close();
        assertThatThrownBy(() -> cluster.stopBroker(0)).hasMessageContaining("not running");
    }
}
