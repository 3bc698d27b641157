package io.rustmq.client.internal.consumer;

import io.rustmq.client.protocol.FetchResponse;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetOutOfRangeTest {
    @Test
    void theProfilesAnswerYieldsTheLogStart() {
        FetchResponse r = new FetchResponse(List.of(), 900, 1, "OffsetOutOfRange: log start 500, high watermark 900");
        assertThat(OffsetOutOfRange.logStart(r)).isEqualTo(500);
    }

    @Test
    void theShippedBrokersStorageErrorIsNotOutOfRange() {
        assertThat(OffsetOutOfRange.logStart(1, "Failed to fetch records")).isEqualTo(OffsetOutOfRange.NOT_OUT_OF_RANGE);
        assertThat(OffsetOutOfRange.logStart(1, null)).isEqualTo(OffsetOutOfRange.NOT_OUT_OF_RANGE);
    }

    @Test
    void anotherCodeOrAnUnparsableTextIsNotOutOfRange() {
        assertThat(OffsetOutOfRange.logStart(2, "OffsetOutOfRange: log start 5, high watermark 9"))
                .isEqualTo(OffsetOutOfRange.NOT_OUT_OF_RANGE);
        assertThat(OffsetOutOfRange.logStart(1, "OffsetOutOfRange: somewhere"))
                .isEqualTo(OffsetOutOfRange.NOT_OUT_OF_RANGE);
        assertThat(OffsetOutOfRange.logStart(1, "OffsetOutOfRange: log start x"))
                .isEqualTo(OffsetOutOfRange.NOT_OUT_OF_RANGE);
        assertThat(OffsetOutOfRange.logStart(1, "Error: OffsetOutOfRange: log start 5, high watermark 9"))
                .isEqualTo(OffsetOutOfRange.NOT_OUT_OF_RANGE);
    }

    @Test
    void aLargeLogStartParses() {
        assertThat(OffsetOutOfRange.logStart(1, "OffsetOutOfRange: log start 1099511627776, high watermark 1099511627999"))
                .isEqualTo(1L << 40);
    }
}
