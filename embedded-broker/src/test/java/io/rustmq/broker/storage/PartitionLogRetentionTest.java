package io.rustmq.broker.storage;

import io.rustmq.client.protocol.WireRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionLogRetentionTest {
    static WireRecord rec(int i, int size) {
        byte[] v = new byte[size];
        byte[] n = Integer.toString(i).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, v, 0, n.length);
        return new WireRecord(null, v, List.of(), 0);
    }

    static int number(WireRecord r) {
        int end = 0;
        while (end < r.value().length && r.value()[end] != 0) {
            end++;
        }
        return Integer.parseInt(new String(r.value(), 0, end, StandardCharsets.UTF_8));
    }

    static long sumOfRetained(PartitionLog log) {
        long sum = 0;
        for (long o = log.logStartOffset(); o < log.logEndOffset(); o++) {
            sum += PartitionLog.retainedSize(log.get(o));
        }
        return sum;
    }

    @Test
    void producingThreeTimesTheSizeLimitKeepsRetainedBytesAtOrBelowItAfterEachAppend() {
        long limit = 64 * 1024;
        PartitionLog log = new PartitionLog("t", 0, new RetentionPolicy(limit, RetentionPolicy.UNLIMITED));
        long produced = 0;
        int i = 0;
        while (produced < 3 * limit) {
            List<WireRecord> batch = new ArrayList<>();
            for (int k = 0; k < 1 + i % 5; k++) { // requests of 1 to 5 records, 300 to 1,000 value bytes
                WireRecord r = rec(i++, 300 + (i * 37) % 700);
                produced += PartitionLog.retainedSize(r);
                batch.add(r);
            }
            log.append(batch, 1);
            assertThat(log.retainedBytes()).isLessThanOrEqualTo(limit).isEqualTo(sumOfRetained(log));
        }
        assertThat(log.logEndOffset()).isEqualTo(i);
        assertThat(log.logStartOffset()).isPositive();
        // only whole records from the front went: the oldest left is the log start, the newest the last produced
        List<WireRecord> all = log.read(log.logStartOffset(), Long.MAX_VALUE);
        assertThat(number(all.get(0))).isEqualTo((int) log.logStartOffset());
        assertThat(number(all.get(all.size() - 1))).isEqualTo(i - 1);
        // and the limit is used: adding the record before the start would exceed it
        assertThat(log.retainedBytes()).isGreaterThan(limit - 2 * PartitionLog.retainedSize(rec(0, 1000)));
    }

    @Test
    void readingBelowTheLogStartFailsWithTheStartAndTheHighWatermark() {
        PartitionLog log = new PartitionLog("t", 0);
        for (int i = 0; i < 10; i++) {
            log.append(List.of(rec(i, 10)), 1);
        }
        assertThat(log.truncateBefore(4)).isEqualTo(4);
        assertThatThrownBy(() -> log.read(3, Long.MAX_VALUE))
                .isInstanceOfSatisfying(PartitionLog.OffsetOutOfRangeException.class, e -> {
                    assertThat(e.logStart()).isEqualTo(4);
                    assertThat(e.highWatermark()).isEqualTo(10);
                    assertThat(e.getMessage()).isEqualTo("OffsetOutOfRange: log start 4, high watermark 10");
                });
        assertThat(number(log.read(4, Long.MAX_VALUE).get(0))).isEqualTo(4);
        assertThat(log.read(10, Long.MAX_VALUE)).isEmpty();
        assertThatThrownBy(() -> log.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(log.retainedBytes()).isEqualTo(sumOfRetained(log));
        // earlier offsets change nothing; past the end empties the log at its end
        assertThat(log.truncateBefore(2)).isEqualTo(4);
        assertThat(log.truncateBefore(99)).isEqualTo(10);
        assertThat(log.retainedBytes()).isZero();
        assertThat(log.append(List.of(rec(10, 10)), 1).firstOffset()).isEqualTo(10);
    }

    @Test
    void droppingWholeChunksReleasesThemAndKeepsLaterOffsetsReadable() {
        PartitionLog log = new PartitionLog("t", 0, new RetentionPolicy(200_000, RetentionPolicy.UNLIMITED));
        int n = PartitionLog.CHUNK * 3 + 11;
        for (int i = 0; i < n; i++) {
            log.append(List.of(rec(i, 8)), 1);
        }
        long start = log.logStartOffset();
        assertThat(start).isGreaterThan(PartitionLog.CHUNK);
        assertThat(log.read(start, Long.MAX_VALUE)).hasSize((int) (n - start));
        assertThat(number(log.get(n - 1))).isEqualTo(n - 1);
    }

    @Test
    void recordsOlderThanTheAgeLimitAreDroppedAtAppendAndWhenEnforced() {
        PartitionLog log = new PartitionLog("t", 0, new RetentionPolicy(RetentionPolicy.UNLIMITED, 1_000));
        log.append(List.of(rec(0, 1), rec(1, 1)), 10_000);
        log.append(List.of(rec(2, 1)), 10_500);
        assertThat(log.logStartOffset()).isZero();
        log.append(List.of(rec(3, 1)), 11_200); // 10_000 is now older than 1 s
        assertThat(log.logStartOffset()).isEqualTo(2);
        assertThat(log.enforceRetention(11_400)).isZero();
        assertThat(log.enforceRetention(11_600)).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(3);
        assertThat(log.enforceRetention(60_000)).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(4).isEqualTo(log.logEndOffset());
        assertThat(log.retainedBytes()).isZero();
    }

    @Test
    void limitsMustBePositiveOrUnlimitedAndNameTheField() {
        assertThatThrownBy(() -> new RetentionPolicy(0, RetentionPolicy.UNLIMITED))
                .hasMessage("retentionBytes must be positive bytes or -1 for unlimited, got 0");
        assertThatThrownBy(() -> new RetentionPolicy(RetentionPolicy.UNLIMITED, -5))
                .hasMessage("retentionMs must be positive milliseconds or -1 for unlimited, got -5");
        assertThat(RetentionPolicy.DEFAULT.maxBytes()).isEqualTo(256L * 1024 * 1024);
        assertThat(RetentionPolicy.DEFAULT).hasToString("retention 268435456 bytes per partition, no age limit");
        assertThat(new RetentionPolicy(10, 90_000)).hasToString("retention 10 bytes per partition, age 1m30s");
    }

    @Test
    void readersRacingRetentionSeeContiguousRecordsOrOffsetOutOfRangeAndNothingElse() throws Exception {
        PartitionLog log = new PartitionLog("t", 0, new RetentionPolicy(50_000, RetentionPolicy.UNLIMITED));
        int total = PartitionLog.CHUNK * 4;
        java.util.concurrent.atomic.AtomicLong outOfRange = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<Long>> reads = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                reads.add(readers.submit(() -> {
                    long checked = 0;
                    while (log.logEndOffset() < total) {
                        long from = Math.max(0, log.logStartOffset() - 3); // sometimes below the start
                        try {
                            List<WireRecord> rs = log.read(from, 20_000);
                            for (int i = 0; i < rs.size(); i++) {
                                assertThat(number(rs.get(i))).isEqualTo(from + i);
                            }
                            checked += rs.size();
                        } catch (PartitionLog.OffsetOutOfRangeException e) {
                            assertThat(e.logStart()).isGreaterThan(from);
                            outOfRange.incrementAndGet();
                        }
                    }
                    return checked;
                }));
            }
            for (int i = 0; i < total; i++) {
                log.append(List.of(rec(i, 20)), 1);
            }
            for (java.util.concurrent.Future<Long> f : reads) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            readers.shutdownNow();
        }
        assertThat(log.retainedBytes()).isLessThanOrEqualTo(50_000).isEqualTo(sumOfRetained(log));
        assertThat(number(log.get(total - 1))).isEqualTo(total - 1);
    }
}
