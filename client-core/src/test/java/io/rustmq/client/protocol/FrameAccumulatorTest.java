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
}
