package io.rustmq.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.protocol.MetadataRequest;
import io.rustmq.client.protocol.MetadataResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that misbehaves on purpose, over real QUIC: a request stream that never ends is cut at the broker's
 * request limit with an error and the connection stays usable; streams opened and abandoned (2,000 in the default
 * build, 10,000 with {@code rustmq.soak=true}) leave no growth of the heap after GC, every one of them hands its
 * stream credit back, and the connection still serves requests.
 */
class HostileClientTest {
    private static final int LIMIT = 64 * 1024;
    private static final int ABANDONED = Boolean.getBoolean("rustmq.soak") ? 10_000 : 2_000;

    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder()
            .topic("hostile", 1)
            .configure(b -> b.maxRequestBytes(LIMIT))
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

    private static void assertConnectionServesRequests() throws Exception {
        assertThat(client.isActive()).isTrue();
        // right after many abandoned streams the broker may not have handed their credit back yet: wait for it
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                assertThat(client.request(new MetadataRequest(List.of()))).isInstanceOf(MetadataResponse.class);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (!String.valueOf(e.getCause()).contains("STREAM_LIMIT") || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(2);
            }
        }
    }

    @Test
    void aRequestStreamThatNeverEndsIsCutAtTheLimitAndTheConnectionStaysUsable() throws Exception {
        // a Produce request whose one record claims a 100 MB key, then key bytes for as long as the broker lets the
        // stream live: the body never completes
        java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        head.put((byte) 1).putLong(7).put("hostile".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(0)
                .putLong(1).put((byte) 1).putLong(100_000_000L);
        QuicTestClient.Exchange ex = client.send(java.util.Arrays.copyOf(head.array(), head.position()), false);
        QuicStreamChannel stream = ex.stream();
        byte[] chunk = new byte[8 * 1024];
        long written = 0;
        // at most 64 MiB, a thousand times the limit: the answer must come long before
        while (!ex.response().isDone() && written < 64L << 20 && stream.isActive()) {
            ByteBuf buf = stream.alloc().directBuffer(chunk.length).writeBytes(chunk);
            stream.writeAndFlush(buf).await(QuicTestClient.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            written += chunk.length;
        }
        byte[] answer = QuicTestClient.get(ex.response());
        assertThat(answer[0] & 0xFF).as("error frame").isEqualTo(0xFF);
        assertThat(new String(answer, 1, answer.length - 1, java.nio.charset.StandardCharsets.UTF_8))
                .contains("too large");
        assertThat(written).as("bytes written before the broker refused the stream").isLessThan(64L << 20);
        stream.close().await(QuicTestClient.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertConnectionServesRequests();
    }

    private static QuicTestClient.Exchange openWithCredit(byte[] partial) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return client.send(partial, false);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!String.valueOf(e.getCause()).contains("STREAM_LIMIT") || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(2);
            }
        }
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void abandonedStreamsLeaveNoGrowthAndTheConnectionServesRequests() throws Exception {
        byte[] partial = {1, 7, 0, 0, 0, 0, 0, 0, 0, 'h', 'o'};
        abandon(partial, 500);
        long before = heapAfterGc();
        abandon(partial, ABANDONED);
        assertConnectionServesRequests();
        long after = heapAfterGc();
        assertThat(after - before).as("heap growth after %d abandoned streams (bytes)", ABANDONED)
                .isLessThan(16L * 1024 * 1024);
    }

    /**
     * Opens streams in waves of 100, each with a partial frame and no FIN, then closes them unanswered. The broker
     * hands stream credit back as abandoned streams are collected; a stream that cannot be opened for lack of credit
     * is retried for up to 30 s, so streams the broker never released would fail the test here.
     */
    private static void abandon(byte[] partial, int n) throws Exception {
        for (int done = 0; done < n; done += 100) {
            List<QuicTestClient.Exchange> wave = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                wave.add(openWithCredit(partial));
            }
            for (QuicTestClient.Exchange ex : wave) {
                assertThat(ex.stream().close().await(QuicTestClient.TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
            }
        }
    }
}
