package io.rustmq.client.protocol;

import io.rustmq.client.BrokerErrorException;
import io.rustmq.client.ProtocolException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Checks the codec against every golden vector produced by the real bincode 1.3.3 crate. */
class FramesTest {
    private static final List<GoldenVectors.Vector> VECTORS = GoldenVectors.all();

    @Test
    void allSixtySixVectorsAreLoaded() {
        assertThat(VECTORS).hasSize(66);
    }

    @Test
    void aFetchResponseIsEncodedIntoAnExactlySizedFrameEqualToAGrowingWritersBytes() {
        FetchResponse response = new FetchResponse(List.of(
                new WireRecord(null, "v".getBytes(StandardCharsets.UTF_8), List.of(), 1),
                new WireRecord(new byte[2], new byte[0], List.of(new WireHeader("naïve", new byte[3])), 2)),
                42, 1, "Error: naïve");
        BincodeWriter w = new BincodeWriter(1);
        w.u8(RequestType.FETCH.code());
        response.encode(w);
        assertThat(1 + response.encodedSize()).isEqualTo(w.size());
        assertThat(Frames.encodeResponse(response)).isEqualTo(w.toByteArray());
    }

    @TestFactory
    Stream<DynamicTest> requestVectorsEncodeToTheGoldenBytesAndDecodeToTheirValue() {
        return VECTORS.stream().filter(GoldenVectors::isRequest).map(v -> DynamicTest.dynamicTest(v.toString(), () -> {
            Request expected = GoldenVectors.request(v);
            assertThat(expected.type().code()).isEqualTo(v.requestTypeByte());
            byte[] frame = Frames.encodeRequest(expected);
            assertSameBytesModuloMapOrder(v, frame, v.frame());
            Request decoded = Frames.decodeRequest(v.frame());
            assertThat(normalize(decoded)).isEqualTo(normalize(expected));
        }));
    }

    @TestFactory
    Stream<DynamicTest> responseVectorsEncodeToTheGoldenBytesAndDecodeToTheirValue() {
        return VECTORS.stream().filter(GoldenVectors::isResponse).map(v -> DynamicTest.dynamicTest(v.toString(), () -> {
            Response expected = GoldenVectors.response(v);
            byte[] frame = Frames.encodeResponse(expected);
            assertSameBytesModuloMapOrder(v, frame, v.frame());
            Response decoded = Frames.decodeResponse(expected.type(), v.frame());
            assertThat(normalize(decoded)).isEqualTo(normalize(expected));
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyStrictPrefixOfEveryVectorIsRejectedAsIncomplete() {
        return VECTORS.stream().filter(v -> GoldenVectors.isRequest(v) || GoldenVectors.isResponse(v))
                .map(v -> DynamicTest.dynamicTest(v.toString(), () -> {
                    RequestType type = RequestType.fromCode(v.requestTypeByte());
                    for (int len = 0; len < v.payload().length; len++) {
                        BincodeReader r = new BincodeReader(Arrays.copyOf(v.payload(), len));
                        int cut = len;
                        assertThatThrownBy(() -> decodeBody(v, type, r))
                                .as("prefix of %d bytes", cut)
                                .isInstanceOf(IncompleteFrameException.class);
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> trailingBytesAfterACompleteBodyAreIgnored() {
        return VECTORS.stream().filter(v -> GoldenVectors.isRequest(v) || GoldenVectors.isResponse(v))
                .map(v -> DynamicTest.dynamicTest(v.toString(), () -> {
                    RequestType type = RequestType.fromCode(v.requestTypeByte());
                    byte[] padded = Arrays.copyOf(v.payload(), v.payload().length + 2);
                    padded[padded.length - 1] = 0x7F;
                    padded[padded.length - 2] = (byte) 0xFF;
                    BincodeReader r = new BincodeReader(padded);
                    Object decoded = decodeBody(v, type, r);
                    assertThat(r.remaining()).isEqualTo(2);
                    Object expected = GoldenVectors.isRequest(v) ? GoldenVectors.request(v) : GoldenVectors.response(v);
                    assertThat(normalize(decoded)).isEqualTo(normalize(expected));
                }));
    }

    @TestFactory
    Stream<DynamicTest> acknowledgmentLevelVectorsMatch() {
        return VECTORS.stream().filter(v -> v.type().equals("AcknowledgmentLevel"))
                .map(v -> DynamicTest.dynamicTest(v.toString(), () -> {
                    AcknowledgmentLevel expected = GoldenVectors.acks(v.value());
                    BincodeWriter w = new BincodeWriter();
                    expected.encode(w);
                    assertThat(w.toByteArray()).isEqualTo(v.payload());
                    assertThat(AcknowledgmentLevel.decode(new BincodeReader(v.payload()))).isEqualTo(expected);
                }));
    }

    @TestFactory
    Stream<DynamicTest> errorFramesBecomeBrokerErrorsWithTheTextKept() {
        return VECTORS.stream().filter(v -> v.type().equals("ErrorResponse"))
                .map(v -> DynamicTest.dynamicTest(v.toString(), () -> {
                    String text = v.value().get("message").asText();
                    assertThat(Frames.encodeError(text)).isEqualTo(v.frame());
                    RequestType type = RequestType.fromCode(v.requestTypeByte());
                    assertThatThrownBy(() -> Frames.decodeResponse(type, v.frame()))
                            .isInstanceOfSatisfying(BrokerErrorException.class,
                                    e -> assertThat(e.brokerMessage()).isEqualTo(text));
                }));
    }

    @TestFactory
    Stream<DynamicTest> requestsThatTheBrokerRejectsAreRejectedByTheDecoderToo() {
        // The ErrorResponse vectors that come from decoding (not from broker state) must fail to decode here too.
        return VECTORS.stream().filter(v -> v.type().equals("ErrorResponse")
                        && v.value().get("message").asText().contains("Serialization error"))
                .map(v -> DynamicTest.dynamicTest(v.toString(), () ->
                        assertThatThrownBy(() -> Frames.decodeRequest(v.requestFrame()))
                                .isInstanceOf(ProtocolException.class)));
    }

    @Test
    void anEmptyResponseIsAProtocolErrorNotAHang() {
        GoldenVectors.Vector none = VECTORS.stream().filter(v -> v.type().equals("NoResponse")).findFirst().orElseThrow();
        assertThat(none.frame()).isEmpty();
        assertThat(RequestType.fromCode(none.requestFrame()[0] & 0xFF)).isNull();
        assertThatThrownBy(() -> Frames.decodeResponse(RequestType.METADATA, none.frame()))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("empty response");
    }

    @Test
    void aResponseOfAnotherTypeIsAProtocolError() {
        byte[] heartbeatOk = {6, 0, 0, 0, 0};
        assertThatThrownBy(() -> Frames.decodeResponse(RequestType.COMMIT_OFFSET, heartbeatOk))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void aTruncatedResponseAtEndOfStreamIsAProtocolError() {
        byte[] cut = {1, 0, 0, 0};
        assertThatThrownBy(() -> Frames.decodeResponse(RequestType.PRODUCE, cut))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void tryDecodeWaitsForMoreBytesThenCompletes() {
        byte[] frame = Frames.encodeResponse(new ProduceResponse(41, 0, null));
        for (int len = 0; len < frame.length; len++) {
            assertThat(Frames.tryDecodeResponse(RequestType.PRODUCE, frame, len)).as("prefix %d", len).isNull();
        }
        assertThat(Frames.tryDecodeResponse(RequestType.PRODUCE, frame, frame.length))
                .isEqualTo(new ProduceResponse(41, 0, null));
        byte[] error = Frames.encodeError("Error: x");
        assertThat(Frames.tryDecodeResponse(RequestType.PRODUCE, error, error.length)).isNull();
    }

    @Test
    void invalidUtf8InAStringIsRejected() {
        byte[] body = {2, 0, 0, 0, 0, 0, 0, 0, 0x61, (byte) 0xFF};
        assertThatThrownBy(() -> FindCoordinatorRequest.decode(new BincodeReader(body)))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void utf8LengthMatchesTheEncoder() {
        for (String s : List.of("", "orders", "événements-日本", "trace-é😀", "\uD800lone", "x\uDC00")) {
            assertThat(Frames.utf8Length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void produceRequestSizeIsComputedWithoutEncoding() {
        for (GoldenVectors.Vector v : VECTORS) {
            if (v.type().equals("ProduceRequest")) {
                ProduceRequest r = (ProduceRequest) GoldenVectors.request(v);
                assertThat(ProduceRequest.encodedSize(r.topic(), r.records(), r.acks())).as(v.description())
                        .isEqualTo(v.payload().length);
            }
        }
    }

    private static Object decodeBody(GoldenVectors.Vector v, RequestType type, BincodeReader r) {
        return GoldenVectors.isRequest(v) ? Frames.decodeRequestBody(type, r) : Frames.decodeResponseBody(type, r);
    }

    /** Maps are compared as sets: the broker's HashMap order is arbitrary. */
    private static Object normalize(Object value) {
        if (value instanceof JoinGroupResponse j) {
            return new JoinGroupResponse(j.generationId(), j.memberId(), j.leaderId(),
                    new HashMap<>(j.assignedPartitions()), j.errorCode());
        }
        if (value instanceof CommitOffsetRequest c) {
            return new CommitOffsetRequest(c.groupId(), c.memberId(), c.generationId(), new HashMap<>(c.offsets()));
        }
        if (value instanceof FetchOffsetResponse f) {
            return new FetchOffsetResponse(new HashMap<>(f.offsets()), f.errorCode());
        }
        return value;
    }

    /**
     * Byte-exact for everything but maps with two or more entries, whose entry order is free: for those the frame
     * must have the golden length and decode to the same value.
     */
    private static void assertSameBytesModuloMapOrder(GoldenVectors.Vector v, byte[] actual, byte[] golden) {
        if (Arrays.equals(actual, golden)) {
            return;
        }
        assertThat(hasMultiEntryMap(v)).as("bytes differ for %s", v).isTrue();
        assertThat(actual).hasSameSizeAs(golden);
        Map<?, ?> a = mapOf(v, actual);
        Map<?, ?> g = mapOf(v, golden);
        assertThat(new HashSet<>(a.entrySet())).isEqualTo(new HashSet<>(g.entrySet()));
    }

    private static boolean hasMultiEntryMap(GoldenVectors.Vector v) {
        JsonNodeSize size = key -> v.value().has(key) ? v.value().get(key).size() : 0;
        return size.of("assigned_partitions") > 1 || size.of("offsets") > 1;
    }

    private interface JsonNodeSize {
        int of(String key);
    }

    private static Map<?, ?> mapOf(GoldenVectors.Vector v, byte[] frame) {
        RequestType type = RequestType.fromCode(frame[0] & 0xFF);
        Object o = v.direction().equals("request") ? Frames.decodeRequest(frame)
                : Frames.decodeResponse(type, frame);
        if (o instanceof JoinGroupResponse j) {
            return j.assignedPartitions();
        }
        if (o instanceof CommitOffsetRequest c) {
            return c.offsets();
        }
        return ((FetchOffsetResponse) o).offsets();
    }

    private static ProduceRequest produceOf(int records, int valueBytes) {
        List<WireRecord> rs = new java.util.ArrayList<>();
        for (int i = 0; i < records; i++) {
            byte[] v = new byte[valueBytes];
            Arrays.fill(v, (byte) i);
            rs.add(new WireRecord(i % 2 == 0 ? null : new byte[] {1, 2}, v,
                    i % 3 == 0 ? List.of(new WireHeader("h", new byte[] {9})) : List.of(), i));
        }
        return new ProduceRequest("orders", 3, rs, AcknowledgmentLevel.ALL, 30_000);
    }

    @Test
    void aProduceFrameEncodedIntoACallersWindowHasTheBytesOfItsOwnEncodingAndTheExactSizeAhead() {
        ProduceRequest p = produceOf(50, 70);
        byte[] own = Frames.encodeRequest(p);
        assertThat(Frames.exactRequestSize(p)).isEqualTo(own.length);
        assertThat(Frames.exactRequestSize(new MetadataRequest(List.of()))).isEqualTo(-1);

        byte[] dst = new byte[own.length + 20];
        Arrays.fill(dst, (byte) 0x5A);
        int n = Frames.encodeRequest(p, dst, 7, own.length);

        assertThat(n).isEqualTo(own.length);
        assertThat(Arrays.copyOfRange(dst, 7, 7 + n)).isEqualTo(own);
        assertThat(Arrays.copyOfRange(dst, 0, 7)).containsOnly(0x5A);
        assertThat(Arrays.copyOfRange(dst, 7 + n, dst.length)).containsOnly(0x5A);
    }

    @Test
    void aFrameThatDoesNotFitTheWindowIsReportedAndNothingPastTheWindowIsWritten() {
        ProduceRequest p = produceOf(10, 40);
        byte[] own = Frames.encodeRequest(p);
        byte[] dst = new byte[own.length];
        Arrays.fill(dst, (byte) 0x5A);

        assertThat(Frames.encodeRequest(p, dst, 0, own.length - 30)).isEqualTo(-1);
        assertThat(Arrays.copyOfRange(dst, own.length - 30, own.length)).containsOnly(0x5A);
        assertThatThrownBy(() -> Frames.encodeRequest(p, dst, 10, own.length))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aWriterOnAWindowCountsFromItsStartAndResetsToIt() {
        byte[] dst = new byte[32];
        BincodeWriter w = new BincodeWriter(dst, 4, 12);
        w.u32(7).u64(8);
        assertThat(w.size()).isEqualTo(12);
        assertThat(w.wroteInto(dst)).isTrue();
        assertThat(w.toByteArray()).isEqualTo(new BincodeWriter().u32(7).u64(8).toByteArray());
        w.reset();
        w.u8(1).string("grows past the window");
        assertThat(w.wroteInto(dst)).isFalse();
        assertThat(w.toByteArray()).isEqualTo(new BincodeWriter().u8(1).string("grows past the window")
                .toByteArray());
    }
}
