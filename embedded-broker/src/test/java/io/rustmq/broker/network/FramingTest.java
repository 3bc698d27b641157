package io.rustmq.broker.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rustmq.broker.EmbeddedBroker;
import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.protocol.AcknowledgmentLevel;
import io.rustmq.client.protocol.FetchRequest;
import io.rustmq.client.protocol.FetchResponse;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.MetadataRequest;
import io.rustmq.client.protocol.MetadataResponse;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.ProduceResponse;
import io.rustmq.client.protocol.RequestType;
import io.rustmq.client.protocol.WireRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stream framing through the real QUIC server on loopback (spec §3). */
class FramingTest {
    static final String EOF = "Error: Serialization error: io error: unexpected end of file";

    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder()
            .topic("framing", 1)
            .configure(b -> b.maxRequestBytes(4096))
            .build();

    static QuicTestClient client;

    @BeforeAll
    static void connect() throws Exception {
        client = QuicTestClient.connect(BROKER.broker().address(), BROKER.certificatePem(), null);
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.close();
        }
    }

    static String text(byte[] frame) {
        assertThat(frame).isNotEmpty();
        assertThat(frame[0] & 0xFF).as("error marker").isEqualTo(0xFF);
        return new String(frame, 1, frame.length - 1, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "type byte {0}")
    @ValueSource(ints = {0, 10, 0x72, 0xFF})
    void unknownTypeByteGetsAZeroByteResponse(int type) throws Exception {
        assertThat(client.exchange(new byte[] {(byte) type, 8, 0, 0, 0, 0, 0, 0, 0})).isEmpty();
    }

    @Test
    void finWithoutDataGetsAZeroByteResponse() throws Exception {
        assertThat(client.exchange(new byte[0])).isEmpty();
    }

    @Test
    void emptyMetadataPayloadGetsTheEofError() throws Exception {
        byte[] response = client.exchange(new byte[] {3});
        assertThat(HexFormat.of().formatHex(response)).isEqualTo(
                "ff4572726f723a2053657269616c697a6174696f6e206572726f723a20696f206572726f723a20756e657870656374656"
                        + "420656e64206f662066696c65");
        assertThat(text(response)).isEqualTo(EOF);
    }

    static Stream<Arguments> decodeErrorVectors() throws Exception {
        JsonNode root;
        try (InputStream in = FramingTest.class.getResourceAsStream("/protocol/vectors.json")) {
            root = new ObjectMapper().readTree(in);
        }
        List<Arguments> out = new ArrayList<>();
        for (JsonNode v : root) {
            String message = v.path("value").path("message").asText("");
            if (v.path("type").asText().equals("ErrorResponse") && message.contains("Serialization error")) {
                out.add(Arguments.of(v.path("description").asText(), v.path("request_frame_hex").asText(), message));
            }
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(6);
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decodeErrorVectors")
    void decodeErrorVectorsGetAnErrorFrame(String description, String requestHex, String expected) throws Exception {
        byte[] response = client.exchange(HexFormat.of().parseHex(requestHex));
        String text = text(response);
        assertThat(text).startsWith("Error: Serialization error: ");
        if (expected.equals(EOF)) {
            assertThat(text).isEqualTo(EOF);
        }
    }

    @Test
    void answersAsSoonAsTheBodyIsCompleteWithoutWaitingForFin() throws Exception {
        QuicTestClient.Exchange ex = client.send(Frames.encodeRequest(new MetadataRequest(List.of())), false);
        byte[] response = QuicTestClient.get(ex.response());
        assertThat(Frames.decodeResponse(RequestType.METADATA, response)).isInstanceOf(MetadataResponse.class);
        ex.finish();
    }

    @Test
    void bytesAfterACompleteBodyAreIgnored() throws Exception {
        byte[] frame = Frames.encodeRequest(new MetadataRequest(List.of()));
        byte[] padded = Arrays.copyOf(frame, frame.length + 5);
        Arrays.fill(padded, frame.length, padded.length, (byte) 0xEE);
        assertThat(Frames.decodeResponse(RequestType.METADATA, client.exchange(padded)))
                .isInstanceOf(MetadataResponse.class);
    }

    @Test
    void finWithAnIncompleteBodyGetsTheEofError() throws Exception {
        byte[] frame = Frames.encodeRequest(new FetchRequest("framing", 0, 0, 100, 0));
        assertThat(text(client.exchange(Arrays.copyOf(frame, frame.length - 1)))).isEqualTo(EOF);
    }

    @Test
    void aBodySentInPiecesIsDecodedOnceComplete() throws Exception {
        byte[] frame = Frames.encodeRequest(new MetadataRequest(List.of("a", "b")));
        QuicTestClient.Exchange ex = client.send(Arrays.copyOf(frame, 3), false);
        Thread.sleep(50);
        assertThat(ex.response()).isNotDone();
        ex.stream().writeAndFlush(ex.stream().alloc().directBuffer().writeBytes(frame, 3, frame.length - 3))
                .addListener(io.netty.incubator.codec.quic.QuicStreamChannel.SHUTDOWN_OUTPUT);
        assertThat(Frames.decodeResponse(RequestType.METADATA, QuicTestClient.get(ex.response())))
                .isInstanceOf(MetadataResponse.class);
    }

    @Test
    void aFrameAtTheLimitIsServedAndOneByteMoreIsRefusedAsTooLarge() throws Exception {
        int limit = 4096;
        byte[] atLimit = produceFrameOfSize(limit);
        assertThat(atLimit).hasSize(limit);
        assertThat(Frames.decodeResponse(RequestType.PRODUCE, client.exchange(atLimit)))
                .isInstanceOf(ProduceResponse.class);
        byte[] over = produceFrameOfSize(limit + 1);
        assertThat(text(client.exchange(over))).startsWith("Error: ").contains("too large").contains("4096");
        byte[] wayOver = produceFrameOfSize(200_000);
        assertThat(text(client.exchange(wayOver))).contains("too large");
    }

    @Test
    void unfinishedOversizedFrameIsRefusedWithoutWaitingForFin() throws Exception {
        QuicTestClient.Exchange ex = client.send(produceFrameOfSize(10_000), false);
        assertThat(text(QuicTestClient.get(ex.response()))).contains("too large");
        ex.finish();
    }

    @Test
    void aRequestLargerThanOnePacketIsAnsweredWithoutFinOnceItStopsGrowing() throws Exception {
        // larger than FrameAccumulator.EAGER_DECODE_LIMIT: decoded at FIN, or here, where FIN is held back, once the
        // frame has stopped growing
        QuicTestClient.Exchange ex = client.send(produceFrameOfSize(3_000), false);
        byte[] response = QuicTestClient.get(ex.response());
        assertThat(Frames.decodeResponse(RequestType.PRODUCE, response)).isInstanceOf(ProduceResponse.class);
        ex.finish();
        assertThat(Frames.decodeResponse(RequestType.PRODUCE, client.exchange(produceFrameOfSize(3_000))))
                .as("the same size with FIN").isInstanceOf(ProduceResponse.class);
    }

    static byte[] produceFrameOfSize(int size) {
        int overhead = Frames.encodeRequest(new ProduceRequest("framing", 0,
                List.of(new WireRecord(null, new byte[0], List.of(), 0)), AcknowledgmentLevel.LEADER, 0)).length;
        byte[] value = new byte[size - overhead];
        Arrays.fill(value, (byte) 'x');
        return Frames.encodeRequest(new ProduceRequest("framing", 0,
                List.of(new WireRecord(null, value, List.of(), 0)), AcknowledgmentLevel.LEADER, 0));
    }

    @Test
    void manyConcurrentStreamsOnOneConnectionAreAllAnswered() throws Exception {
        List<CompletableFuture<byte[]>> futures = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            futures.add(client.send(Frames.encodeRequest(new ProduceRequest("framing", 0,
                    List.of(new WireRecord(null, ("c" + i).getBytes(StandardCharsets.UTF_8), List.of(), 0)),
                    AcknowledgmentLevel.LEADER, 0)), true).response());
        }
        List<Long> offsets = new ArrayList<>();
        for (CompletableFuture<byte[]> f : futures) {
            ProduceResponse r = (ProduceResponse) Frames.decodeResponse(RequestType.PRODUCE,
                    f.get(QuicTestClient.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            offsets.add(r.offset());
        }
        assertThat(offsets).doesNotHaveDuplicates().hasSize(300);
    }

    @Test
    void aLargeFetchResponseArrivesWhole() throws Exception {
        EmbeddedBroker broker = BROKER.broker();
        broker.createTopic("big", 1);
        byte[] value = new byte[60_000];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        for (int i = 0; i < 40; i++) {
            broker.topicRegistry().partition("big", 0).append(List.of(new WireRecord(null, value, List.of(), 0)), 1);
        }
        FetchResponse r = (FetchResponse) client.request(new FetchRequest("big", 0, 0, 16 << 20, 0));
        assertThat(r.records()).hasSize(40);
        assertThat(r.records()).allSatisfy(rec -> assertThat(rec.value()).isEqualTo(value));
        assertThat(r.highWatermark()).isEqualTo(40);
    }

    @Test
    void aClientOfferingAnotherAlpnIsRefusedAndTheServerKeepsAcceptingOthers() throws Exception {
        assertThatThrownBy(() -> {
            try (QuicTestClient c = QuicTestClient.connect(BROKER.broker().address(), null, null, "h3", 2)) {
                c.exchange(Frames.encodeRequest(new MetadataRequest(List.of())));
            }
        }).isInstanceOf(Exception.class);
        try (QuicTestClient c = QuicTestClient.connect(BROKER.broker().address(), null, null)) {
            assertThat(c.request(new MetadataRequest(List.of()))).isInstanceOf(MetadataResponse.class);
        }
    }
}
