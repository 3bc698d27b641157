package io.rustmq.client.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BincodeWriterTest {
    @Test
    void rawRangeCopiesExactlyThoseBytesAndGrowsPastAWindow() {
        byte[] source = {1, 2, 3, 4, 5, 6};
        byte[] window = new byte[4];
        BincodeWriter w = new BincodeWriter(window, 1, 3);
        w.raw(source, 1, 3);
        assertThat(w.wroteInto(window)).isTrue();
        assertThat(window).containsExactly(0, 2, 3, 4);
        w.raw(source, 4, 2);
        assertThat(w.wroteInto(window)).as("outgrew the window").isFalse();
        assertThat(w.toByteArray()).containsExactly(2, 3, 4, 5, 6);
    }

    @Test
    void rawRangeOutsideTheArrayIsRefusedBeforeWriting() {
        BincodeWriter w = new BincodeWriter();
        assertThatThrownBy(() -> w.raw(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> w.raw(new byte[4], -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(w.size()).isZero();
    }
}
