package io.rustmq.it.jakarta;

import io.rustmq.client.RustMQClient;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.DeadLetterHeaders;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.Message;
import io.rustmq.client.producer.Producer;
import io.rustmq.it.jakarta.app.OrderedMdb;
import io.rustmq.it.jakarta.app.PoisonMdb;
import io.rustmq.it.jakarta.app.Records;
import io.rustmq.it.jakarta.app.RedeployMdb;
import io.rustmq.it.jakarta.app.RoundTripMdb;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scenarios of issue 12 that every server must pass, run as a client of the deployed test application (a
 * subclass per server supplies the {@code app} deployment, {@code managed = false}, and its wiring). The broker runs
 * in this JVM; the server reaches it at 127.0.0.1. Each scenario uses its own topic and deploys and undeploys the
 * application itself.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class JakartaEeScenarios {
    /** The name of the subclass's deployment. */
    public static final String DEPLOYMENT = "app";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final System.Logger LOG = System.getLogger(JakartaEeScenarios.class.getName());

    /** The broker in the test JVM. */
    protected static TestBroker broker;
    /** The application's servlet. */
    protected final AppHttp app = new AppHttp();

    @ArquillianResource
    private Deployer deployer;

    @BeforeAll
    static void startBroker() {
        broker = new TestBroker(Map.of(OrderedMdb.TOPIC, 4)).start();
    }

    @AfterAll
    static void stopBroker() {
        broker.stop();
    }

    private void deploy() {
        long t0 = System.nanoTime();
        deployer.deploy(DEPLOYMENT);
        LOG.log(System.Logger.Level.INFO, "deployed in {0} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    private void undeploy() {
        deployer.undeploy(DEPLOYMENT);
    }

    @Test
    @Order(1)
    void mdbReceivesAll500MessagesSentThroughTheConnectionFactoryIntact() {
        deploy();
        try {
            app.send(RoundTripMdb.TOPIC, "rt", 500, 500, 0);
            await().atMost(WAIT).until(() -> app.received(RoundTripMdb.TOPIC).size() >= 500);
            List<String[]> got = app.received(RoundTripMdb.TOPIC);
            assertThat(got).hasSize(500);
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < 500; i++) {
                expected.add("k-" + i + "|rt-" + i + "|v-" + i);
            }
            assertThat(got.stream().map(f -> f[0] + "|" + f[1] + "|" + f[2]).collect(Collectors.toSet()))
                    .isEqualTo(expected);
            assertThat(app.get("health").body()).contains("HEALTHY").contains(RoundTripMdb.TOPIC);
        } finally {
            undeploy();
        }
    }

    @Test
    @Order(2)
    void concurrencyFourWithKeyOrderingKeepsPerKeyOrderAcross2000Messages() {
        deploy();
        try {
            app.send(OrderedMdb.TOPIC, "ord", 2000, 20, 0);
            await().atMost(WAIT).until(() -> app.received(OrderedMdb.TOPIC).size() >= 2000);
            List<String[]> got = app.received(OrderedMdb.TOPIC);
            assertThat(got).hasSize(2000);
            Map<String, List<Integer>> perKey = new HashMap<>();
            Set<String> threads = new HashSet<>();
            for (String[] f : got) {
                perKey.computeIfAbsent(f[0], k -> new ArrayList<>()).add(Integer.parseInt(f[1].substring(4)));
                threads.add(f[4]);
            }
            assertThat(perKey).hasSize(20);
            perKey.forEach((k, seqs) -> assertThat(seqs).as("order of key %s", k).isSorted().hasSize(100));
            assertThat(threads).as("deliveries ran in parallel on the container's threads").hasSizeGreaterThan(1);
        } finally {
            undeploy();
        }
    }

    @Test
    @Order(3)
    void failingMessagesAreRedeliveredThenDeadLetteredWithReasonHeaders() {
        deploy();
        try {
            app.send(PoisonMdb.TOPIC, "ok", 20, 20, 5);
            try (RustMQClient client = RustMQClient.create(broker.clientConfig());
                 Consumer dlq = client.createConsumer(ConsumerConfig.builder().topics("jca-poison-dlq")
                         .consumerGroup("dlq-reader").startPosition(StartPosition.earliest()).build())) {
                List<ConsumerMessage> dead = new ArrayList<>();
                await().atMost(WAIT).until(() -> {
                    ConsumerMessage m = dlq.receive(Duration.ofMillis(500));
                    if (m != null) {
                        dead.add(m);
                        m.ack();
                    }
                    return dead.size() >= 4;
                });
                assertThat(dead).extracting(ConsumerMessage::payloadAsString)
                        .containsExactlyInAnyOrder("poison-0", "poison-5", "poison-10", "poison-15");
                for (ConsumerMessage m : dead) {
                    assertThat(m.headers().lastString(DeadLetterHeaders.REASON)).contains("refusing " + m
                            .payloadAsString());
                    assertThat(m.headers().lastString(DeadLetterHeaders.TOPIC)).isEqualTo(PoisonMdb.TOPIC);
                    assertThat(m.headers().lastString(DeadLetterHeaders.DELIVERY_COUNT)).isEqualTo("3");
                    assertThat(m.headers().lastString(Records.HEADER)).isNotNull();
                }
            }
            List<String[]> attempts = app.received(PoisonMdb.TOPIC);
            Map<String, Long> perPayload = attempts.stream()
                    .collect(Collectors.groupingBy(f -> f[1], Collectors.counting()));
            assertThat(perPayload).hasSize(20);
            perPayload.forEach((p, n) -> assertThat(n).as("attempts of %s", p).isEqualTo(p.startsWith("poison")
                    ? 3L : 1L));
        } finally {
            undeploy();
        }
    }

    @Test
    @Order(4)
    void undeployStopsConsumptionAndRedeployResumesFromTheCommittedOffset() {
        deploy();
        app.send(RedeployMdb.TOPIC, "a", 100, 100, 0);
        await().atMost(WAIT).until(() -> app.received(RedeployMdb.TOPIC).size() >= 100);
        undeploy();
        try (RustMQClient client = RustMQClient.create(broker.clientConfig());
             Producer producer = client.createProducer(RedeployMdb.TOPIC)) {
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                batch.add(Message.builder().key("b-" + i).payload("b-" + i).header(Records.HEADER, "w-" + i).build());
            }
            batch.add(Message.builder().key("end").payload("end").header(Records.HEADER, "end").build());
            producer.sendBatch(batch);
        }
        deploy();
        try {
            await().atMost(WAIT).until(() -> app.received(RedeployMdb.TOPIC).stream()
                    .anyMatch(f -> f[1].equals("end")));
            List<String> payloads = app.received(RedeployMdb.TOPIC).stream().map(f -> f[1]).toList();
            assertThat(payloads).as("only what was sent while undeployed, once each, in order").hasSize(101)
                    .doesNotHaveDuplicates().allMatch(p -> p.startsWith("b-") || p.equals("end"));
            assertThat(payloads.get(0)).isEqualTo("b-0");
        } finally {
            undeploy();
        }
    }

    @Test
    @Order(5)
    void rarRedeployedThreeTimesLoadsQuicEachTimeAndLeavesNoThreads() {
        Set<Long> previous = Set.of();
        for (int cycle = 1; cycle <= 3; cycle++) {
            deploy();
            try {
                String prefix = "cycle" + cycle;
                app.send(RoundTripMdb.TOPIC, prefix, 50, 50, 0);
                await().atMost(WAIT).until(() -> app.received(RoundTripMdb.TOPIC).stream()
                        .filter(f -> f[1].startsWith(prefix + "-")).count() >= 50);
                Map<Long, String> threads = threads();
                assertThat(threads).as("client threads of this deployment").isNotEmpty();
                Set<Long> survivors = new HashSet<>(previous);
                survivors.retainAll(threads.keySet());
                assertThat(survivors).as("threads of the previous deployment still alive: %s", threads).isEmpty();
                previous = threads.keySet();
            } finally {
                undeploy();
            }
        }
    }

    private Map<Long, String> threads() {
        AppHttp.Reply r = app.get("threads");
        assertThat(r.status()).isEqualTo(200);
        Map<Long, String> m = new HashMap<>();
        for (String l : r.body().split("\n")) {
            if (!l.isBlank()) {
                String[] f = l.split("\t");
                m.put(Long.parseLong(f[0]), f[1]);
            }
        }
        return m;
    }

    @Test
    @Order(6)
    void brokerDownAtStartGivesAResourceExceptionThenTheFactoryAndPoolRecover() {
        broker.stop();
        deploy();
        try {
            AppHttp.Reply down = app.get("send", "topic", "jca-down", "prefix", "d", "count", 1);
            assertThat(down.status()).isEqualTo(500);
            assertThat(down.body()).contains("RustMQResourceException").contains(broker.bootstrap());

            broker.start();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> app.get("send", "topic", "jca-down", "prefix", "up", "count", 1).status() == 200);

            broker.stop();
            AppHttp.Reply lost = app.get("send", "topic", "jca-down", "prefix", "lost", "count", 1);
            assertThat(lost.status()).as("a send while the broker is away fails: %s", lost).isEqualTo(500);
            broker.start();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> app.get("send", "topic", "jca-down", "prefix", "again", "count", 1).status() == 200);
            assertThat(app.get("health").body()).contains("HEALTHY");
        } finally {
            if (!isRunning()) {
                broker.start();
            }
            undeploy();
        }
    }

    private static boolean isRunning() {
        try (RustMQClient c = RustMQClient.create(broker.clientConfig())) {
            c.healthCheck();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
