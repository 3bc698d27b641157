package io.rustmq.client.internal.consumer;

import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.protocol.FetchRequest;
import io.rustmq.client.protocol.FetchResponse;
import io.rustmq.client.protocol.Response;
import io.rustmq.client.protocol.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PositionsTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);

    private final SubscriptionState state = new SubscriptionState("g", 10, 1000, 1 << 20);
    private final FakeBroker broker = new FakeBroker(r -> ((FetchRequest) r).fetchOffset() == Long.MAX_VALUE
            ? CompletableFuture.completedFuture(new FetchResponse(List.of(), 42, 0, null))
            : new CompletableFuture<Response>());
    private final Fetcher fetcher = new Fetcher(state, broker, StartPosition.earliest(), 10, 1000, 1_000_000,
            1 << 20, () -> { }, state::fail);
    private final AtomicInteger wakes = new AtomicInteger();
    private final Positions positions = new Positions(state, fetcher, wakes::incrementAndGet);

    @Test
    void aSeekMovesThePositionStartsAFetchThereAndWakesTheMember() {
        state.add(List.of(TP), 0);
        assertThat(positions.position(TP)).as("not resolved yet").isEmpty();
        positions.seek(TP, 17);
        assertThat(positions.position(TP)).hasValue(17);
        assertThat(broker.sent(FetchRequest.class)).extracting(FetchRequest::fetchOffset).containsExactly(17L);
        assertThat(wakes.get()).isEqualTo(1);
    }

    @Test
    void seekToEndUsesTheHighWatermark() {
        state.add(List.of(TP), 0);
        positions.seekToEnd(List.of(TP));
        assertThat(positions.position(TP)).hasValue(42);
    }

    @Test
    void seeksOfUnassignedPartitionsOrNegativeOffsetsAreRefused() {
        state.add(List.of(TP), 0);
        assertThatThrownBy(() -> positions.seek(new TopicPartition("t", 9), 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not assigned");
        assertThatThrownBy(() -> positions.seekToBeginning(List.of(TP, new TopicPartition("t", 9))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(positions.position(TP)).as("none moved").isEmpty();
        assertThatThrownBy(() -> positions.seek(TP, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
