package io.rustmq.client.internal.transport;

import io.rustmq.client.BrokerErrorException;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.ClientStats;
import io.rustmq.client.ConnectionException;
import io.rustmq.client.HealthCheckResult;
import io.rustmq.client.ProtocolException;
import io.rustmq.client.RetryConfig;
import io.rustmq.client.RustMQException;
import io.rustmq.client.internal.transport.ManualScheduler;
import io.rustmq.client.protocol.AcknowledgmentLevel;
import io.rustmq.client.protocol.BrokerInfo;
import io.rustmq.client.protocol.ConsumerHeartbeatRequest;
import io.rustmq.client.protocol.FetchRequest;
import io.rustmq.client.protocol.FindCoordinatorResponse;
import io.rustmq.client.protocol.JoinGroupRequest;
import io.rustmq.client.protocol.MetadataResponse;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.ProduceResponse;
import io.rustmq.client.protocol.RequestType;
import io.rustmq.client.protocol.Response;
import io.rustmq.client.protocol.WireRecord;
import io.rustmq.client.internal.transport.FakeCluster.FakeBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pool's routing, reconnection, retries and health checks against in-memory brokers, with time driven by hand:
 * deterministic and without a network.
 */
class ConnectionPoolTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final FakeCluster cluster = new FakeCluster();
    private final ManualScheduler scheduler = new ManualScheduler();
    private ConnectionPool pool;

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    private ConnectionPool pool(ClientConfig.Builder config) {
        return pool(config, () -> 0.5);
    }

    private ConnectionPool pool(ClientConfig.Builder config, java.util.function.DoubleSupplier jitter) {
        pool = new ConnectionPool(config.build(), cluster.connector(), scheduler, jitter);
        return pool;
    }

    private static ClientConfig.Builder config(String... brokers) {
        return ClientConfig.builder().brokers(brokers).keepAliveInterval(Duration.ofHours(1));
    }

    private static ProduceRequest produce(String topic, int partition) {
        return new ProduceRequest(topic, partition, List.of(new WireRecord(null, new byte[] {1}, List.of(), 0)),
                AcknowledgmentLevel.LEADER, 1000);
    }

    private static Throwable failure(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        return f.handle((v, e) -> e).join();
    }

    @Test
    void produceAndFetchGoToThePartitionLeaderNamedByMetadataIncludingDiscoveredBrokers() {
        FakeBroker b0 = cluster.add("b0", "h0", 9001);
        FakeBroker b1 = cluster.add("b1", "h1", 9002);
        FakeBroker b2 = cluster.add("b2", "h2", 9003);
        cluster.leaders.put("t", new String[] {"b0", "b1", "b2", "b0", "b1", "b2"});
        ConnectionPool p = pool(config("h0:9001"));

        p.refreshMetadata().join();
        assertThat(p.nodes()).extracting(BrokerNode::brokerId).containsExactly("b0", "b1", "b2");
        assertThat(p.nodes()).allMatch(BrokerNode::isUp);
        for (int partition = 0; partition < 6; partition++) {
            p.send(produce("t", partition)).join();
            p.send(new FetchRequest("t", partition, 0, 1024, 0)).join();
        }

        assertThat(b0.producedPartitions()).containsExactly(0, 3);
        assertThat(b1.producedPartitions()).containsExactly(1, 4);
        assertThat(b2.producedPartitions()).containsExactly(2, 5);
        assertThat(List.of(b0, b1, b2)).allSatisfy(b -> assertThat(b.count(RequestType.FETCH)).isEqualTo(2));
        assertThat(p.partitionCount("t").join()).isEqualTo(6);
        assertThat(p.stats().brokers()).isEqualTo(3);
        assertThat(p.stats().activeConnections()).isEqualTo(3);
    }

    @Test
    void theFirstRequestsForATopicNeverSeenWaitForOneMetadataRequestNamingIt() {
        FakeBroker b0 = cluster.add("b0", "h", 9001);
        FakeBroker b1 = cluster.add("b1", "h", 9002);
        cluster.leaders.put("t", new String[] {"b0", "b1"});
        ConnectionPool p = pool(config("h:9001"));
        p.healthCheck().join();
        cluster.leaders.put("late", new String[] {"b1", "b0"});
        CompletableFuture<Response> slowMetadata = new CompletableFuture<>();
        List<io.rustmq.client.protocol.Request> named = new ArrayList<>();
        b0.override = r -> {
            if (r instanceof io.rustmq.client.protocol.MetadataRequest m) {
                named.add(r);
                return slowMetadata;
            }
            return null;
        };

        CompletableFuture<Response> first = p.send(produce("late", 0));
        CompletableFuture<Response> second = p.send(produce("late", 1));
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        slowMetadata.complete(cluster.metadata(b0));

        assertThat(first).isCompleted();
        assertThat(second).isCompleted();
        assertThat(named).hasSize(1);
        assertThat(((io.rustmq.client.protocol.MetadataRequest) named.get(0)).topics()).containsExactly("late");
        assertThat(b1.producedPartitions()).containsExactly(0);
        assertThat(b0.producedPartitions()).containsExactly(1);
    }

    @Test
    void withTopicsUnlistedAsOnTheShippedBrokerRequestsGoRoundRobinToTheBootstrapBrokers() {
        FakeBroker a = cluster.add("broker-a", "kafka-a", 9092);
        FakeBroker b = cluster.add("broker-b", "kafka-b", 9092);
        for (FakeBroker x : List.of(a, b)) {
            // The shipped broker lists only itself, under its own idea of its address, and no topics (B10).
            x.override = r -> r.type() == RequestType.METADATA
                    ? new MetadataResponse(List.of(new BrokerInfo(x.id, "127.0.0.1", 9092, 9093, "")), List.of())
                    : null;
        }
        ConnectionPool p = pool(config("kafka-a:9092", "kafka-b:9092").defaultPartitions(3));

        assertThat(p.partitionCount("orders").join()).isEqualTo(3);
        p.refreshMetadata().join();
        for (int i = 0; i < 4; i++) {
            p.send(produce("orders", 0)).join();
        }

        assertThat(a.count(RequestType.PRODUCE)).isEqualTo(2);
        assertThat(b.count(RequestType.PRODUCE)).isEqualTo(2);
        assertThat(p.nodes()).hasSize(2).extracting(BrokerNode::brokerId)
                .containsExactlyInAnyOrder("broker-a", "broker-b");
        assertThat(cluster.dialled).hasSize(2);
    }

    @Test
    void aListedBrokerAtTheIpAddressOfABootstrapNameIsTheSameBroker() {
        FakeBroker a = cluster.add("a", "broker.example", 9092);
        a.advertisedHost = "10.0.0.1"; // the IP that broker.example resolved to
        cluster.add("b", "10.0.0.2", 9092);
        ConnectionPool p = pool(config("broker.example:9092"));

        p.refreshMetadata().join();

        assertThat(p.nodes()).extracting(BrokerNode::addressText).containsExactly("broker.example:9092",
                "10.0.0.2:9092");
        assertThat(p.nodes()).extracting(BrokerNode::brokerId).containsExactly("a", "b");
    }

    @Test
    void aNotLeaderAnswerRefreshesMetadataAndTheRetryGoesToTheNewLeader() {
        FakeBroker b0 = cluster.add("b0", "h", 9001);
        FakeBroker b1 = cluster.add("b1", "h", 9002);
        cluster.leaders.put("t", new String[] {"b0"});
        ConnectionPool p = pool(config("h:9001", "h:9002"));
        p.refreshMetadata().join();
        cluster.leaders.put("t", new String[] {"b1"}); // moved; the client does not know yet

        CompletableFuture<ProduceResponse> f = p.sendWithRetry(produce("t", 0), ProduceResponse.class);
        assertThat(f).isNotDone(); // b0 said "Not leader"; metadata was refreshed; the retry waits its backoff
        scheduler.advance(50 * MS); // backoff.delay(1) = 100 ms * jitter 0.5

        assertThat(f).isCompleted();
        assertThat(b0.count(RequestType.PRODUCE)).isEqualTo(1);
        assertThat(b1.count(RequestType.PRODUCE)).isEqualTo(1);
        p.send(produce("t", 0)).join();
        assertThat(b1.count(RequestType.PRODUCE)).isEqualTo(2);
    }

    @Test
    void aLostLeaderTriggersARefreshSoThatRequestsGoToTheNewLeader() {
        FakeBroker b0 = cluster.add("b0", "h", 9001);
        FakeBroker b1 = cluster.add("b1", "h", 9002);
        cluster.leaders.put("t", new String[] {"b0"});
        ConnectionPool p = pool(config("h:9001", "h:9002"));
        p.refreshMetadata().join();
        long metadataBefore = b1.count(RequestType.METADATA);

        cluster.leaders.put("t", new String[] {"b1"});
        b0.kill();

        assertThat(b1.count(RequestType.METADATA)).isEqualTo(metadataBefore + 1);
        p.send(produce("t", 0)).join();
        assertThat(b1.count(RequestType.PRODUCE)).isEqualTo(1);
        assertThat(b0.count(RequestType.PRODUCE)).isZero();
        assertThat(p.stats().activeConnections()).isEqualTo(1);
        assertThat(p.isConnected()).isTrue();
    }

    @Test
    void aRequestWhoseLeaderIsDownWaitsForTheRefreshInProgressAndIsRoutedAgain() {
        FakeBroker b0 = cluster.add("b0", "h", 9001);
        FakeBroker b1 = cluster.add("b1", "h", 9002);
        cluster.leaders.put("t", new String[] {"b0"});
        ConnectionPool p = pool(config("h:9001", "h:9002"));
        p.refreshMetadata().join();
        CompletableFuture<Response> slowMetadata = new CompletableFuture<>();
        b1.override = r -> r.type() == RequestType.METADATA ? slowMetadata : null;

        b0.kill(); // starts a refresh, which hangs
        CompletableFuture<Response> f = p.send(produce("t", 0));
        assertThat(f).isNotDone();
        cluster.leaders.put("t", new String[] {"b1"});
        b1.override = r -> null;
        slowMetadata.complete(cluster.metadata(b1));

        assertThat(f).isCompleted();
        assertThat(b1.count(RequestType.PRODUCE)).isEqualTo(1);
    }

    @Test
    void groupRequestsGoToTheCachedCoordinatorWhoseWildcardHostIsTheHostOfTheAnsweringBroker() {
        FakeBroker b0 = cluster.add("b0", "broker.test", 9001);
        FakeBroker b1 = cluster.add("b1", "broker.test", 9002);
        cluster.coordinator = new FindCoordinatorResponse("b1", "0.0.0.0", 9002, 0);
        ConnectionPool p = pool(config("broker.test:9001"));

        p.send(new JoinGroupRequest("g", "", 30000, List.of("t"))).join();
        p.send(new ConsumerHeartbeatRequest("g", "m-1", 1)).join();
        p.send(new ConsumerHeartbeatRequest("g", "m-1", 1)).join();

        assertThat(b0.count(RequestType.FIND_COORDINATOR)).isEqualTo(1);
        assertThat(b1.count(RequestType.JOIN_GROUP)).isEqualTo(1);
        assertThat(b1.count(RequestType.CONSUMER_HEARTBEAT)).isEqualTo(2);
        assertThat(b0.count(RequestType.CONSUMER_HEARTBEAT)).isZero();
        assertThat(p.stats().lastHeartbeat()).isNotNull();

        // The coordinator goes away: the cache entry is dropped and the next request looks the coordinator up again.
        b1.kill();
        cluster.coordinator = new FindCoordinatorResponse("b0", "0.0.0.0", 9001, 0);
        p.send(new ConsumerHeartbeatRequest("g", "m-1", 1)).join();
        assertThat(b0.count(RequestType.FIND_COORDINATOR)).isEqualTo(2);
        assertThat(b0.count(RequestType.CONSUMER_HEARTBEAT)).isEqualTo(1);
    }

    @Test
    void aFindCoordinatorErrorCodeFailsTheGroupRequestWithoutCachingAnything() {
        FakeBroker b0 = cluster.add("b0", "h", 9001);
        cluster.coordinator = new FindCoordinatorResponse("", "", 0, 15);
        ConnectionPool p = pool(config("h:9001"));

        Throwable e = failure(p.send(new ConsumerHeartbeatRequest("g", "m", 1)));

        assertThat(e).isInstanceOf(io.rustmq.client.GroupCoordinationException.class)
                .hasMessageContaining("FindCoordinator").hasMessageContaining("15");
        cluster.coordinator = null;
        p.send(new ConsumerHeartbeatRequest("g", "m", 1)).join();
        assertThat(b0.count(RequestType.FIND_COORDINATOR)).isEqualTo(2);
    }

    @Test
    void healthCheckReportsTheAnsweringBrokerAndIsCounted() {
        cluster.add("b0", "h0", 9001);
        ConnectionPool p = pool(config("h0:9001"));

        HealthCheckResult r = p.healthCheck().join();

        assertThat(r.status()).isEqualTo(HealthCheckResult.Status.HEALTHY);
        assertThat(r.isHealthy()).isTrue();
        assertThat(r.brokerId()).isEqualTo("b0");
        assertThat(r.broker()).isEqualTo("h0:9001");
        assertThat(r.roundTrip().isNegative()).isFalse();
        assertThat(r.connectedBrokers()).isEqualTo(1);
        assertThat(r.knownBrokers()).isEqualTo(1);
        ClientStats s = p.stats();
        assertThat(s.healthChecks()).isEqualTo(1);
        assertThat(s.healthCheckErrors()).isZero();
        assertThat(s.lastHeartbeat()).isEqualTo(r.timestamp());
    }

    @Test
    void healthCheckIsDegradedWhenAKnownBrokerIsDown() {
        cluster.add("b0", "h0", 9001);
        cluster.add("b1", "h1", 9002).up = false;
        ConnectionPool p = pool(config("h0:9001", "h1:9002"));

        HealthCheckResult r = p.healthCheck().join();

        assertThat(r.status()).isEqualTo(HealthCheckResult.Status.DEGRADED);
        assertThat(r.connectedBrokers()).isEqualTo(1);
        assertThat(r.knownBrokers()).isEqualTo(2);
    }

    @Test
    void healthCheckFailsNamingEveryBrokerWhenNoneAnswers() {
        cluster.add("b0", "h0", 9001).up = false;
        cluster.add("b1", "h1", 9002).up = false;
        ConnectionPool p = pool(config("h0:9001", "h1:9002").requestTimeout(Duration.ofSeconds(2)));

        Throwable e = failure(p.healthCheck());

        assertThat(e).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("health check failed: no broker answered a Metadata request within 2000 ms")
                .hasMessageContaining("h0:9001").hasMessageContaining("h1:9002")
                .hasMessageContaining("nothing is listening");
        assertThat(((RustMQException) e).isRetriable()).isTrue();
        assertThat(p.stats().healthChecks()).isEqualTo(1);
        assertThat(p.stats().healthCheckErrors()).isEqualTo(1);
        assertThat(p.stats().lastHeartbeat()).isNull();
    }

    @Test
    void healthCheckFailsAtTheRequestTimeoutWhenTheBrokerNeverAnswers() {
        FakeBroker b0 = cluster.add("b0", "h0", 9001);
        b0.override = r -> new CompletableFuture<Response>();
        ConnectionPool p = pool(config("h0:9001").requestTimeout(Duration.ofSeconds(2)));

        CompletableFuture<HealthCheckResult> f = p.healthCheck();
        scheduler.advance(1999 * MS);
        assertThat(f).isNotDone();
        scheduler.advance(MS);

        assertThat(failure(f)).isInstanceOf(ConnectionException.class).hasMessageContaining("within 2000 ms")
                .hasMessageContaining("h0:9001: connected (no answer yet)");
    }

    @Test
    void aLostConnectionIsReestablishedWithBackoffWhoseJitterComesFromTheInjectedSource() {
        FakeBroker b0 = cluster.add("b0", "h0", 9001);
        RetryConfig retry = RetryConfig.builder().baseDelay(Duration.ofMillis(100)).maxDelay(Duration.ofSeconds(1))
                .multiplier(2).jitter(true).build();
        Random seeded = new Random(42);
        ConnectionPool p = pool(config("h0:9001").retry(retry), seeded::nextDouble);
        p.healthCheck().join();
        scheduler.clearDelays();

        b0.kill();
        assertThat(p.isConnected()).isFalse();
        assertThat(p.stats().activeConnections()).isZero();
        assertThat(failure(p.send(produce("t", 0)))).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("b0 (h0:9001) is unavailable").hasMessageContaining("reconnect attempt 1 in");
        for (int attempt = 1; attempt <= 6; attempt++) {
            scheduler.runNext(); // attempt fails: the broker is still down
            assertThat(p.stats().reconnectAttempts()).isEqualTo(attempt);
        }
        b0.up = true;
        scheduler.runNext();

        Random expected = new Random(42);
        List<Long> schedule = new ArrayList<>();
        for (int n = 1; n <= 7; n++) {
            long capped = Math.min(1000, 100L << (n - 1));
            schedule.add((long) (TimeUnit.MILLISECONDS.toNanos(capped) * expected.nextDouble()));
        }
        assertThat(scheduler.scheduledDelays()).containsExactlyElementsOf(schedule);
        assertThat(p.isConnected()).isTrue();
        assertThat(p.stats().reconnectAttempts()).isEqualTo(7);
        assertThat(p.stats().totalConnections()).isEqualTo(2);
        assertThat(scheduler.pending()).as("only the background health check").isEqualTo(1);
        p.send(produce("t", 0)).join();
    }

    @Test
    void aBootstrapBrokerThatIsDownAtStartIsConnectedInTheBackgroundWhenItComesUp() {
        FakeBroker b0 = cluster.add("b0", "h0", 9001);
        b0.up = false;
        ConnectionPool p = pool(config("h0:9001"));

        assertThat(failure(p.send(produce("t", 0)))).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("no broker is reachable").hasMessageContaining("nothing is listening");
        b0.up = true;
        scheduler.runNext();

        assertThat(p.isConnected()).isTrue();
        assertThat(p.stats().reconnectAttempts()).isEqualTo(1);
    }

    @Test
    void aConnectFailureThatRetryingCannotCureIsReportedAsItselfAndNotRetried() {
        FakeBroker b0 = cluster.add("b0", "h0", 9001);
        b0.connectFailure = () -> new io.rustmq.client.TlsException("server certificate not trusted", null);
        ConnectionPool p = pool(config("h0:9001"));

        Throwable first = failure(p.sendWithRetry(produce("t", 0), ProduceResponse.class));
        Throwable again = failure(p.send(produce("t", 0))); // the broker is down: its failure is kept

        assertThat(first).isInstanceOf(io.rustmq.client.TlsException.class).hasMessage("server certificate not trusted");
        assertThat(again).isSameAs(first);
        assertThat(cluster.dialled).hasSize(1);
        assertThat(p.brokerStatus()).singleElement().asString().contains("is unavailable (server certificate not"
                + " trusted); reconnect attempt 1 in 50 ms");
    }

    @Test
    void sendWithRetryRetriesRetriableFailuresWithBackoffAndNotOthers() {
        FakeBroker b0 = cluster.add("b0", "h0", 9001);
        ConnectionPool p = pool(config("h0:9001").retry(RetryConfig.builder().maxRetries(2).build()));
        p.partitionCount("t").join();
        AtomicInteger calls = new AtomicInteger();
        b0.override = r -> r.type() == RequestType.PRODUCE && calls.incrementAndGet() == 1
                ? new BrokerErrorException("Error: Serialization error: io error: unexpected end of file") : null;

        CompletableFuture<ProduceResponse> ok = p.sendWithRetry(produce("t", 0), ProduceResponse.class);
        assertThat(ok).isNotDone();
        scheduler.advance(50 * MS);
        assertThat(ok).isCompleted();
        assertThat(calls).hasValue(2);

        calls.set(0);
        b0.override = r -> {
            calls.incrementAndGet();
            return new ProtocolException("malformed response");
        };
        CompletableFuture<ProduceResponse> bad = p.sendWithRetry(produce("t", 0), ProduceResponse.class);
        assertThat(failure(bad)).isInstanceOf(ProtocolException.class);
        assertThat(calls).hasValue(1);

        calls.set(0);
        b0.override = r -> {
            calls.incrementAndGet();
            return new BrokerErrorException("Error: Serialization error: io error: ");
        };
        CompletableFuture<ProduceResponse> exhausted = p.sendWithRetry(produce("t", 0), ProduceResponse.class);
        scheduler.advance(50 * MS); // retry 1 after 100 ms * 0.5
        scheduler.advance(100 * MS); // retry 2 after 200 ms * 0.5
        assertThat(failure(exhausted)).isInstanceOf(BrokerErrorException.class);
        assertThat(calls).hasValue(3);
    }

    @Test
    void anAnswerOfTheWrongTypeIsAProtocolError() {
        FakeBroker b0 = cluster.add("b0", "h0", 9001);
        ConnectionPool p = pool(config("h0:9001"));

        Throwable e = failure(p.sendWithRetry(produce("t", 0), MetadataResponse.class));

        assertThat(e).isInstanceOf(ProtocolException.class).hasMessageContaining("expected MetadataResponse");
        assertThat(b0.count(RequestType.PRODUCE)).isEqualTo(1);
    }

    @Test
    void maxConnectionsIsKeptByClosingAnIdleConnectionWhenALeaderNeedsOne() {
        List<FakeBroker> bs = List.of(cluster.add("b0", "h", 9001), cluster.add("b1", "h", 9002),
                cluster.add("b2", "h", 9003));
        cluster.leaders.put("t", new String[] {"b0", "b1", "b2"});
        ConnectionPool p = pool(config("h:9001", "h:9002", "h:9003").maxConnections(2));

        p.refreshMetadata().join();
        assertThat(bs.stream().mapToInt(FakeBroker::openLinks).sum()).isEqualTo(2);
        for (int round = 0; round < 2; round++) {
            for (int partition = 0; partition < 3; partition++) {
                p.send(produce("t", partition)).join();
                assertThat(bs.stream().mapToInt(FakeBroker::openLinks).sum()).isLessThanOrEqualTo(2);
            }
        }

        for (int i = 0; i < 3; i++) {
            assertThat(bs.get(i).producedPartitions()).containsExactly(i, i);
        }
        assertThat(p.stats().activeConnections()).isEqualTo(2);
        assertThat(p.stats().reconnectAttempts()).as("evictions are not losses").isZero();
    }

    @Test
    void aBrokerNoLongerListedIsDroppedAndNotReconnected() {
        cluster.add("b0", "h", 9001);
        FakeBroker b1 = cluster.add("b1", "h", 9002);
        ConnectionPool p = pool(config("h:9001"));
        p.refreshMetadata().join();
        assertThat(p.nodes()).hasSize(2);

        b1.kill();
        b1.listed = false;
        p.refreshMetadata().join();

        assertThat(p.nodes()).extracting(BrokerNode::brokerId).containsExactly("b0");
        assertThat(p.stats().brokers()).isEqualTo(1);
        scheduler.advance(TimeUnit.SECONDS.toNanos(60));
        assertThat(p.stats().reconnectAttempts()).isZero();
    }

    @Test
    void theBackgroundHealthCheckRunsEveryKeepAliveInterval() {
        cluster.add("b0", "h0", 9001);
        ConnectionPool p = pool(config("h0:9001").keepAliveInterval(Duration.ofSeconds(5)));
        p.send(produce("t", 0)).join();

        scheduler.advance(TimeUnit.SECONDS.toNanos(5));
        assertThat(p.stats().healthChecks()).isEqualTo(1);
        scheduler.advance(TimeUnit.SECONDS.toNanos(10));
        assertThat(p.stats().healthChecks()).isEqualTo(3);
        assertThat(p.stats().healthCheckErrors()).isZero();
    }

    @Test
    void closingThePoolFailsARetryThatIsWaitingForItsBackoff() {
        FakeBroker b0 = cluster.add("b0", "h0", 9001);
        ConnectionPool p = pool(config("h0:9001"));
        p.partitionCount("t").join();
        b0.override = r -> new BrokerErrorException("Error: Serialization error: io error: ");

        CompletableFuture<ProduceResponse> f = p.sendWithRetry(produce("t", 0), ProduceResponse.class);
        assertThat(f).isNotDone();
        p.close();

        assertThat(failure(f)).isInstanceOf(RustMQException.class).hasMessage("client is closed");
    }

    @Test
    void aClosedPoolFailsRequestsAndStopsReconnecting() {
        FakeBroker b0 = cluster.add("b0", "h0", 9001);
        ConnectionPool p = pool(config("h0:9001"));
        p.healthCheck().join();
        b0.kill();

        p.close();

        assertThat(failure(p.send(produce("t", 0)))).isInstanceOf(RustMQException.class)
                .hasMessage("client is closed");
        assertThat(scheduler.pending()).isZero();
        assertThat(p.isConnected()).isFalse();
    }

    @Test
    void aJoinGroupThatTimedOutIsNotSentAgainBecauseTheBrokerMayHaveAddedTheMember() {
        FakeBroker b0 = cluster.add("b0", "h0", 9001);
        ConnectionPool p = pool(config("h0:9001").retry(RetryConfig.builder().maxRetries(3).build()));
        b0.override = r -> r.type() == RequestType.JOIN_GROUP
                ? new io.rustmq.client.RequestTimeoutException("no complete response within 30000 ms") : null;

        CompletableFuture<io.rustmq.client.protocol.JoinGroupResponse> join = p.sendWithRetry(
                new JoinGroupRequest("g", "", 30000, List.of("t")), io.rustmq.client.protocol.JoinGroupResponse.class);
        scheduler.advance(10_000 * MS);

        assertThat(failure(join)).isInstanceOf(io.rustmq.client.RequestTimeoutException.class);
        assertThat(b0.count(RequestType.JOIN_GROUP)).isEqualTo(1);
        assertThat(ConnectionPool.mayRetry(RequestType.JOIN_GROUP,
                new io.rustmq.client.RequestTimeoutException("t"))).isFalse();
        assertThat(ConnectionPool.mayRetry(RequestType.JOIN_GROUP,
                new ConnectionException("no broker is reachable", null))).isTrue();
        assertThat(ConnectionPool.mayRetry(RequestType.CONSUMER_HEARTBEAT,
                new io.rustmq.client.RequestTimeoutException("t"))).isTrue();
    }
}
