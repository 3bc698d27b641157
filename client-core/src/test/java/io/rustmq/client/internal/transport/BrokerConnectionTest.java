package io.rustmq.client.internal.transport;

import io.rustmq.client.BrokerErrorException;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.MessageTooLargeException;
import io.rustmq.client.ProtocolException;
import io.rustmq.client.RequestTimeoutException;
import io.rustmq.client.protocol.FetchRequest;
import io.rustmq.client.protocol.FetchResponse;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.Response;
import io.rustmq.client.protocol.WireRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.rustmq.client.internal.transport.TransportTestSupport.config;
import static io.rustmq.client.internal.transport.TransportTestSupport.failureOf;
import static io.rustmq.client.internal.transport.TransportTestSupport.fetch;
import static org.assertj.core.api.Assertions.assertThat;

/** Requests on one connection: concurrency, size limits, hostile servers, statistics. */
class BrokerConnectionTest {
    @TempDir
    static Path dir;
    static TestPki pki;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void certificates() {
        pki = TestPki.in(dir);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        toClose.add(c);
        return c;
    }

    private TestQuicServer server(TestQuicServer.Behaviour behaviour) {
        return closeLater(TestQuicServer.builder(pki.server).behaviour(behaviour).start());
    }

    private BrokerConnection connect(TestQuicServer server, ClientConfig config) throws Exception {
        QuicTransport transport = closeLater(QuicTransport.create(config));
        return closeLater(transport.connect(server.localhost()).get(5, TimeUnit.SECONDS));
    }

    @Test
    void thousandConcurrentRequestsOnOneConnectionAreEachAnsweredOnTheirOwnStream() throws Exception {
        // The server grants 100 concurrent streams, so 900 requests must wait for stream credit.
        TestQuicServer server = closeLater(TestQuicServer.builder(pki.server).maxStreams(100)
                .behaviour(TransportTestSupport::echoFetch).start());
        BrokerConnection c = connect(server, config(pki).requestTimeout(Duration.ofSeconds(20)).build());
        int baseStreams = server.streamsOpened();

        List<CompletableFuture<Response>> futures = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            futures.add(c.send(fetch(1_000_000L + i)));
        }
        CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);

        for (int i = 0; i < 1000; i++) {
            FetchResponse r = (FetchResponse) futures.get(i).getNow(null);
            assertThat(r.highWatermark()).as("response %d", i).isEqualTo(1_000_000L + i);
        }
        assertThat(server.requestStreams()).isEqualTo(1000);
        assertThat(server.streamsOpened() - baseStreams).isGreaterThanOrEqualTo(1000);
        // At most 100 request streams at once (+1: the connect check's stream may not have been reaped yet).
        assertThat(server.maxOpenAtOnce()).isLessThanOrEqualTo(101);
        assertThat(c.inFlightRequests()).isZero();
        assertThat(c.isActive()).isTrue();
    }

    @Test
    void largeResponsesDecodeIntactAndTheNextOfTheirTypeIsReadIntoABufferOfTheLastOnesSize() throws Exception {
        List<WireRecord> records = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            byte[] value = new byte[150];
            java.util.Arrays.fill(value, (byte) i);
            records.add(new WireRecord(null, value, List.of(), i));
        }
        byte[] answer = Frames.encodeResponse(new FetchResponse(records, 2_000, 0, null));
        TestQuicServer server = server((req, stream) -> TestQuicServer.respond(stream, answer));
        BrokerConnection c = connect(server, config(pki).build());
        assertThat(c.responseSizes().hint(io.rustmq.client.protocol.RequestType.FETCH)).isZero();

        for (int i = 0; i < 3; i++) {
            FetchResponse r = (FetchResponse) c.send(fetch(0)).get(10, TimeUnit.SECONDS);
            assertThat(r.records()).isEqualTo(records);
            assertThat(c.responseSizes().hint(io.rustmq.client.protocol.RequestType.FETCH))
                    .isEqualTo(answer.length + answer.length / 4);
        }
    }

    @Test
    void largeProduceFramesArriveIntactAndTheirArraysAreReusedOnceWritten() throws Exception {
        List<byte[]> received = java.util.Collections.synchronizedList(new ArrayList<>());
        TestQuicServer server = server((req, stream) -> {
            received.add(req);
            TestQuicServer.respond(stream, Frames.encodeResponse(
                    new io.rustmq.client.protocol.ProduceResponse(received.size(), 0, null)));
        });
        QuicTransport transport = closeLater(QuicTransport.create(config(pki).build()));
        BrokerConnection c = closeLater(transport.connect(server.localhost()).get(5, TimeUnit.SECONDS));
        List<byte[]> expected = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            List<WireRecord> records = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                byte[] value = new byte[100 + round];
                java.util.Arrays.fill(value, (byte) (round * 31 + i));
                records.add(new WireRecord(null, value, List.of(), i));
            }
            ProduceRequest p = new ProduceRequest("orders", 0, records,
                    io.rustmq.client.protocol.AcknowledgmentLevel.ALL, 1000);
            expected.add(Frames.encodeRequest(p));
            c.send(p).get(10, TimeUnit.SECONDS);
            long idle = transport.frameBuffers().idleBytes();
            assertThat(idle).as("the frame's array is back after round " + round)
                    .isBetween((long) FrameBuffers.MIN_POOLED, 4L * FrameBuffers.MIN_POOLED);
        }
        assertThat(received).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(received.get(i)).as("frame " + i).isEqualTo(expected.get(i));
        }
    }

    @Test
    void requestOverMaxRequestBytesIsRefusedBeforeSending() throws Exception {
        TestQuicServer server = server(TransportTestSupport::echoFetch);
        QuicTransport transport = closeLater(QuicTransport.create(config(pki).maxRequestBytes(1024).build()));
        BrokerConnection c = closeLater(transport.connect(server.localhost()).get(5, TimeUnit.SECONDS));
        int streamsBefore = server.streamsOpened();
        ProduceRequest big = new ProduceRequest("orders", 0, List.of(new WireRecord(null, new byte[2000], List.of(),
                0L)), io.rustmq.client.protocol.AcknowledgmentLevel.LEADER, 1000);

        Throwable e = failureOf(c.send(big), 1);

        assertThat(e).isInstanceOf(MessageTooLargeException.class).hasMessageContaining("maxRequestBytes = 1024");
        assertThat(((MessageTooLargeException) e).size()).isGreaterThan(1024);
        assertThat(server.requestStreams()).isZero();
        assertThat(server.streamsOpened()).isEqualTo(streamsBefore);
        assertThat(transport.stats().requestsSent()).isZero();
        assertThat(transport.stats().bytesSent()).isZero();
        // The connection is still usable.
        assertThat(((FetchResponse) c.send(fetch(5)).get(5, TimeUnit.SECONDS)).highWatermark()).isEqualTo(5);
        assertThat(server.requestStreams()).isEqualTo(1);
    }

    @Test
    void garbageFollowedByEndOfStreamIsAProtocolError() throws Exception {
        TestQuicServer server = server((req, stream) -> TestQuicServer.respond(stream,
                "\u0042 this is not a response".getBytes(StandardCharsets.US_ASCII)));
        BrokerConnection c = connect(server, config(pki).build());

        Throwable e = failureOf(c.send(fetch(1)), 5);

        assertThat(e).isInstanceOf(ProtocolException.class).hasMessageContaining("response type byte 66");
        assertThat(c.isActive()).isTrue();
    }

    @Test
    void truncatedBodyFollowedByEndOfStreamIsAProtocolError() throws Exception {
        TestQuicServer server = server((req, stream) -> TestQuicServer.respond(stream, new byte[] {2, 0, 0, 0}));
        BrokerConnection c = connect(server, config(pki).build());

        Throwable e = failureOf(c.send(fetch(1)), 5);

        assertThat(e).isInstanceOf(ProtocolException.class).hasMessageContaining("truncated");
    }

    @Test
    void endlessResponseFailsAtMaxResponseBytesWithoutExhaustingMemory() throws Exception {
        TestQuicServer server = server((req, stream) -> TestQuicServer.writeForever(stream));
        BrokerConnection c = connect(server, config(pki).maxResponseBytes(64 * 1024).build());

        Throwable e = failureOf(c.send(fetch(1)), 5);

        assertThat(e).isInstanceOf(ProtocolException.class).hasMessageContaining("maxResponseBytes = 65536");
        Throwable raw = failureOf(c.sendFrame(new byte[] {2}, Duration.ofSeconds(5)), 5);
        assertThat(raw).isInstanceOf(ProtocolException.class).hasMessageContaining("maxResponseBytes = 65536");
        // The stream was abandoned, not the connection.
        server.behaviour(TransportTestSupport::echoFetch);
        assertThat(((FetchResponse) c.send(fetch(3)).get(5, TimeUnit.SECONDS)).highWatermark()).isEqualTo(3);
    }

    @Test
    void responseThatNeverEndsTimesOutAfterTheRequestTimeout() throws Exception {
        TestQuicServer server = server((req, stream) -> TestQuicServer.write(stream, new byte[] {2, 1, 0}));
        BrokerConnection c = connect(server, config(pki).requestTimeout(Duration.ofMillis(500)).build());

        long start = System.nanoTime();
        Throwable e = failureOf(c.send(fetch(1)), 5);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(e).isInstanceOf(RequestTimeoutException.class).hasMessageContaining("500 ms");
        assertThat(ms).isBetween(450L, 2000L);
        assertThat(c.inFlightRequests()).isZero();
    }

    @Test
    void emptyResponseIsAProtocolError() throws Exception {
        TestQuicServer server = server((req, stream) -> TestQuicServer.respond(stream, new byte[0]));
        BrokerConnection c = connect(server, config(pki).build());

        Throwable e = failureOf(c.send(fetch(1)), 5);

        assertThat(e).isInstanceOf(ProtocolException.class).hasMessageContaining("empty response");
    }

    @Test
    void errorFrameFailsWithBrokerErrorExceptionCarryingTheText() throws Exception {
        TestQuicServer server = server((req, stream) -> TestQuicServer.respond(stream, Frames.encodeError(
                "Error: boom")));
        BrokerConnection c = connect(server, config(pki).build());

        Throwable e = failureOf(c.send(fetch(1)), 5);

        assertThat(e).isInstanceOf(BrokerErrorException.class);
        assertThat(((BrokerErrorException) e).brokerMessage()).isEqualTo("Error: boom");
    }

    @Test
    void sendFrameReturnsEveryResponseByteEvenNone() throws Exception {
        TestQuicServer server = server((req, stream) -> TestQuicServer.respond(stream,
                req[0] == 42 ? new byte[0] : Frames.encodeError("Error: raw")));
        BrokerConnection c = connect(server, config(pki).build());

        byte[] unknownType = c.sendFrame(new byte[] {42}, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
        byte[] error = c.sendFrame(new byte[] {2, 1, 2, 3}, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);

        assertThat(unknownType).isEmpty();
        assertThat(error).isEqualTo(Frames.encodeError("Error: raw"));
    }

    @Test
    void wholeResponseCompletesBeforeADelayedEndOfStream() throws Exception {
        TestQuicServer server = server((req, stream) -> {
            byte[] response = Frames.encodeResponse(new FetchResponse(List.of(), 77, 0, null));
            TestQuicServer.write(stream, response);
            stream.eventLoop().schedule(() -> TestQuicServer.respond(stream, new byte[0]), 3, TimeUnit.SECONDS);
        });
        BrokerConnection c = connect(server, config(pki).build());

        long start = System.nanoTime();
        FetchResponse r = (FetchResponse) c.send(fetch(1)).get(5, TimeUnit.SECONDS);

        assertThat(r.highWatermark()).isEqualTo(77);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000);
    }

    @Test
    void statsCountRequestsResponsesAndBytesExactly() throws Exception {
        TestQuicServer server = server(TransportTestSupport::echoFetch);
        QuicTransport transport = closeLater(QuicTransport.create(config(pki).maxRequestBytes(64).build()));
        BrokerConnection c = closeLater(transport.connect(server.localhost()).get(5, TimeUnit.SECONDS));
        long frameBytes = 0;
        long responseBytes = 0;
        for (int i = 0; i < 5; i++) {
            frameBytes += Frames.encodeRequest(fetch(i)).length;
            responseBytes += Frames.encodeResponse(new FetchResponse(List.of(), i, 0, null)).length;
            c.send(fetch(i)).get(5, TimeUnit.SECONDS);
        }
        failureOf(c.send(new io.rustmq.client.protocol.FetchRequest("x".repeat(100), 0, 0, 0, 0)), 1);

        TransportStats s = transport.stats();
        assertThat(s.requestsSent()).isEqualTo(5);
        assertThat(s.responsesReceived()).isEqualTo(5);
        assertThat(s.bytesSent()).isEqualTo(frameBytes);
        assertThat(s.bytesReceived()).isEqualTo(responseBytes);
        assertThat(s.errors()).isEqualTo(1);
        assertThat(s.connectionsOpened()).isEqualTo(1);
        assertThat(s.activeConnections()).isEqualTo(1);

        c.close();
        assertThat(s.activeConnections()).isZero();
        assertThat(c.isActive()).isFalse();
        assertThat(c.closeFuture().get(1, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void futuresCompleteOffTheNetworkThreads() throws Exception {
        // The answer comes late, so that the dependent stage is attached before the future completes.
        TestQuicServer server = server((req, stream) -> stream.eventLoop().schedule(
                () -> TransportTestSupport.echoFetch(req, stream), 300, TimeUnit.MILLISECONDS));
        BrokerConnection c = connect(server, config(pki).build());

        String thread = c.send(fetch(1)).thenApply(r -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);

        assertThat(thread).startsWith("rustmq-callback-");
    }

    @Test
    void anInlineRequestCompletesOnTheNetworkThreadAndAMalformedAnswerStillFailsOffIt() throws Exception {
        TestQuicServer server = server((req, stream) -> stream.eventLoop().schedule(
                () -> TransportTestSupport.echoFetch(req, stream), 300, TimeUnit.MILLISECONDS));
        BrokerConnection c = connect(server, config(pki).build());

        String thread = c.sendInline(fetch(1)).thenApply(r -> Thread.currentThread().getName())
                .get(5, TimeUnit.SECONDS);

        assertThat(thread).startsWith("rustmq-quic-");

        TestQuicServer garbage = server((req, stream) -> stream.eventLoop().schedule(() -> TestQuicServer.respond(
                stream, "\u0042 this is not a response".getBytes(StandardCharsets.US_ASCII)), 300,
                TimeUnit.MILLISECONDS));
        BrokerConnection g = connect(garbage, config(pki).build());
        CompletableFuture<String> failedOn = new CompletableFuture<>();
        g.sendInline(fetch(1)).whenComplete((r, e) -> {
            if (e instanceof ProtocolException) {
                failedOn.complete(Thread.currentThread().getName());
            } else {
                failedOn.completeExceptionally(new AssertionError("expected a ProtocolException: " + r + ", " + e));
            }
        });

        assertThat(failedOn.get(5, TimeUnit.SECONDS)).startsWith("rustmq-callback-");
    }

    @Test
    void requestsReachTheBrokerInTheOrderTheyWereSentFromAnyThreadIncludingAResponsesContinuation() throws Exception {
        List<Long> arrived = java.util.Collections.synchronizedList(new ArrayList<>());
        TestQuicServer server = server((req, stream) -> {
            arrived.add(((FetchRequest) Frames.decodeRequest(req)).fetchOffset());
            TransportTestSupport.echoFetch(req, stream);
        });
        BrokerConnection c = connect(server, config(pki).build());
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (long i = 0; i < 300; i++) {
            all.add(c.send(fetch(i)));
        }
        // sent from the network thread that read the answer: its stream opens at once, still after the ones before
        CompletableFuture<String> chained = c.sendInline(fetch(300)).thenCompose(r -> c.sendInline(fetch(301)))
                .thenApply(r -> Thread.currentThread().getName());
        all.add(chained);

        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);

        assertThat(chained.get()).startsWith("rustmq-quic-");
        assertThat(arrived).hasSize(302).isSorted();
    }

    @Test
    void requestsWaitForStreamCreditAndTimeOutSayingSoWhenNoneComes() throws Exception {
        // The broker allows 3 concurrent streams and answers nothing: 3 requests hold the streams, the rest wait.
        TestQuicServer server = closeLater(TestQuicServer.builder(pki.server).maxStreams(3)
                .behaviour((req, stream) -> { }).start());
        BrokerConnection c = connect(server, config(pki).requestTimeout(Duration.ofMillis(600)).build());

        List<CompletableFuture<Response>> futures = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            futures.add(c.send(fetch(i)));
        }
        List<Throwable> failures = new ArrayList<>();
        for (CompletableFuture<Response> f : futures) {
            failures.add(failureOf(f, 5));
        }

        assertThat(failures).allSatisfy(e -> assertThat(e).isInstanceOf(RequestTimeoutException.class));
        assertThat(failures).anySatisfy(e -> assertThat(e).hasMessageContaining("waiting for stream credit"));
        // Not all requests got a stream: the others waited for credit (QUIC limits how many streams were ever
        // opened; the server grants more as streams complete).
        assertThat(server.requestStreams()).isLessThan(8);
        assertThat(c.isActive()).isTrue();
    }

    @Test
    void largeWholeResponseCompletesBeforeADelayedEndOfStream() throws Exception {
        List<io.rustmq.client.protocol.WireRecord> records = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            records.add(new io.rustmq.client.protocol.WireRecord(null, new byte[1000], List.of(), i));
        }
        byte[] response = Frames.encodeResponse(new FetchResponse(records, 300, 0, null));
        assertThat(response.length).isGreaterThan(256 * 1024);
        TestQuicServer server = server((req, stream) -> {
            TestQuicServer.write(stream, response);
            stream.eventLoop().schedule(() -> TestQuicServer.respond(stream, new byte[0]), 4, TimeUnit.SECONDS);
        });
        BrokerConnection c = connect(server, config(pki).build());

        long start = System.nanoTime();
        FetchResponse r = (FetchResponse) c.send(fetch(0)).get(5, TimeUnit.SECONDS);

        assertThat(r.records()).hasSize(300);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000);
    }

    @Test
    void streamResetByTheBrokerFailsTheRequestButNotTheConnection() throws Exception {
        TestQuicServer server = server((req, stream) -> stream.shutdownOutput(7));
        BrokerConnection c = connect(server, config(pki).build());

        Throwable e = failureOf(c.send(fetch(1)), 5);

        assertThat(e).isInstanceOf(io.rustmq.client.ConnectionException.class).hasMessageContaining("reset")
                .hasMessageContaining("error code 7");
        server.behaviour(TransportTestSupport::echoFetch);
        assertThat(((FetchResponse) c.send(fetch(2)).get(5, TimeUnit.SECONDS)).highWatermark()).isEqualTo(2);
    }
}
