package io.rustmq.client.internal.transport;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.protocol.FetchRequest;
import io.rustmq.client.protocol.FetchResponse;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.Request;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Shared helpers for the transport tests. */
final class TransportTestSupport {
    private TransportTestSupport() {
    }

    /** A configuration that trusts the test CA, with short timeouts. */
    static ClientConfig.Builder config(TestPki pki) {
        return ClientConfig.builder()
                .connectTimeout(Duration.ofSeconds(3))
                .requestTimeout(Duration.ofSeconds(5))
                .tls(TlsConfig.builder().caCert(pki.ca.certPem()).build());
    }

    /** Answers a FetchRequest with a FetchResponse whose high watermark echoes the fetch offset. */
    static void echoFetch(byte[] request, io.netty.incubator.codec.quic.QuicStreamChannel stream) {
        Request r = Frames.decodeRequest(request);
        FetchRequest fetch = (FetchRequest) r;
        TestQuicServer.respond(stream, Frames.encodeResponse(
                new FetchResponse(List.of(), fetch.fetchOffset(), 0, null)));
    }

    static FetchRequest fetch(long offset) {
        return new FetchRequest("orders", 0, offset, 1024, 0);
    }

    /** Waits for a future and returns its failure, unwrapped. */
    static Throwable failureOf(CompletableFuture<?> f, long seconds) throws Exception {
        try {
            f.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the future to fail, but it completed with " + f.getNow(null));
    }
}
