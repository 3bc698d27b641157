package io.rustmq.broker;

import io.rustmq.client.protocol.Frames;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker's short hold of a Produce request that arrived ahead of its producer's expected sequence. */
class SequenceGapHoldTest {
    private static final byte[] GAP = Frames.encodeError("Error: OutOfOrderSequence: expected 4, got 5 (producer p)");
    private static final byte[] STORED = "stored".getBytes(StandardCharsets.US_ASCII);

    @Test
    void recognisesOnlyTheOutOfOrderRefusal() {
        assertThat(SequenceGapHold.isOutOfOrder(GAP)).isTrue();
        assertThat(SequenceGapHold.isOutOfOrder(Frames.encodeError("Error: DuplicateSequence: 1"))).isFalse();
        assertThat(SequenceGapHold.isOutOfOrder(STORED)).isFalse();
        assertThat(SequenceGapHold.isOutOfOrder(null)).isFalse();
        assertThat(SequenceGapHold.isOutOfOrder(new byte[] {(byte) 0xFF})).isFalse();
    }

    @Test
    void anAnswerThatIsNoGapIsReturnedAtOnceWithoutRetrying() throws Exception {
        try (SequenceGapHold hold = new SequenceGapHold("t")) {
            AtomicInteger retries = new AtomicInteger();
            assertThat(hold.answer(STORED, () -> {
                retries.incrementAndGet();
                return STORED;
            }).get(1, TimeUnit.SECONDS)).isEqualTo(STORED);
            assertThat(retries).hasValue(0);
        }
    }

    @Test
    void aRequestAheadOfItsGapIsStoredOnceTheGapFills() throws Exception {
        try (SequenceGapHold hold = new SequenceGapHold("t")) {
            AtomicInteger retries = new AtomicInteger();
            byte[] answer = hold.answer(GAP, () -> retries.incrementAndGet() < 3 ? GAP : STORED)
                    .get(10, TimeUnit.SECONDS);
            assertThat(answer).isEqualTo(STORED);
            assertThat(retries).hasValue(3);
        }
    }

    @Test
    void aGapThatStaysIsRefusedAfterTheHold() throws Exception {
        try (SequenceGapHold hold = new SequenceGapHold("t")) {
            AtomicInteger retries = new AtomicInteger();
            long start = System.nanoTime();
            byte[] answer = hold.answer(GAP, () -> {
                retries.incrementAndGet();
                return GAP;
            }).get(10, TimeUnit.SECONDS);
            assertThat(answer).isEqualTo(GAP);
            assertThat(System.nanoTime() - start).as("held at least the hold time")
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(SequenceGapHold.HOLD_MILLIS));
            assertThat(retries.get()).isPositive();
        }
    }

    @Test
    void afterCloseAGapIsRefusedAtOnce() throws Exception {
        SequenceGapHold hold = new SequenceGapHold("t");
        hold.close();
        hold.close();
        assertThat(hold.answer(GAP, () -> STORED).get(1, TimeUnit.SECONDS)).isEqualTo(GAP);
    }
}
