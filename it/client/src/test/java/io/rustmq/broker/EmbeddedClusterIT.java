package io.rustmq.broker;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.ClientStats;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.SendResult;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.TopicReader;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.protocol.FindCoordinatorRequest;
import io.rustmq.client.protocol.FindCoordinatorResponse;
import io.rustmq.client.protocol.RequestType;
import io.rustmq.client.protocol.WireRecord;
import io.rustmq.client.internal.transport.ConnectionPool;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The client against a 3-broker embedded cluster over real UDP and verified TLS: where requests go. */
class EmbeddedClusterIT {
    private static ClientConfig.Builder config(EmbeddedCluster cluster, List<String> brokers) {
        return ClientConfig.builder().brokers(brokers).clientId("cluster-it")
                .tls(TlsConfig.builder().caCert(cluster.caCertificatePem()).build())
                .connectTimeout(Duration.ofSeconds(5)).requestTimeout(Duration.ofSeconds(10));
    }

    @Test
    void produceToASixPartitionTopicLandsEveryPartitionOnItsLeaderFoundThroughOneBootstrapBroker()
            throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().brokers(3).topic("orders", 6).build().start();
             RustMQClient client = RustMQClient.create(config(cluster, List.of(cluster.bootstrap(0))).build());
             Producer producer = client.createProducer("orders")) {
            List<CompletableFuture<SendResult>> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                for (int p = 0; p < 6; p++) {
                    sent.add(producer.sendAsync(Message.builder().partition(p).payload("p" + p + "-" + i).build()));
                }
            }
            producer.flush();
            for (CompletableFuture<SendResult> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }

            for (int b = 0; b < 3; b++) {
                BrokerCounters counters = cluster.counters(b);
                assertThat(counters.notLeaderErrors()).as("misrouted produces on broker %d", b).isZero();
                for (int p = 0; p < 6; p++) {
                    boolean leads = cluster.leaderIndex("orders", p) == b;
                    assertThat(counters.produceRequests("orders", p) > 0)
                            .as("broker %d received produces for partition %d", b, p).isEqualTo(leads);
                }
            }
            assertThat(cluster.leaderIndex("orders", 4)).isEqualTo(1); // round robin: p mod 3
            ClientStats stats = client.stats();
            assertThat(stats.brokers()).as("two brokers discovered through Metadata").isEqualTo(3);
            assertThat(stats.activeConnections()).isEqualTo(3);
            assertThat(stats.errors()).isZero();
            try (TopicReader reader = new TopicReader(config(cluster, cluster.bootstrapServers()).build())) {
                for (int p = 0; p < 6; p++) {
                    assertThat(reader.readAll("orders", p)).extracting(EmbeddedClusterIT::text)
                            .containsExactly("p" + p + "-0", "p" + p + "-1", "p" + p + "-2", "p" + p + "-3",
                                    "p" + p + "-4", "p" + p + "-5", "p" + p + "-6", "p" + p + "-7",
                                    "p" + p + "-8", "p" + p + "-9");
                }
            }
        }
    }

    @Test
    void groupRequestsGoToTheCoordinatorEvenWhenItAnswersWithTheWildcardHost() throws Exception {
        Set<RequestType> groupTypes = EnumSet.of(RequestType.JOIN_GROUP, RequestType.CONSUMER_HEARTBEAT,
                RequestType.COMMIT_OFFSET, RequestType.FETCH_OFFSET, RequestType.LEAVE_GROUP);
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().brokers(3).host("0.0.0.0").topic("events", 1)
                .build().start();
             RustMQClient client = RustMQClient.create(config(cluster, cluster.bootstrapServers()).build())) {
            String coordinator;
            try (ConnectionPool pool = ConnectionPool.create(config(cluster, cluster.bootstrapServers()).build())) {
                FindCoordinatorResponse r = (FindCoordinatorResponse) pool.send(new FindCoordinatorRequest("billing"))
                        .get(10, TimeUnit.SECONDS);
                assertThat(r.coordinatorHost()).isEqualTo("0.0.0.0");
                coordinator = r.coordinatorBrokerId();
            }
            try (Producer producer = client.createProducer("events")) {
                producer.send(Message.builder().partition(0).payload("hello").build());
            }
            ConsumerConfig earliest = ConsumerConfig.builder().startPosition(StartPosition.earliest()).build();
            try (Consumer consumer = client.createConsumer("events", "billing", earliest)) {
                ConsumerMessage m = consumer.receive(Duration.ofSeconds(20));
                assertThat(m).isNotNull();
                assertThat(m.payloadAsString()).isEqualTo("hello");
                m.ack();
                consumer.commit();
            }

            for (int b = 0; b < 3; b++) {
                long groupRequests = 0;
                for (RequestType t : groupTypes) {
                    groupRequests += cluster.counters(b).requests(t);
                }
                boolean isCoordinator = cluster.brokerId(b).equals(coordinator);
                assertThat(groupRequests > 0).as("broker %d (%s) received group requests", b, cluster.brokerId(b))
                        .isEqualTo(isCoordinator);
                if (isCoordinator) {
                    assertThat(cluster.counters(b).requests(RequestType.JOIN_GROUP)).isPositive();
                    assertThat(cluster.counters(b).requests(RequestType.COMMIT_OFFSET)).isPositive();
                }
            }
        }
    }

    private static String text(WireRecord r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }
}
