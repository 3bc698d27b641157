package io.rustmq.benchmarks.perf;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class PacerTest {

    @Test
    void sleepsOnlyInStepsOfTwoMillisecondsAndKeepsTheScheduleOnAverage() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        List<Long> parks = new ArrayList<>();
        long start = now.get();
        Pacer pacer = new Pacer(10_000, start, now::get, n -> {
            parks.add(n);
            now.addAndGet(n);
        });
        List<Long> sentAt = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            pacer.await(i);
            sentAt.add(now.get());
            now.addAndGet(1_000); // each send takes 1 us
        }
        // 10,000 records at 10,000/s: about one wake-up per 2 ms (a little over, with 1 us per send), not one per record
        assertThat(parks).hasSizeBetween(450, 510).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(
                Pacer.MIN_PARK_NANOS));
        for (int i = 0; i < sentAt.size(); i++) {
            assertThat(pacer.due(i) - sentAt.get(i)).as("record %d goes at most 2 ms early", i)
                    .isLessThan(Pacer.MIN_PARK_NANOS);
        }
        assertThat(sentAt.get(9_999) - start).as("the last record goes on schedule")
                .isBetween(999_000_000L - Pacer.MIN_PARK_NANOS, 1_000_000_000L);
    }

    @Test
    void aSenderThatFellBehindCatchesUpWithoutWaitingAndRateZeroNeverWaits() {
        AtomicLong now = new AtomicLong(0);
        List<Long> parks = new ArrayList<>();
        Pacer pacer = new Pacer(1_000, 0, now::get, parks::add);
        now.set(50_000_000L); // 50 ms late: records 0..51 are all due
        for (int i = 0; i < 50; i++) {
            pacer.await(i);
        }
        new Pacer(0, 0, now::get, parks::add).await(1_000_000);
        assertThat(parks).isEmpty();
    }
}
