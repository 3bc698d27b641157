package io.rustmq.client.internal.consumer;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class TimestampSearchTest {
    /** Timestamps as a broker stamps them: non-decreasing, with runs of equal values. */
    private static final long[] STAMPS = {100, 100, 105, 110, 110, 110, 120, 130, 130, 200};

    private static long search(long target) {
        return TimestampSearch.firstOffsetAtOrAfter(0, STAMPS.length, target, o -> STAMPS[(int) o]);
    }

    @Test
    void findsTheFirstOffsetAtOrAfterTheTarget() {
        assertThat(search(105)).isEqualTo(2);
        assertThat(search(106)).isEqualTo(3);
        assertThat(search(110)).as("first of a run of equal stamps").isEqualTo(3);
        assertThat(search(121)).isEqualTo(7);
        assertThat(search(200)).isEqualTo(9);
    }

    @Test
    void aTargetBeforeEveryRecordGivesTheStartAndAfterEveryRecordGivesTheEnd() {
        assertThat(search(0)).isZero();
        assertThat(search(100)).isZero();
        assertThat(search(201)).isEqualTo(STAMPS.length);
    }

    @Test
    void anEmptyRangeGivesItsStart() {
        assertThat(TimestampSearch.firstOffsetAtOrAfter(7, 7, 0, o -> {
            throw new AssertionError("no lookup expected");
        })).isEqualTo(7);
    }

    @Test
    void missingRecordsBelowTheEarliestRetainedOneCountAsOlder() {
        // offsets 0..4 were deleted by retention; 5..9 hold 10, 20, ..., 50
        TimestampSearch.TimestampAt lookup = o -> o < 5 ? TimestampSearch.NO_RECORD : (o - 4) * 10;
        assertThat(TimestampSearch.firstOffsetAtOrAfter(0, 10, 0, lookup)).isEqualTo(5);
        assertThat(TimestampSearch.firstOffsetAtOrAfter(0, 10, 25, lookup)).isEqualTo(7);
    }

    @Test
    void takesAtMostLogarithmicallyManyLookupsAndMatchesALinearScan() {
        Random random = new Random(7);
        long[] stamps = new long[100_000];
        long t = 1_700_000_000_000L;
        for (int i = 0; i < stamps.length; i++) {
            t += random.nextInt(3);
            stamps[i] = t;
        }
        for (int round = 0; round < 200; round++) {
            long target = stamps[0] - 5 + random.nextInt((int) (stamps[stamps.length - 1] - stamps[0] + 10));
            AtomicInteger lookups = new AtomicInteger();
            long found = TimestampSearch.firstOffsetAtOrAfter(0, stamps.length, target, o -> {
                lookups.incrementAndGet();
                return stamps[(int) o];
            });
            long expected = stamps.length;
            for (int i = 0; i < stamps.length; i++) {
                if (stamps[i] >= target) {
                    expected = i;
                    break;
                }
            }
            assertThat(found).isEqualTo(expected);
            assertThat(lookups.get()).isLessThanOrEqualTo(17); // ceil(log2(100000)) = 17
        }
    }
}
