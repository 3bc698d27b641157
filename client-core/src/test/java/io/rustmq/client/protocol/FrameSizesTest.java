package io.rustmq.client.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameSizesTest {

    @Test
    void hintsTheLastFrameOfTheSameTypePlusAQuarter() {
        FrameSizes sizes = new FrameSizes();
        assertThat(sizes.hint(RequestType.FETCH)).as("nothing seen yet").isZero();
        sizes.record(RequestType.FETCH, 1_000_000);
        sizes.record(RequestType.PRODUCE, 400);
        assertThat(sizes.hint(RequestType.FETCH)).isEqualTo(1_250_000);
        assertThat(sizes.hint(RequestType.PRODUCE)).isEqualTo(500);
        sizes.record(RequestType.FETCH, 80);
        assertThat(sizes.hint(RequestType.FETCH)).as("the last one counts, not the largest").isEqualTo(100);
    }

    @Test
    void ignoresUnknownTypesAndNegativeSizesAndNeverOverflows() {
        FrameSizes sizes = new FrameSizes();
        sizes.record(null, 100);
        sizes.record(RequestType.METADATA, -1);
        assertThat(sizes.hint(null)).isZero();
        assertThat(sizes.hint(RequestType.METADATA)).isZero();
        sizes.record(RequestType.METADATA, Integer.MAX_VALUE);
        assertThat(sizes.hint(RequestType.METADATA)).isEqualTo(Integer.MAX_VALUE - 8);
    }
}
