package io.rustmq.client.internal.consumer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class AckTrackerTest {
    private final AckTracker tracker = new AckTracker();

    @Test
    void inOrderAcksAdvanceTheCommittableOffset() {
        tracker.reset(100, 1);
        assertThat(tracker.committable()).isEqualTo(100);
        for (long o = 100; o < 110; o++) {
            assertThat(tracker.ack(o, 1)).isTrue();
        }
        assertThat(tracker.committable()).isEqualTo(110);
        assertThat(tracker.pendingAhead()).isZero();
    }

    @Test
    void acksAfterAGapAreNotCommittableUntilTheGapIsAcked() {
        tracker.reset(10, 1);
        tracker.ack(11, 1);
        tracker.ack(12, 1);
        tracker.ack(14, 1);
        assertThat(tracker.committable()).as("10 is unacked, so nothing past it is committable").isEqualTo(10);
        assertThat(tracker.pendingAhead()).isEqualTo(3);
        tracker.ack(10, 1);
        assertThat(tracker.committable()).as("the gap at 10 closed; 13 is the next gap").isEqualTo(13);
        tracker.ack(13, 1);
        assertThat(tracker.committable()).isEqualTo(15);
        assertThat(tracker.pendingAhead()).isZero();
    }

    @Test
    void repeatedAndBelowCommittableAcksAreIgnored() {
        tracker.reset(0, 1);
        assertThat(tracker.ack(0, 1)).isTrue();
        assertThat(tracker.ack(0, 1)).isFalse();
        assertThat(tracker.ack(5, 1)).isTrue();
        assertThat(tracker.ack(5, 1)).isFalse();
        assertThat(tracker.committable()).isEqualTo(1);
        assertThat(tracker.pendingAhead()).isEqualTo(1);
    }

    @Test
    void acksFromAnEarlierEpochAreIgnoredAfterAReset() {
        tracker.reset(0, 1);
        tracker.ack(0, 1);
        tracker.reset(50, 2);
        assertThat(tracker.ack(50, 1)).as("delivered before the seek").isFalse();
        assertThat(tracker.committable()).isEqualTo(50);
        assertThat(tracker.ack(50, 2)).isTrue();
        assertThat(tracker.committable()).isEqualTo(51);
    }

    @Test
    void acksFarAheadGrowTheRingAndTheGapStillCloses() {
        tracker.reset(0, 1);
        for (long o = 1; o <= 5000; o++) {
            tracker.ack(o, 1);
        }
        assertThat(tracker.committable()).isZero();
        assertThat(tracker.pendingAhead()).isEqualTo(5000);
        tracker.ack(0, 1);
        assertThat(tracker.committable()).isEqualTo(5001);
        assertThat(tracker.pendingAhead()).isZero();
    }

    @Test
    void randomAckOrdersAlwaysCommitExactlyUpToTheFirstUnackedOffset() {
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            long start = random.nextInt(1_000_000);
            int n = 1 + random.nextInt(3000);
            List<Long> offsets = new ArrayList<>();
            for (long o = start; o < start + n; o++) {
                offsets.add(o);
            }
            // mostly in order, with windows shuffled, as several threads acking would produce
            for (int i = 0; i < n; i += 1 + random.nextInt(200)) {
                Collections.shuffle(offsets.subList(i, Math.min(n, i + 1 + random.nextInt(300))), random);
            }
            tracker.reset(start, round);
            TreeSet<Long> unacked = new TreeSet<>(offsets);
            for (long o : offsets) {
                tracker.ack(o, round);
                unacked.remove(o);
                long expected = unacked.isEmpty() ? start + n : unacked.first();
                assertThat(tracker.committable()).isEqualTo(expected);
            }
        }
    }

    @Test
    void unsettledCountsDeliveriesUntilAckedOrGivenBack() {
        tracker.reset(0, 3);
        tracker.delivered(3, 3);
        assertThat(tracker.unsettled()).isEqualTo(3);
        tracker.ack(0, 3);
        tracker.settledWithoutAck(3);
        assertThat(tracker.unsettled()).isEqualTo(1);
        tracker.delivered(5, 2);
        tracker.ack(7, 2);
        assertThat(tracker.unsettled()).as("other epochs do not count").isEqualTo(1);
        tracker.ack(2, 3);
        assertThat(tracker.unsettled()).isZero();
        tracker.reset(10, 4);
        assertThat(tracker.unsettled()).isZero();
    }
}
