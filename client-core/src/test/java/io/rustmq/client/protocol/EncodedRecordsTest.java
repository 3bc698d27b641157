package io.rustmq.client.protocol;

import io.rustmq.client.ProtocolException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncodedRecordsTest {
    private static final List<WireRecord> RECORDS = List.of(
            new WireRecord(null, bytes("plain"), List.of(), 1_000),
            new WireRecord(bytes("k"), new byte[0], List.of(), 1_001),
            new WireRecord(new byte[0], bytes("with headers"),
                    List.of(new WireHeader("trace", bytes("abc")), new WireHeader("naïve", new byte[0]),
                            new WireHeader("trace", bytes("again"))), 1_002));

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] frame() {
        return Frames.encodeResponse(new FetchResponse(RECORDS, 42, 0, null));
    }

    private static FetchResponse decode(byte[] frame) {
        return (FetchResponse) Frames.decodeResponse(RequestType.FETCH, frame);
    }

    @Test
    void decodedRecordsAreEqualToTheEncodedOnesAndEachReadIsAFreshCopy() {
        FetchResponse r = decode(frame());
        assertThat(r.records()).isInstanceOf(EncodedRecords.class).hasSize(3).isEqualTo(RECORDS);
        assertThat(RECORDS).isEqualTo(r.records());
        assertThat(r.highWatermark()).isEqualTo(42);
        WireRecord first = r.records().get(0);
        WireRecord again = r.records().get(0);
        assertThat(first).isEqualTo(again).isNotSameAs(again);
        assertThat(first.value()).isNotSameAs(again.value());
        assertThat(r).isEqualTo(new FetchResponse(RECORDS, 42, 0, null));
        assertThatThrownBy(() -> r.records().get(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> r.records().add(RECORDS.get(0))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void sizeEstimateCountsRecordAndHeaderOverheadsWithKeyValueAndHeaderLengths() {
        EncodedRecords records = (EncodedRecords) decode(frame()).records();
        long expected = 3L * EncodedRecords.RECORD_OVERHEAD + 5 + (1 + 0) + (0 + 12)
                + (EncodedRecords.HEADER_OVERHEAD + 5 + 3) + (EncodedRecords.HEADER_OVERHEAD + 6 + 0)
                + (EncodedRecords.HEADER_OVERHEAD + 5 + 5);
        assertThat(records.sizeEstimate()).isEqualTo(expected);
    }

    @Test
    void everyStrictPrefixIsIncompleteAndTryDecodeWaitsForMore() {
        byte[] frame = frame();
        for (int len = 1; len < frame.length; len++) {
            byte[] prefix = Arrays.copyOf(frame, len);
            assertThat(Frames.tryDecodeResponse(RequestType.FETCH, prefix, len)).as("prefix of %d bytes", len)
                    .isNull();
        }
        assertThat(Frames.tryDecodeResponse(RequestType.FETCH, frame, frame.length)).isEqualTo(decode(frame));
    }

    @Test
    void aMalformedRecordFailsTheDecodeNotALaterRead() {
        byte[] badTag = frame();
        badTag[1 + 8] = 7; // the first record's key Option tag
        assertThatThrownBy(() -> decode(badTag)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("Option tag 7");

        byte[] badName = frame();
        int at = indexOf(badName, bytes("naïve"));
        badName[at + 2] = (byte) 0xFF; // not UTF-8
        assertThatThrownBy(() -> decode(badName)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("not valid UTF-8");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
