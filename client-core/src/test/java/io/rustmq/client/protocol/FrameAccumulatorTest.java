package io.rustmq.client.protocol;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameAccumulatorTest {

    private static void append(FrameAccumulator a, byte[] bytes, int from, int to) {
        a.append((dst, off, n) -> System.arraycopy(bytes, from, dst, off, n), to - from);
    }

    @Test
    void aFrameArrivingInPiecesDecodesAsSoonAsItIsWholeIgnoringLaterBytes() {
        byte[] frame = Frames.encodeRequest(new MetadataRequest(List.of("orders", "payments")));
        FrameAccumulator a = new FrameAccumulator(1024);
        Request decoded = null;
        for (int i = 0; i < frame.length; i++) {
            append(a, frame, i, i + 1);
            assertThat(a.afterReads()).isEqualTo(FrameAccumulator.Next.DECODE_NOW);
            decoded = a.tryDecode((b, len) -> Frames.decodeRequestBody(RequestType.fromCode(b[0] & 0xFF),
                    new BincodeReader(b, 1, len - 1)));
            if (i < frame.length - 1) {
                assertThat(decoded).isNull();
            }
        }
        assertThat(decoded).isEqualTo(new MetadataRequest(List.of("orders", "payments")));
        assertThat(a.copy()).isEqualTo(frame);
    }

    @Test
    void aLargeFrameIsDecodeTriedOnlyAsItGrowsByHalfOrWhenItStopsGrowing() {
        FrameAccumulator a = new FrameAccumulator(1 << 20);
        byte[] chunk = new byte[1200];
        AtomicInteger decodes = new AtomicInteger();
        FrameAccumulator.Decoder<Object> never = (b, len) -> {
            decodes.incrementAndGet();
            return null;
        };
        for (int i = 0; i < 100; i++) {
            append(a, chunk, 0, chunk.length);
            FrameAccumulator.Next next = a.afterReads();
            if (next == FrameAccumulator.Next.DECODE_NOW) {
                a.tryDecode(never);
            }
        }
        // 120 000 bytes in 1 200-byte pieces: tries at 1 200 and then each time the frame grew by half.
        assertThat(decodes.get()).isBetween(2, 12);
        assertThat(a.length()).isEqualTo(120_000);

        int armedAt = a.length();
        assertThat(a.quietDecodeDue(armedAt)).isEqualTo(a.afterReads() == FrameAccumulator.Next.DECODE_WHEN_QUIET);
        append(a, chunk, 0, 10);
        assertThat(a.quietDecodeDue(armedAt)).as("grew since it was armed").isFalse();
    }

    @Test
    void bytesOverTheLimitDoNotFitAndAreRefused() {
        FrameAccumulator a = new FrameAccumulator(10);
        byte[] bytes = new byte[11];

        assertThat(a.fits(10)).isTrue();
        assertThat(a.fits(11)).isFalse();
        append(a, bytes, 0, 6);
        assertThat(a.fits(5)).isFalse();
        assertThatThrownBy(() -> append(a, bytes, 0, 5)).isInstanceOf(IllegalStateException.class);
        assertThat(a.length()).isEqualTo(6);
        assertThat(new FrameAccumulator(10).afterReads()).isEqualTo(FrameAccumulator.Next.WAIT);
    }

    @Test
    void aFrameThatOutgrowsItsFirstReadGrowsStraightToTheExpectedSizeAndKeepsItsBytes() {
        byte[] frame = new byte[300_000];
        new java.util.Random(7).nextBytes(frame);
        FrameAccumulator a = new FrameAccumulator(1 << 20, 320_000);
        append(a, frame, 0, 1_000);
        assertThat(a.array()).as("the first read gets a buffer of its own size").hasSize(1_000);
        append(a, frame, 1_000, 1_300);
        assertThat(a.array()).as("one growth, to the hint").hasSize(320_000);
        byte[] grownTo = a.array();
        for (int from = 1_300; from < frame.length; from += 29_870) {
            append(a, frame, from, Math.min(frame.length, from + 29_870));
        }
        assertThat(a.array()).as("no further copy while within the hint").isSameAs(grownTo);
        assertThat(a.copy()).isEqualTo(frame);
    }

    @Test
    void aFrameLargerThanExpectedDoublesPastTheHintWithinTheLimit() {
        FrameAccumulator a = new FrameAccumulator(10_000);
        a.expect(3_000);
        byte[] chunk = new byte[2_000];
        append(a, chunk, 0, 600);
        append(a, chunk, 0, 2_000);
        assertThat(a.array()).hasSize(3_000);
        append(a, chunk, 0, 2_000);
        assertThat(a.array()).hasSize(6_000);
        append(a, chunk, 0, 2_000);
        append(a, chunk, 0, 2_000);
        assertThat(a.array()).as("capped at the frame limit").hasSize(10_000);
        assertThat(a.length()).isEqualTo(8_600);
    }
}
