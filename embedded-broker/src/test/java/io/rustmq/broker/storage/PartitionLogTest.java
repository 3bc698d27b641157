package io.rustmq.broker.storage;

import io.rustmq.client.protocol.WireHeader;
import io.rustmq.client.protocol.WireRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionLogTest {
    private final PartitionLog log = new PartitionLog("t", 0);

    static WireRecord rec(String value) {
        return new WireRecord(null, value.getBytes(StandardCharsets.UTF_8), List.of(), 123);
    }

    static WireRecord idem(String producer, long seq, String value) {
        return new WireRecord(null, value.getBytes(StandardCharsets.UTF_8),
                List.of(WireHeader.of(PartitionLog.PRODUCER_ID_HEADER, producer),
                        WireHeader.of(PartitionLog.SEQUENCE_HEADER, Long.toString(seq))), 0);
    }

    static List<String> values(List<WireRecord> records) {
        List<String> out = new ArrayList<>();
        records.forEach(r -> out.add(new String(r.value(), StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void offsetsAreDenseFromZeroAndTheResponseOffsetIsTheFirstRecords() {
        assertThat(log.append(List.of(rec("a"), rec("b")), 1000).firstOffset()).isZero();
        assertThat(log.append(List.of(rec("c")), 1000).firstOffset()).isEqualTo(2);
        assertThat(log.append(List.of(rec("d"), rec("e"), rec("f")), 1000).firstOffset()).isEqualTo(3);
        assertThat(log.logEndOffset()).isEqualTo(6);
        assertThat(values(log.read(0, Long.MAX_VALUE))).containsExactly("a", "b", "c", "d", "e", "f");
        assertThat(values(log.read(4, Long.MAX_VALUE))).containsExactly("e", "f");
    }

    @Test
    void emptyAppendStoresNothingAndAnswersOffsetZero() {
        log.append(List.of(rec("a")), 1);
        PartitionLog.AppendResult r = log.append(List.of(), 1);
        assertThat(r.firstOffset()).isZero();
        assertThat(r.appended()).isZero();
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void timestampIsReplacedByTheBrokersAndKeyHeadersValueAreKept() {
        WireRecord in = new WireRecord(new byte[] {1, 2}, new byte[] {0, (byte) 0xFF},
                List.of(WireHeader.of("h", "v"), WireHeader.of("h", "w")), 42);
        log.append(List.of(in), 1_700_000_000_000L);
        WireRecord out = log.get(0);
        assertThat(out.timestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(out.key()).containsExactly(1, 2);
        assertThat(out.value()).containsExactly(0, 0xFF);
        assertThat(out.headers()).containsExactly(WireHeader.of("h", "v"), WireHeader.of("h", "w"));
    }

    @Test
    void maxBytesZeroReturnsExactlyOneRecord() {
        log.append(List.of(rec("a"), rec("b")), 1);
        assertThat(values(log.read(0, 0))).containsExactly("a");
        assertThat(values(log.read(1, 0))).containsExactly("b");
    }

    @Test
    void maxBytesIsTheRunningSumOfTheEstimateInclusive() {
        // estimate = 352 + |value| + |key| + Σ(|hkey| + |hvalue|)
        WireRecord r = new WireRecord(new byte[3], new byte[10], List.of(WireHeader.of("ké", "xy")), 0);
        assertThat(PartitionLog.sizeEstimate(r)).isEqualTo(352 + 10 + 3 + 3 + 2);
        log.append(List.of(r, r, r), 1);
        long one = PartitionLog.sizeEstimate(r);
        assertThat(log.read(0, 2 * one)).hasSize(2);
        assertThat(log.read(0, 2 * one - 1)).hasSize(1);
        assertThat(log.read(0, 3 * one)).hasSize(3);
        assertThat(log.read(0, one)).hasSize(1);
        assertThat(log.read(0, one - 1)).hasSize(1);
    }

    @Test
    void readAtOrPastTheEndIsEmptyAndTheHighWatermarkIsTheLogEnd() {
        assertThat(log.read(0, 1000)).isEmpty();
        assertThat(log.logEndOffset()).isZero();
        log.append(List.of(rec("a")), 1);
        assertThat(log.read(1, 1000)).isEmpty();
        assertThat(log.read(99, 1000)).isEmpty();
        assertThat(log.read(-1, 1000)).as("u64 above 2^63").isEmpty();
        assertThat(log.logEndOffset()).isEqualTo(1);
        assertThatThrownBy(() -> log.get(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void readsAcrossStorageChunks() {
        List<WireRecord> batch = new ArrayList<>();
        for (int i = 0; i < PartitionLog.CHUNK * 3 + 7; i++) {
            batch.add(rec(Integer.toString(i)));
        }
        log.append(batch, 1);
        List<WireRecord> all = log.read(PartitionLog.CHUNK - 2, Long.MAX_VALUE);
        assertThat(all).hasSize(PartitionLog.CHUNK * 2 + 9);
        assertThat(values(all).get(0)).isEqualTo(Integer.toString(PartitionLog.CHUNK - 2));
        assertThat(values(all).get(all.size() - 1)).isEqualTo(Integer.toString(PartitionLog.CHUNK * 3 + 6));
    }

    @Test
    void concurrentAppendsGetDistinctContiguousOffsets() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<Long> firsts = new ArrayList<>();
                    for (int i = 0; i < 500; i++) {
                        firsts.add(log.append(List.of(rec(thread + "-" + i + "-0"), rec(thread + "-" + i + "-1")), 1)
                                .firstOffset());
                    }
                    return firsts;
                }));
            }
            Set<Long> firsts = new HashSet<>();
            for (Future<List<Long>> f : futures) {
                firsts.addAll(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(firsts).hasSize(2000);
            assertThat(log.logEndOffset()).isEqualTo(4000);
            List<String> all = values(log.read(0, Long.MAX_VALUE));
            for (long first : firsts) {
                String a = all.get((int) first);
                assertThat(all.get((int) first + 1)).as("request stays contiguous")
                        .isEqualTo(a.substring(0, a.length() - 1) + "1");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void duplicateSequenceIsNotStoredAgainAndGetsTheOriginalOffset() {
        log.append(List.of(rec("other")), 1);
        PartitionLog.AppendResult first = log.append(List.of(idem("p1", 0, "a")), 1);
        assertThat(first.firstOffset()).isEqualTo(1);
        PartitionLog.AppendResult retry = log.append(List.of(idem("p1", 0, "a")), 1);
        assertThat(retry.firstOffset()).isEqualTo(1);
        assertThat(retry.appended()).isZero();
        assertThat(retry.duplicates()).isEqualTo(1);
        assertThat(log.logEndOffset()).isEqualTo(2);
    }

    @Test
    void duplicateBatchAnswersTheOriginalOffsetOfItsFirstRecord() {
        log.append(List.of(idem("p", 0, "a"), idem("p", 1, "b"), idem("p", 2, "c")), 1);
        log.append(List.of(rec("x")), 1);
        PartitionLog.AppendResult retry = log.append(List.of(idem("p", 0, "a"), idem("p", 1, "b"),
                idem("p", 2, "c")), 1);
        assertThat(retry.firstOffset()).isZero();
        assertThat(retry.duplicates()).isEqualTo(3);
        assertThat(values(log.read(0, Long.MAX_VALUE))).containsExactly("a", "b", "c", "x");
    }

    @Test
    void partlyDuplicateRequestStoresOnlyTheNewRecords() {
        log.append(List.of(idem("p", 0, "a"), idem("p", 1, "b")), 1);
        PartitionLog.AppendResult r = log.append(List.of(idem("p", 1, "b"), idem("p", 2, "c")), 1);
        assertThat(r.firstOffset()).as("original offset of the first record").isEqualTo(1);
        assertThat(r.appended()).isEqualTo(1);
        assertThat(values(log.read(0, Long.MAX_VALUE))).containsExactly("a", "b", "c");
    }

    @Test
    void sequencesArePerProducer() {
        log.append(List.of(idem("p1", 0, "a")), 1);
        PartitionLog.AppendResult r = log.append(List.of(idem("p2", 0, "b")), 1);
        assertThat(r.appended()).isEqualTo(1);
        assertThat(r.firstOffset()).isEqualTo(1);
    }

    static WireRecord firstOfRequest(String producer, long seq, String value) {
        return idem(producer, seq, value);
    }

    @Test
    void headersOnTheFirstRecordOnlyNumberTheFollowingRecords() {
        PartitionLog.AppendResult first = log.append(List.of(firstOfRequest("p", 0, "a"), rec("b"), rec("c")), 1);
        assertThat(first.appended()).isEqualTo(3);
        assertThat(log.producerState().nextSequence("p")).isEqualTo(3);
        PartitionLog.AppendResult next = log.append(List.of(firstOfRequest("p", 3, "d"), rec("e")), 1);
        assertThat(next.firstOffset()).isEqualTo(3);
        PartitionLog.AppendResult retry = log.append(List.of(firstOfRequest("p", 0, "a"), rec("b"), rec("c")), 1);
        assertThat(retry.appended()).isZero();
        assertThat(retry.duplicates()).isEqualTo(3);
        assertThat(retry.firstOffset()).isZero();
        assertThat(values(log.read(0, Long.MAX_VALUE))).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void aGapIsRefusedAsOutOfOrderAndNothingIsStored() {
        log.append(List.of(firstOfRequest("p", 0, "a"), rec("b")), 1);
        assertThatThrownBy(() -> log.append(List.of(rec("untagged"), firstOfRequest("p", 5, "x"), rec("y")), 1))
                .isInstanceOf(ProducerStateTable.SequenceException.class)
                .hasMessageStartingWith("OutOfOrderSequence: expected 2, got 5")
                .satisfies(e -> assertThat(((ProducerStateTable.SequenceException) e).retriable()).isTrue());
        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(log.append(List.of(firstOfRequest("p", 2, "c")), 1).firstOffset()).isEqualTo(2);
    }

    @Test
    void theEarlierFormWithEveryRecordTaggedIsCheckedTheSameWay() {
        assertThat(log.append(List.of(idem("p", 0, "a"), idem("p", 1, "b")), 1).appended()).isEqualTo(2);
        PartitionLog.AppendResult retry = log.append(List.of(idem("p", 0, "a"), idem("p", 1, "b")), 1);
        assertThat(retry.duplicates()).isEqualTo(2);
        assertThat(retry.firstOffset()).isZero();
        assertThatThrownBy(() -> log.append(List.of(idem("p", 3, "d"), idem("p", 4, "e")), 1))
                .hasMessageStartingWith("OutOfOrderSequence: expected 2, got 3");
        assertThat(log.append(List.of(idem("p", 2, "c"), idem("p", 3, "d")), 1).firstOffset()).isEqualTo(2);
        assertThat(values(log.read(0, Long.MAX_VALUE))).containsExactly("a", "b", "c", "d");
    }

    @Test
    void anUnknownProducerIsAcceptedAtAnySequence() {
        assertThat(log.append(List.of(firstOfRequest("p", 41, "a")), 1).appended()).isEqualTo(1);
        assertThat(log.producerState().nextSequence("p")).isEqualTo(42);
    }

    @Test
    void theLastFiveRequestsPerProducerAreRemembered() {
        for (int seq = 0; seq < 6; seq++) {
            log.append(List.of(idem("p", seq, "v" + seq)), 1);
        }
        // requests 1..5 are the last five: still recognised
        for (int seq = 1; seq < 6; seq++) {
            PartitionLog.AppendResult r = log.append(List.of(idem("p", seq, "v" + seq)), 1);
            assertThat(r.appended()).as("seq %d", seq).isZero();
            assertThat(r.firstOffset()).isEqualTo(seq);
        }
        // the sixth request back has left the window: refused for good, not stored again
        assertThatThrownBy(() -> log.append(List.of(idem("p", 0, "v0")), 1))
                .isInstanceOf(ProducerStateTable.SequenceException.class)
                .hasMessageStartingWith("DuplicateSequence: ")
                .satisfies(e -> assertThat(((ProducerStateTable.SequenceException) e).retriable()).isFalse());
        assertThat(log.logEndOffset()).isEqualTo(6);
        assertThat(PartitionLog.IDEMPOTENCE_WINDOW).isEqualTo(5);
    }

    @Test
    void allDuplicateRequestsDoNotPushEntriesOutOfTheWindow() {
        for (int seq = 0; seq < 5; seq++) {
            log.append(List.of(idem("p", seq, "v" + seq)), 1);
        }
        for (int i = 0; i < 10; i++) {
            log.append(List.of(idem("p", 4, "v4")), 1);
        }
        assertThat(log.append(List.of(idem("p", 0, "v0")), 1).appended()).isZero();
    }

    @Test
    void recordsWithoutBothHeadersOrWithABadSequenceAreAlwaysAppended() {
        WireRecord onlyId = new WireRecord(null, new byte[] {1},
                List.of(WireHeader.of(PartitionLog.PRODUCER_ID_HEADER, "p")), 0);
        WireRecord badSeq = new WireRecord(null, new byte[] {2},
                List.of(WireHeader.of(PartitionLog.PRODUCER_ID_HEADER, "p"),
                        WireHeader.of(PartitionLog.SEQUENCE_HEADER, "-1")), 0);
        for (int i = 0; i < 2; i++) {
            log.append(List.of(onlyId), 1);
            log.append(List.of(badSeq), 1);
            log.append(List.of(rec("plain")), 1);
        }
        assertThat(log.logEndOffset()).isEqualTo(6);
    }

    @Test
    void parsesOnlyPlainNonNegativeDecimalSequences() {
        assertThat(PartitionLog.parseSequence("0")).isZero();
        assertThat(PartitionLog.parseSequence("12345")).isEqualTo(12345);
        assertThat(PartitionLog.parseSequence("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(PartitionLog.parseSequence("9999999999999999999")).isEqualTo(-1);
        assertThat(PartitionLog.parseSequence("")).isEqualTo(-1);
        assertThat(PartitionLog.parseSequence("+1")).isEqualTo(-1);
        assertThat(PartitionLog.parseSequence(" 1")).isEqualTo(-1);
        assertThat(PartitionLog.parseSequence((String) null)).isEqualTo(-1);
        assertThat(PartitionLog.parseSequence((byte[]) null)).isEqualTo(-1);
        assertThat(PartitionLog.parseSequence(new byte[] {(byte) 0xC3, (byte) 0xA9})).isEqualTo(-1);
    }
}
