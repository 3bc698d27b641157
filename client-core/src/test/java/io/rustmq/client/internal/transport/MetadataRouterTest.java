package io.rustmq.client.internal.transport;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.internal.transport.ManualScheduler;
import io.rustmq.client.protocol.BrokerInfo;
import io.rustmq.client.protocol.MetadataResponse;
import io.rustmq.client.protocol.PartitionMetadata;
import io.rustmq.client.protocol.TopicMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Routing and metadata state, driven directly with Metadata answers (no request is sent). */
class MetadataRouterTest {
    private final ConnectionPool pool = new ConnectionPool(ClientConfig.builder().brokers("h0:9001").build(),
            new FakeCluster().connector(), new ManualScheduler(), () -> 0.5);
    private final MetadataRouter router = new MetadataRouter(pool, pool.config());

    @AfterEach
    void close() {
        pool.close();
    }

    private static MetadataResponse metadata(List<BrokerInfo> brokers, String topic, String... leaders) {
        List<PartitionMetadata> ps = new java.util.ArrayList<>();
        for (int p = 0; p < leaders.length; p++) {
            ps.add(new PartitionMetadata(p, leaders[p], List.of()));
        }
        return new MetadataResponse(brokers, topic == null ? List.of() : List.of(new TopicMetadata(topic, ps)));
    }

    @Test
    void metadataNamesLeadersByPartitionAndDiscoversBrokers() {
        BrokerNode bootstrap = router.nodes().get(0);
        List<BrokerNode> discovered = router.applyMetadata(bootstrap, metadata(List.of(
                new BrokerInfo("b0", "h0", 9001, 0, ""), new BrokerInfo("b1", "h1", 9002, 0, "")),
                "t", "b0", "b1", "b0"), n -> false);

        assertThat(discovered).extracting(BrokerNode::addressText).containsExactly("h1:9002");
        BrokerNode[] leaders = router.leaders("t");
        assertThat(leaders).hasSize(3);
        assertThat(MetadataRouter.leader(leaders, 1).brokerId()).isEqualTo("b1");
        assertThat(MetadataRouter.leader(leaders, 2)).isSameAs(bootstrap);
        assertThat(MetadataRouter.leader(leaders, 3)).isNull();
        assertThat(router.partitionCount("t")).isEqualTo(3);
        assertThat(router.leaders("unknown")).isNull();
    }

    @Test
    void aBrokerNoLongerListedIsRetiredAndLeadsNothingUnlessItMustBeKept() {
        BrokerNode bootstrap = router.nodes().get(0);
        router.applyMetadata(bootstrap, metadata(List.of(new BrokerInfo("b0", "h0", 9001, 0, ""),
                new BrokerInfo("b1", "h1", 9002, 0, ""), new BrokerInfo("b2", "h2", 9003, 0, "")),
                "t", "b1", "b2"), n -> false);
        BrokerNode b2 = MetadataRouter.leader(router.leaders("t"), 1);

        router.applyMetadata(bootstrap, metadata(List.of(new BrokerInfo("b0", "h0", 9001, 0, "")), null),
                n -> n == b2);

        assertThat(router.nodes()).extracting(BrokerNode::brokerId).containsExactly("b0", "b2");
        assertThat(MetadataRouter.leader(router.leaders("t"), 0)).isNull();
        assertThat(MetadataRouter.leader(router.leaders("t"), 1)).isSameAs(b2);
        assertThat(router.leadsAnything(b2)).isTrue();
    }

    @Test
    void wildcardAndMangledHostsAreReadAsTheHostOfTheAnsweringBroker() {
        BrokerNode answering = router.nodes().get(0);

        assertThat(MetadataRouter.mapWildcard("0.0.0.0", answering)).isEqualTo("h0");
        assertThat(MetadataRouter.mapWildcard("::", answering)).isEqualTo("h0");
        assertThat(MetadataRouter.mapWildcard("[", answering)).isEqualTo("h0");
        assertThat(MetadataRouter.mapWildcard(null, answering)).isEqualTo("h0");
        assertThat(MetadataRouter.mapWildcard("[::1]", answering)).isEqualTo("::1");
        assertThat(MetadataRouter.mapWildcard("broker-7", answering)).isEqualTo("broker-7");
    }

    @Test
    void aCoordinatorNamedByIdOrAddressIsTheKnownNodeElseANewOne() {
        BrokerNode bootstrap = router.nodes().get(0);

        assertThat(router.coordinatorNode(bootstrap, "b0", "0.0.0.0", 9001)).isSameAs(bootstrap);
        assertThat(bootstrap.brokerId()).isEqualTo("b0");
        assertThat(router.coordinatorNode(bootstrap, "b0", "elsewhere", 1)).isSameAs(bootstrap);
        BrokerNode other = router.coordinatorNode(bootstrap, "b5", "h5", 9005);
        assertThat(other).isNotSameAs(bootstrap);
        assertThat(router.nodes()).contains(other);
    }
}
