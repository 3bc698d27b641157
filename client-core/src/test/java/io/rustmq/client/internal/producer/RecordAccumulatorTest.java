package io.rustmq.client.internal.producer;

import io.rustmq.client.producer.Producer;
import io.rustmq.client.RustMQException;
import io.rustmq.client.SendResult;
import io.rustmq.client.protocol.AcknowledgmentLevel;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.WireHeader;
import io.rustmq.client.protocol.WireRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class RecordAccumulatorTest {
    private static final AcknowledgmentLevel ACKS = AcknowledgmentLevel.ALL;
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<ProducerBatch> sent = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private RecordAccumulator accumulator(int batchSize, int batchBytes, int maxRequestBytes, long lingerNanos,
                                          int maxInFlight, boolean sequenced) {
        return new RecordAccumulator(batchSize, batchBytes, maxRequestBytes, ACKS, lingerNanos, maxInFlight, sequenced,
                timer, sent::add);
    }

    /** Appends a keyless record with a value of {@code valueBytes} bytes; returns its future. */
    private static CompletableFuture<SendResult> append(RecordAccumulator acc, RecordAccumulator.PartitionQueue q,
                                                        int valueBytes, boolean sequenced) {
        byte[] value = new byte[valueBytes];
        WireHeader[] headers = new WireHeader[0];
        int size = new WireRecord(null, value, List.of(), 0).encodedSize();
        CompletableFuture<SendResult> f = new CompletableFuture<>();
        acc.append(q, null, value, headers, 0, size, f);
        return f;
    }

    private static void complete(RecordAccumulator acc, ProducerBatch b, long baseOffset) {
        b.succeed(baseOffset);
        acc.completed(b);
    }

    private static List<Integer> counts(List<ProducerBatch> batches) {
        return batches.stream().map(ProducerBatch::count).toList();
    }

    @Test
    void aDrainTheSenderHandsOffGoesOnElsewhereInOrderAndKeepsTheDrainerRoleUntilItRuns() throws Exception {
        List<Runnable> handedOff = new CopyOnWriteArrayList<>();
        List<String> sentOn = new CopyOnWriteArrayList<>();
        RecordAccumulator.BatchSender sender = new RecordAccumulator.BatchSender() {
            @Override
            public void send(ProducerBatch batch) {
                sent.add(batch);
                sentOn.add(Thread.currentThread().getName());
            }

            @Override
            public java.util.concurrent.Executor handOff(ProducerBatch batch) {
                return Thread.currentThread().getName().equals("net") ? handedOff::add : null;
            }
        };
        RecordAccumulator acc = new RecordAccumulator(1, 1 << 20, 1 << 20, ACKS, HOUR, 2, false, timer, sender);
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        for (int i = 0; i < 3; i++) {
            append(acc, q, 10, false); // one record per batch: two go at once, the third waits for a slot
        }
        assertThat(sent).hasSize(2);
        ProducerBatch first = sent.get(0);
        ProducerBatch second = sent.get(1);

        Thread net = new Thread(() -> complete(acc, first, 0), "net");
        net.start();
        net.join();

        assertThat(sent).hasSize(2); // the third batch's drain went to the other executor
        assertThat(handedOff).hasSize(1);
        append(acc, q, 10, false);
        complete(acc, second, 1); // a slot is free, but the handed-off drain still owns the partition
        assertThat(sent).hasSize(2);

        handedOff.get(0).run();

        assertThat(sent).hasSize(4);
        assertThat(sent.get(2).baseSequence).isEqualTo(2);
        assertThat(sent.get(3).baseSequence).isEqualTo(3);
        assertThat(sentOn).hasSize(4).doesNotContain("net");
    }

    /** A sender whose deferred drains wait in a list until the test runs them. */
    private RecordAccumulator.BatchSender deferringSender(List<Runnable> deferred, boolean refuse) {
        return new RecordAccumulator.BatchSender() {
            @Override
            public void send(ProducerBatch batch) {
                sent.add(batch);
            }

            @Override
            public java.util.concurrent.Executor deferredDrain(RecordAccumulator.PartitionQueue q) {
                return task -> {
                    if (refuse) {
                        throw new java.util.concurrent.RejectedExecutionException("stopped");
                    }
                    deferred.add(task);
                };
            }
        };
    }

    @Test
    void withNoLingerRecordsAppendedBeforeTheDeferredDrainRunsGoInOneBatch() {
        List<Runnable> deferred = new CopyOnWriteArrayList<>();
        RecordAccumulator acc = new RecordAccumulator(100, 1 << 20, 1 << 20, ACKS, 0, 5, true, timer,
                deferringSender(deferred, false));
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        for (int i = 0; i < 3; i++) {
            append(acc, q, 10, true);
        }
        assertThat(sent).isEmpty();
        assertThat(deferred).as("one drain for the three appends").hasSize(1);

        deferred.get(0).run();

        assertThat(counts(sent)).containsExactly(3);
        assertThat(sent.get(0).baseSequence).isZero();
        complete(acc, sent.get(0), 0); // the producer id is known now: more than one batch may be in flight
        append(acc, q, 10, true); // the drain has ended: the next append defers a new one
        assertThat(deferred).hasSize(2);
        deferred.get(1).run();
        assertThat(counts(sent)).containsExactly(3, 1);
        assertThat(sent.get(1).baseSequence).isEqualTo(3);
    }

    @Test
    void aDeferredDrainTheExecutorRefusesRunsOnTheAppendingThread() {
        List<Runnable> deferred = new CopyOnWriteArrayList<>();
        RecordAccumulator acc = new RecordAccumulator(100, 1 << 20, 1 << 20, ACKS, 0, 5, false, timer,
                deferringSender(deferred, true));
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);

        append(acc, q, 10, false);

        assertThat(counts(sent)).containsExactly(1);
        assertThat(deferred).isEmpty();
    }

    @Test
    void aBatchStaysIncompleteUntilItsRecordsAreCompletedEvenAfterItsSlotIsFreed() {
        RecordAccumulator acc = accumulator(100, 1 << 20, 1 << 20, HOUR, 5, false);
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        append(acc, q, 10, false);
        acc.flushAll();
        ProducerBatch b = sent.get(0);

        assertThat(b.markDone()).isTrue();
        acc.completed(b); // records not completed yet: a sender may complete them on another thread later

        assertThat(acc.incomplete()).containsExactly(b);
        b.deliverSuccess(0);
        assertThat(acc.incomplete()).isEmpty();
    }

    @Test
    void aBatchGoesWhenItHoldsBatchSizeRecords() {
        RecordAccumulator acc = accumulator(3, 1 << 20, 1 << 20, HOUR, 100, false);
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        for (int i = 0; i < 7; i++) {
            append(acc, q, 10, false);
        }
        assertThat(counts(sent)).containsExactly(3, 3);
        acc.flushAll();
        assertThat(counts(sent)).containsExactly(3, 3, 1);
    }

    @Test
    void aPartitionsNextBatchStartsAsLargeAsItsLastSoAFullBatchNeverGrowsItsArrays() {
        RecordAccumulator acc = accumulator(100, 1 << 20, 1 << 20, HOUR, 100, false);
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        append(acc, q, 10, false);
        assertThat(q.open.capacity()).isEqualTo(16);
        for (int i = 1; i < 100; i++) {
            append(acc, q, 10, false);
        }
        assertThat(counts(sent)).containsExactly(100);
        append(acc, q, 10, false);
        assertThat(q.open.capacity()).isEqualTo(100);
        acc.flushAll();
        append(acc, q, 10, false); // after a batch of one, the next starts small again
        assertThat(q.open.capacity()).isEqualTo(16);
    }

    @Test
    void aBatchSentStraightFromOpenSizesTheNextOneSoALowRateNeverAllocatesBatchSizeSlotsPerRequest() {
        RecordAccumulator acc = accumulator(100, 1 << 20, 1 << 20, 0, 1, false);
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        append(acc, q, 10, false); // goes at once and takes the only slot
        for (int i = 0; i < 100; i++) {
            append(acc, q, 10, false); // a full batch, sealed, waiting for the slot
        }
        complete(acc, sent.get(0), 0);
        assertThat(counts(sent)).containsExactly(1, 100);
        append(acc, q, 10, false);
        assertThat(q.open.capacity()).as("after a full batch").isEqualTo(100);

        complete(acc, sent.get(1), 1); // the open batch of one goes without being sealed first
        assertThat(counts(sent)).containsExactly(1, 100, 1);
        append(acc, q, 10, false);

        assertThat(q.open.capacity()).as("after a batch of one taken open").isEqualTo(16);
    }

    @Test
    void aBatchGoesWhenTheNextRecordWouldPassBatchBytesOrWhenItReachesThem() {
        int record = new WireRecord(null, new byte[75], List.of(), 0).encodedSize(); // 100 bytes
        assertThat(record).isEqualTo(100);
        RecordAccumulator acc = accumulator(100, 250, 1 << 20, HOUR, 100, false);
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        append(acc, q, 75, false);
        append(acc, q, 75, false);
        assertThat(sent).isEmpty();
        append(acc, q, 75, false); // 300 > 250: the first two go
        assertThat(counts(sent)).containsExactly(2);
        assertThat(sent.get(0).bytes()).isEqualTo(200);

        sent.clear();
        RecordAccumulator exact = accumulator(100, 200, 1 << 20, HOUR, 100, false);
        RecordAccumulator.PartitionQueue q2 = exact.topic("t").queue(0);
        append(exact, q2, 75, false);
        append(exact, q2, 75, false); // exactly 200: goes at once
        assertThat(counts(sent)).containsExactly(2);
    }

    @Test
    void aRecordLargerThanBatchBytesGoesAloneInItsOwnBatch() {
        RecordAccumulator acc = accumulator(100, 150, 1 << 20, HOUR, 100, false);
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        append(acc, q, 10, false);
        append(acc, q, 500, false);
        append(acc, q, 10, false);
        assertThat(counts(sent)).containsExactly(1, 1);
        assertThat(sent.get(1).bytes()).isEqualTo(525);
    }

    @Test
    void aPartialBatchGoesOnceTheLingerTimeHasPassed() {
        RecordAccumulator acc = accumulator(100, 1 << 20, 1 << 20, TimeUnit.MILLISECONDS.toNanos(200), 1, false);
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        long start = System.nanoTime();
        append(acc, q, 10, false);
        append(acc, q, 10, false);
        assertThat(sent).as("sent before the linger time").isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> !sent.isEmpty());
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(counts(sent)).containsExactly(2);
    }

    @Test
    void withZeroLingerARecordGoesAtOnceAndLaterOnesBatchUpWhileARequestIsInFlight() {
        RecordAccumulator acc = accumulator(100, 1 << 20, 1 << 20, 0, 1, false);
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        append(acc, q, 10, false);
        assertThat(counts(sent)).containsExactly(1);
        for (int i = 0; i < 4; i++) {
            append(acc, q, 10, false);
        }
        assertThat(counts(sent)).as("one request in flight per partition").containsExactly(1);
        complete(acc, sent.get(0), 0);
        assertThat(counts(sent)).containsExactly(1, 4);
    }

    @Test
    void anExpeditedBatchGoesWhenASlotFreesAndKeepsTakingRecordsUntilThen() {
        RecordAccumulator acc = accumulator(100, 1 << 20, 1 << 20, HOUR, 1, false);
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        append(acc, q, 10, false);
        acc.expedite(q);
        assertThat(counts(sent)).containsExactly(1);
        append(acc, q, 10, false);
        acc.expedite(q);
        append(acc, q, 10, false);
        acc.expedite(q);
        assertThat(counts(sent)).as("waits for the in-flight request").containsExactly(1);
        complete(acc, sent.get(0), 0);
        assertThat(counts(sent)).as("both later records in one batch").containsExactly(1, 2);
    }

    @Test
    void noRequestFrameExceedsMaxRequestBytesAndSequencesFollowAppendOrder() {
        int overhead = 1 + ProduceRequest.encodedSize("t", List.of(), ACKS);
        int maxRequestBytes = overhead + 700;
        RecordAccumulator acc = accumulator(1000, 1 << 20, maxRequestBytes, HOUR, 1000, true);
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        for (int i = 0; i < 40; i++) {
            append(acc, q, 50 + i * 7, true);
        }
        acc.flushAll();
        for (int k = 0; k < sent.size(); k++) {
            complete(acc, sent.get(k), 0); // each completion lets the next go
        }
        assertThat(sent).hasSizeGreaterThan(5);
        long expectedSequence = 0;
        for (ProducerBatch b : sent) {
            ProduceRequest request = b.request(ACKS, 1000);
            assertThat(Frames.encodeRequest(request).length).isLessThanOrEqualTo(maxRequestBytes);
            assertThat(b.wireBytes()).isEqualTo(ProduceRequest.encodedSize("t", request.records(), ACKS) + 1 - overhead);
            List<WireHeader> first = request.records().get(0).headers();
            assertThat(first).extracting(WireHeader::key)
                    .containsExactly(Producer.PRODUCER_ID_HEADER, Producer.SEQUENCE_HEADER);
            assertThat(new String(first.get(1).value(), StandardCharsets.US_ASCII))
                    .isEqualTo(Long.toString(expectedSequence));
            assertThat(request.records().subList(1, request.records().size()))
                    .as("only the first record of a request carries the idempotence headers")
                    .allSatisfy(r -> assertThat(r.headers()).isEmpty());
            expectedSequence += request.records().size();
        }
        assertThat(expectedSequence).isEqualTo(40);
    }

    /** A sequenced accumulator on a manual clock, whose producer ids are "id-0", "id-1", ... */
    private RecordAccumulator manual(int maxInFlight, long deliveryTimeoutNanos, long[] now) {
        int[] ids = {0};
        return new RecordAccumulator(1, 1 << 20, 1 << 20, ACKS, 0, maxInFlight, true, timer, sent::add,
                deliveryTimeoutNanos, () -> "id-" + ids[0]++, () -> now[0]);
    }

    /** Sends one batch and completes it, so that the broker knows the partition's producer id. */
    private void acknowledgeFirst(RecordAccumulator acc, RecordAccumulator.PartitionQueue q) {
        append(acc, q, 10, true);
        complete(acc, sent.remove(sent.size() - 1), 0);
    }

    @Test
    void untilTheBrokerHasStoredABatchOfTheProducerIdOnlyOneGoes() {
        RecordAccumulator acc = manual(5, HOUR, new long[1]);
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        for (int i = 0; i < 4; i++) {
            append(acc, q, 10, true);
        }
        assertThat(sent).hasSize(1);
        complete(acc, sent.get(0), 0);
        assertThat(sent).extracting(b -> b.baseSequence).containsExactly(0L, 1L, 2L, 3L);
    }

    private static String producerId(ProducerBatch b) {
        return new String(b.producerIdHeader.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aFailedBatchIsResentOnlyAsTheOldestUnacknowledgedAndNoNewBatchGoesUntilItHas() {
        long[] now = {0};
        RecordAccumulator acc = manual(3, HOUR, now);
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        acknowledgeFirst(acc, q);
        for (int i = 0; i < 5; i++) {
            append(acc, q, 10, true);
        }
        assertThat(sent).extracting(b -> b.baseSequence - 1).containsExactly(0L, 1L, 2L);
        // the second request was refused (out of order) while the first is still in flight
        acc.retry(sent.get(1), 0);
        assertThat(sent).as("waits for the first").hasSize(3);
        acc.retry(sent.get(2), 0);
        complete(acc, sent.get(0), 0);
        assertThat(sent).extracting(b -> b.baseSequence - 1).containsExactly(0L, 1L, 2L, 1L);
        complete(acc, sent.get(3), 1);
        // the last resend goes, then new batches pipeline again behind it
        assertThat(sent).extracting(b -> b.baseSequence - 1).containsExactly(0L, 1L, 2L, 1L, 2L, 3L, 4L);
        assertThat(sent).allSatisfy(b -> assertThat(producerId(b)).isEqualTo("id-0"));
    }

    @Test
    void aResendWaitsForItsBackoffOnTheClock() {
        long[] now = {0};
        RecordAccumulator acc = manual(5, HOUR, now);
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        acknowledgeFirst(acc, q);
        append(acc, q, 10, true);
        acc.retry(sent.get(0), HOUR);
        append(acc, q, 10, true);
        assertThat(sent).as("neither the resend nor a new batch before the backoff").hasSize(1);
        now[0] = HOUR;
        acc.flushAll(); // any drain now finds the backoff over
        assertThat(sent).extracting(b -> b.baseSequence).containsExactly(1L, 1L, 2L);
    }

    @Test
    void failingABatchFailsTheLaterUnacknowledgedOnesAndTheNextBatchStartsANewProducerIdAtZero() {
        long[] now = {0};
        RecordAccumulator acc = manual(3, HOUR, now);
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        acknowledgeFirst(acc, q);
        for (int i = 0; i < 4; i++) {
            append(acc, q, 10, true);
        }
        assertThat(sent).hasSize(3);
        acc.retry(sent.get(2), 0);
        List<ProducerBatch> failed = acc.failFrom(sent.get(1));
        assertThat(failed).containsExactly(sent.get(1), sent.get(2));
        failed.forEach(b -> {
            b.fail(new RustMQException("gone"));
            acc.completed(b);
        });
        assertThat(acc.producerId(q)).isEqualTo("id-1");
        assertThat(sent).as("the oldest unacknowledged batch still bounds what may go").hasSize(3);
        complete(acc, sent.get(0), 0);
        assertThat(sent).hasSize(4);
        assertThat(sent.get(3).baseSequence).isZero();
        assertThat(producerId(sent.get(3))).isEqualTo("id-1");
        complete(acc, sent.get(3), 1);
        assertThat(acc.incomplete()).isEmpty();
    }

    @Test
    void aBatchThatWaitedUnsentPastTheDeliveryTimeoutIsHandedOverExpiredWithoutASequence() {
        long[] now = {0};
        RecordAccumulator acc = manual(1, 1000, now);
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        append(acc, q, 10, true);
        append(acc, q, 10, true);
        now[0] = 5000;
        complete(acc, sent.get(0), 0);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).expiredUnsent).isTrue();
        assertThat(sent.get(1).assigned()).isFalse();
    }

    @Test
    void aSlowOldestBatchBoundsTheNewBatchesEvenWhenLaterOnesComplete() {
        RecordAccumulator acc = manual(3, HOUR, new long[1]);
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        acknowledgeFirst(acc, q);
        for (int i = 0; i < 6; i++) {
            append(acc, q, 10, true);
        }
        assertThat(sent).hasSize(3);
        complete(acc, sent.get(1), 0);
        complete(acc, sent.get(2), 0);
        assertThat(sent).as("the broker must still remember the oldest when it is resent").hasSize(3);
        complete(acc, sent.get(0), 0);
        assertThat(sent).hasSize(6);
    }

    @Test
    void batchesThatFillBeforeTheirLingerTimeCostNoTimerOfTheirOwn() {
        java.util.concurrent.atomic.AtomicInteger timers = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ScheduledThreadPoolExecutor counting = new java.util.concurrent.ScheduledThreadPoolExecutor(1) {
            @Override
            public java.util.concurrent.ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
                timers.incrementAndGet();
                return super.schedule(command, delay, unit);
            }
        };
        try {
            RecordAccumulator acc = new RecordAccumulator(10, 1 << 20, 1 << 20, ACKS, HOUR, 100, false, counting,
                    sent::add);
            RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
            for (int i = 0; i < 1000; i++) {
                append(acc, q, 10, false);
            }
            assertThat(sent).hasSize(100);
            assertThat(timers.get()).as("linger timers scheduled for 100 batches").isEqualTo(1);
        } finally {
            counting.shutdownNow();
        }
    }

    @Test
    void atMostMaxInFlightBatchesPerPartitionGoAndTheyGoInOrder() {
        RecordAccumulator acc = accumulator(1, 1 << 20, 1 << 20, HOUR, 2, false);
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        for (int i = 0; i < 5; i++) {
            append(acc, q, 10, false);
        }
        assertThat(sent).hasSize(2);
        complete(acc, sent.get(0), 0);
        assertThat(sent).hasSize(3);
        complete(acc, sent.get(2), 2);
        complete(acc, sent.get(1), 1);
        assertThat(sent).hasSize(5);
        assertThat(sent).extracting(b -> b.id).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void aPartitionWithARequestInFlightDoesNotHoldBackAnother() {
        RecordAccumulator acc = accumulator(1, 1 << 20, 1 << 20, HOUR, 1, false);
        RecordAccumulator.TopicQueues t = acc.topic("t");
        append(acc, t.queue(0), 10, false);
        append(acc, t.queue(0), 10, false);
        append(acc, t.queue(1), 10, false);
        assertThat(sent).extracting(b -> b.queue.partition).containsExactly(0, 1);
    }

    @Test
    void recordsCompleteWithConsecutiveOffsetsAndIncompleteBatchesAreTrackedUntilDone() throws Exception {
        RecordAccumulator acc = accumulator(3, 1 << 20, 1 << 20, HOUR, 1, false);
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(2);
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            futures.add(append(acc, q, 10, false));
        }
        assertThat(acc.incomplete()).hasSize(1);
        complete(acc, sent.get(0), 40);
        assertThat(acc.incomplete()).isEmpty();
        for (int i = 0; i < 3; i++) {
            assertThat(futures.get(i).get()).isEqualTo(new SendResult("t", 2, 40 + i));
        }
    }

    @Test
    void keylessRecordsMoveToTheNextPartitionWhenTheStickyPartitionsBatchCloses() {
        RecordAccumulator acc = accumulator(2, 1 << 20, 1 << 20, HOUR, 10, false);
        RecordAccumulator.TopicQueues t = acc.topic("t");
        t.partitionCount(3);
        int first = t.stickyPartition(3);
        assertThat(t.stickyPartition(3)).isEqualTo(first);
        append(acc, t.queue(first), 10, false);
        assertThat(t.stickyPartition(3)).isEqualTo(first);
        append(acc, t.queue(first), 10, false); // full: sealed and sent
        assertThat(t.stickyPartition(3)).isEqualTo((first + 1) % 3);
    }

    @Test
    void abortHandsBackEveryIncompleteBatchAndRefusesLaterAppends() {
        RecordAccumulator acc = accumulator(2, 1 << 20, 1 << 20, HOUR, 1, false);
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        for (int i = 0; i < 5; i++) {
            append(acc, q, 10, false); // one in flight, one ready, one open
        }
        assertThat(sent).hasSize(1);
        List<ProducerBatch> left = acc.abort(new RustMQException("closed"));
        assertThat(counts(left)).containsExactlyInAnyOrder(2, 2, 1);
        assertThatThrownBy(() -> append(acc, q, 10, false)).hasMessage("closed");
    }

    @Test
    void sendsThatCompleteAtOnceAreDrainedInALoopNotByRecursion() {
        AtomicReference<RecordAccumulator> ref = new AtomicReference<>();
        List<ProducerBatch> inline = new ArrayList<>();
        boolean[] failFast = {false};
        RecordAccumulator acc = new RecordAccumulator(1, 1 << 20, 1 << 20, ACKS, HOUR, 1, false, timer, b -> {
            inline.add(b);
            if (failFast[0]) {
                b.fail(new RustMQException("client is closed"));
                ref.get().completed(b);
            }
        });
        ref.set(acc);
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        for (int i = 0; i < 20_000; i++) {
            append(acc, q, 1, false);
        }
        assertThat(inline).hasSize(1);
        failFast[0] = true;
        inline.get(0).fail(new RustMQException("client is closed"));
        acc.completed(inline.get(0));
        assertThat(inline).hasSize(20_000);
        assertThat(acc.incomplete()).isEmpty();
    }

    @Test
    void batchesReachTheSenderInSequenceOrderWhileAppendsAndCompletionsRace() throws Exception {
        // The appending thread and a completing thread both send batches; only one of them may hand batches to the
        // sender at a time, so the transport sees them in the order their sequences were given (else the broker
        // would find a gap and hold or refuse the later request).
        java.util.concurrent.BlockingQueue<ProducerBatch> inFlight = new java.util.concurrent.LinkedBlockingQueue<>();
        List<Long> order = java.util.Collections.synchronizedList(new ArrayList<>());
        RecordAccumulator acc = new RecordAccumulator(10, 1 << 20, 1 << 20, ACKS, 0, 5, true, timer, b -> {
            order.add(b.baseSequence);
            Thread.yield(); // widen the window between taking a batch and handing it over
            inFlight.add(b);
        });
        RecordAccumulator.PartitionQueue q = acc.topic("t").queue(0);
        int records = 20_000;
        Thread completer = new Thread(() -> {
            long offset = 0;
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    ProducerBatch b = inFlight.take();
                    b.succeed(offset);
                    offset += b.count();
                    acc.completed(b);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        completer.start();
        List<CompletableFuture<SendResult>> futures = new ArrayList<>(records);
        try {
            for (int i = 0; i < records; i++) {
                futures.add(append(acc, q, 10, true));
            }
            acc.flushAll();
            CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        } finally {
            completer.interrupt();
            completer.join(10_000);
        }
        List<Long> seen;
        synchronized (order) {
            seen = new ArrayList<>(order);
        }
        assertThat(seen).isSorted().doesNotHaveDuplicates();
        for (int i = 0; i < records; i++) {
            assertThat(futures.get(i).join().offset()).isEqualTo(i);
        }
    }
}
