package io.rustmq.client.internal.consumer;

import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.protocol.FetchRequest;
import io.rustmq.client.protocol.FetchResponse;
import io.rustmq.client.protocol.Response;
import io.rustmq.client.protocol.TopicPartition;
import io.rustmq.client.protocol.WireRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FetcherTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private SubscriptionState state;
    private Fetcher fetcher;
    private FakeBroker broker;

    private PartitionState start(StartPosition policy, long position, long budget,
                                 Function<FetchRequest, FetchResponse> answer, TopicPartition... tps) {
        state = new SubscriptionState("g", 10, 1000, budget);
        broker = new FakeBroker(r -> {
            FetchResponse response = answer.apply((FetchRequest) r);
            return response == null ? new CompletableFuture<Response>() : CompletableFuture.completedFuture(response);
        });
        fetcher = new Fetcher(state, broker, policy, 10, 1000, TimeUnit.MILLISECONDS.toNanos(5), 1 << 20, () -> { },
                e -> { throw new AssertionError(e); });
        List<TopicPartition> all = tps.length == 0 ? List.of(TP) : List.of(tps);
        state.add(all, 0);
        state.lock();
        try {
            for (PartitionState s : state.partitions().values()) {
                state.reposition(s, position);
            }
            return state.partitions().get(all.get(0));
        } finally {
            state.unlock();
        }
    }

    private long fetchPosition(PartitionState s) {
        state.lock();
        try {
            return s.fetchPosition;
        } finally {
            state.unlock();
        }
    }

    private static FetchResponse empty(long highWatermark) {
        return new FetchResponse(List.of(), highWatermark, 0, null);
    }

    private static FetchResponse outOfRange(long logStart, long highWatermark) {
        return new FetchResponse(List.of(), highWatermark, 1,
                "OffsetOutOfRange: log start " + logStart + ", high watermark " + highWatermark);
    }

    @Test
    void anOffsetBelowTheLogStartResetsEarliestToTheLogStartOnceAndCountsIt() {
        PartitionState s = start(StartPosition.earliest(), 3, 1 << 20,
                r -> r.fetchOffset() < 500 ? outOfRange(500, 900) : empty(900));
        fetcher.fetchDue(System.nanoTime());
        await().atMost(WAIT).until(() -> broker.sent(FetchRequest.class).stream().anyMatch(r -> r.fetchOffset() == 500));
        assertThat(fetchPosition(s)).isEqualTo(500);
        assertThat(fetcher.positionResets()).isEqualTo(1);
    }

    @Test
    void anOffsetBelowTheLogStartResetsLatestToTheHighWatermark() {
        PartitionState s = start(StartPosition.latest(), 3, 1 << 20,
                r -> r.fetchOffset() < 500 ? outOfRange(500, 900) : empty(900));
        fetcher.fetchDue(System.nanoTime());
        await().atMost(WAIT).until(() -> broker.sent(FetchRequest.class).stream().anyMatch(r -> r.fetchOffset() == 900));
        assertThat(fetchPosition(s)).isEqualTo(900);
        assertThat(fetcher.positionResets()).isEqualTo(1);
    }

    @Test
    void anExplicitStartOffsetResetsToTheEarliestValidOffset() {
        PartitionState s = start(StartPosition.offset(7), 3, 1 << 20,
                r -> r.fetchOffset() < 500 ? outOfRange(500, 900) : empty(900));
        fetcher.fetchDue(System.nanoTime());
        await().atMost(WAIT).until(() -> broker.sent(FetchRequest.class).stream().anyMatch(r -> r.fetchOffset() == 500));
        assertThat(fetchPosition(s)).isEqualTo(500);
    }

    @Test
    void aPositionPastTheHighWatermarkResetsPerTheStartPosition() {
        PartitionState s = start(StartPosition.earliest(), 100, 1 << 20, r -> empty(10));
        fetcher.fetchDue(System.nanoTime());
        await().atMost(WAIT).until(() -> broker.sent(FetchRequest.class).stream().anyMatch(r -> r.fetchOffset() == 0));
        assertThat(fetcher.positionResets()).isEqualTo(1);

        PartitionState latest = start(StartPosition.latest(), 100, 1 << 20, r -> empty(10));
        fetcher.fetchDue(System.nanoTime());
        await().atMost(WAIT).until(() -> broker.sent(FetchRequest.class).stream().anyMatch(r -> r.fetchOffset() == 10));
        assertThat(fetchPosition(latest)).isEqualTo(10);
        assertThat(fetchPosition(s)).isEqualTo(0);
    }

    @Test
    void errorOneWithAnotherTextIsARetriableStorageErrorNotAReset() {
        PartitionState s = start(StartPosition.earliest(), 3, 1 << 20,
                r -> new FetchResponse(List.of(), 0, 1, "Failed to fetch records"));
        for (int i = 0; i < 3; i++) {
            int before = broker.requests.size();
            await().atMost(WAIT).until(() -> {
                fetcher.fetchDue(System.nanoTime());
                return broker.requests.size() > before;
            });
        }
        assertThat(broker.sent(FetchRequest.class)).allMatch(r -> r.fetchOffset() == 3);
        assertThat(fetchPosition(s)).isEqualTo(3);
        assertThat(fetcher.positionResets()).isZero();
    }

    @Test
    void fetchesInFlightStayInsideTheMemoryBudget() {
        List<TopicPartition> five = new ArrayList<>();
        for (int p = 0; p < 5; p++) {
            five.add(new TopicPartition("t", p));
        }
        // budget 2,500 bytes, 1,000 per fetch: two fetches fit, a third would not; the broker never answers
        start(StartPosition.earliest(), 0, 2_500, r -> null, five.toArray(new TopicPartition[0]));
        fetcher.fetchDue(System.nanoTime());
        assertThat(broker.sent(FetchRequest.class)).hasSize(2);
        assertThat(state.budgetInUse()).isEqualTo(2_000).isLessThanOrEqualTo(state.maxBufferedBytes());
    }

    @Test
    void bufferedRecordsCountAgainstTheBudgetUntilTaken() {
        WireRecord big = new WireRecord(null, new byte[900], List.of(), 1);
        List<TopicPartition> two = List.of(new TopicPartition("t", 0), new TopicPartition("t", 1));
        // partition 0's fetch returns 932 bytes at once, partition 1's never answers: a refill of partition 0 would
        // need 932 buffered + 1,000 in flight + 1,000 = 2,932 > 2,500, so it waits until records are taken
        start(StartPosition.earliest(), 0, 2_500, r -> r.partitionId() == 0 && r.fetchOffset() == 0
                ? new FetchResponse(List.of(big), 5, 0, null) : null, two.toArray(new TopicPartition[0]));
        fetcher.fetchDue(System.nanoTime());
        fetcher.fetchDue(System.nanoTime());
        assertThat(broker.sent(FetchRequest.class)).hasSize(2);
        assertThat(state.budgetInUse()).isEqualTo(932 + 1_000);
    }
}
