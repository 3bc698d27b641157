package io.rustmq.client.internal.transport;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameBuffersTest {

    @Test
    void aReleasedLargeFramesArrayServesTheNextFrameOfASimilarSize() {
        FrameBuffers buffers = new FrameBuffers();
        ByteBuf first = buffers.frame(300_000);
        byte[] array = first.array();
        assertThat(first.writerIndex()).isZero();
        assertThat(first.capacity()).as("rounded up to 64 KiB").isEqualTo(320 * 1024);
        first.writeBytes(new byte[300_000]);
        first.release();
        assertThat(buffers.idleBytes()).isEqualTo(array.length);

        ByteBuf second = buffers.frame(310_000);
        assertThat(second.array()).isSameAs(array);
        assertThat(second.writerIndex()).isZero();
        assertThat(buffers.idleBytes()).isZero();
        second.release();
    }

    @Test
    void smallFramesAreNotPooledAndAMuchLargerArrayIsNotHandedToASmallFrame() {
        FrameBuffers buffers = new FrameBuffers();
        ByteBuf small = buffers.frame(1_000);
        assertThat(small.capacity()).isEqualTo(1_000);
        small.release();
        assertThat(buffers.idleBytes()).isZero();

        ByteBuf big = buffers.frame(1_000_000);
        byte[] bigArray = big.array();
        big.release();
        ByteBuf medium = buffers.frame(100_000);
        assertThat(medium.array()).isNotSameAs(bigArray);
        medium.release();
    }

    @Test
    void keepsAtMostTheIdleBytesLimit() {
        FrameBuffers buffers = new FrameBuffers();
        int size = 3 * 1024 * 1024;
        ByteBuf[] held = new ByteBuf[5];
        for (int i = 0; i < held.length; i++) {
            held[i] = buffers.frame(size);
        }
        for (ByteBuf b : held) {
            b.release();
        }
        assertThat(buffers.idleBytes()).isLessThanOrEqualTo(FrameBuffers.MAX_POOLED_BYTES)
                .isEqualTo(2L * size);
    }
}
