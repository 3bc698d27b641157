package io.rustmq.client.internal.consumer;

import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.consumer.TestMessages;
import io.rustmq.client.protocol.FetchRequest;
import io.rustmq.client.protocol.FetchResponse;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.RequestType;
import io.rustmq.client.protocol.Response;
import io.rustmq.client.protocol.TopicPartition;
import io.rustmq.client.protocol.WireRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final SubscriptionState state = new SubscriptionState("g", 10, 1000, 1 << 20);
    private final FakeBroker broker = new FakeBroker(r -> ((FetchRequest) r).fetchOffset() == 0
            ? CompletableFuture.completedFuture(new FetchResponse(records(10), 100, 0, null))
            : new CompletableFuture<Response>());
    private final Fetcher fetcher = new Fetcher(state, broker, StartPosition.earliest(), 10, 1000,
            TimeUnit.MILLISECONDS.toNanos(5), 1 << 20, () -> { }, state::fail);
    private final Delivery delivery = new Delivery(state, fetcher, TestMessages.access(new AckListener() {
        @Override
        public void ack(ConsumerMessage m) {
        }

        @Override
        public void nack(ConsumerMessage m, Throwable reason) {
        }
    }), null);

    private static List<WireRecord> records(int n) {
        List<WireRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new WireRecord(null, ("r" + i).getBytes(), List.of(), i));
        }
        return out;
    }

    private PartitionState assignAtZero() {
        state.add(List.of(TP), 0);
        state.lock();
        try {
            PartitionState s = state.partitions().get(TP);
            state.reposition(s, 0);
            return s;
        } finally {
            state.unlock();
        }
    }

    private static long deadline() {
        return System.nanoTime() + WAIT.toNanos();
    }

    @Test
    void theNextFetchIsInFlightWhileTheApplicationWorksThroughTheCurrentOne() {
        assignAtZero();
        fetcher.fetchDue(System.nanoTime());
        List<ConsumerMessage> first = delivery.take(deadline(), 1);
        assertThat(first).extracting(ConsumerMessage::offset).containsExactly(0L);
        // nine records of the first fetch still wait, and the fetch from offset 10 is already in flight
        assertThat(broker.sent(FetchRequest.class)).extracting(FetchRequest::fetchOffset).containsExactly(0L, 10L);
        assertThat(delivery.take(deadline(), 100)).extracting(ConsumerMessage::offset)
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void aPausedPartitionsBufferedRecordsWaitAndComeInOrderAfterResume() {
        assignAtZero();
        fetcher.fetchDue(System.nanoTime());
        assertThat(delivery.take(deadline(), 2)).extracting(ConsumerMessage::offset).containsExactly(0L, 1L);
        delivery.pause(List.of(TP));
        assertThat(delivery.paused()).containsExactly(TP);
        assertThat(delivery.take(System.nanoTime(), 100)).isEmpty();
        delivery.resume(List.of(TP));
        assertThat(delivery.take(deadline(), 100)).extracting(ConsumerMessage::offset)
                .containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void wireDecodedFetchesAreDeliveredInRunsAcrossBatchesWithOffsetsPayloadsAndBudget() {
        SubscriptionState st = new SubscriptionState("g", 10, 1000, 1 << 20);
        FakeBroker wire = new FakeBroker(r -> {
            long from = ((FetchRequest) r).fetchOffset();
            List<WireRecord> rs = new ArrayList<>();
            for (long o = from; o < Math.min(from + 10, 15); o++) {
                rs.add(new WireRecord(null, ("r" + o).getBytes(), List.of(), o));
            }
            // as received: encoded by the broker, decoded by the client (records decoded when read)
            byte[] frame = Frames.encodeResponse(new FetchResponse(rs, 15, 0, null));
            return CompletableFuture.completedFuture(Frames.decodeResponse(RequestType.FETCH, frame));
        });
        Fetcher f = new Fetcher(st, wire, StartPosition.earliest(), 10, 1000, TimeUnit.MILLISECONDS.toNanos(5),
                1 << 20, () -> { }, st::fail);
        Delivery d = new Delivery(st, f, TestMessages.access(null), null);
        st.add(List.of(TP), 0);
        st.lock();
        try {
            st.reposition(st.partitions().get(TP), 0);
        } finally {
            st.unlock();
        }
        f.fetchDue(System.nanoTime());
        ConsumerMessage first = d.take(deadline(), 1).get(0);
        d.scheduleRedelivery(TestMessages.access(null).redelivery(first), 0);
        List<ConsumerMessage> all = new ArrayList<>();
        for (int i = 0; i < 15 && all.size() < 15; i++) {
            all.addAll(d.take(deadline(), 3)); // the redelivery first, then runs of at most 3 records
        }
        assertThat(all).extracting(ConsumerMessage::offset)
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L);
        assertThat(all.get(0).deliveryCount()).isEqualTo(2);
        assertThat(all.subList(1, 15)).allSatisfy(m -> {
            assertThat(m.payloadAsString()).isEqualTo("r" + m.offset());
            assertThat(m.timestamp()).isEqualTo(m.offset());
        });
        assertThat(st.budgetInUse()).as("every fetched byte taken back out of the budget").isZero();
    }

    @Test
    void aRedeliveryComesBackAfterItsBackoffWithTheNextDeliveryCount() {
        assignAtZero();
        fetcher.fetchDue(System.nanoTime());
        ConsumerMessage m = delivery.take(deadline(), 1).get(0);
        delivery.scheduleRedelivery(TestMessages.access(null).redelivery(m), 0);
        ConsumerMessage again = delivery.take(deadline(), 1).get(0);
        assertThat(again.offset()).isZero();
        assertThat(again.deliveryCount()).isEqualTo(2);
    }
}
