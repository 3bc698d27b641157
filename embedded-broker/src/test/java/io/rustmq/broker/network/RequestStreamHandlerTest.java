package io.rustmq.broker.network;

import io.rustmq.broker.tls.Certificates;
import io.rustmq.broker.tls.CertifiedKey;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.MetadataRequest;
import io.rustmq.client.protocol.RequestType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a stream is answered when the broker itself fails while handling its request, over real QUIC on loopback: the
 * client gets an internal error frame that names the failure, never a stream finished without a byte (which a client
 * reads as the answer to an unknown request type), and the connection goes on serving.
 */
class RequestStreamHandlerTest {
    private static final byte[] ANSWER = "answer".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    /** Serves with a processor that throws {@code error} (or else {@code runtime}) first, then answers. */
    private byte[][] firstFailsThenAnswers(RuntimeException runtime, Error error) throws Exception {
        CertifiedKey key = Certificates.selfSignedServer(List.of());
        Path pem = dir.resolve("broker.pem");
        key.writeCertificatePem(pem);
        AtomicInteger calls = new AtomicInteger();
        RequestProcessor processor = request -> {
            if (calls.getAndIncrement() == 0) {
                if (error != null) {
                    throw error;
                }
                throw runtime;
            }
            return ANSWER;
        };
        try (QuicBrokerServer server = QuicBrokerServer.start(new ServerSettings("127.0.0.1", 0, key, List.of(),
                1 << 20, Duration.ofSeconds(30)), processor);
             QuicTestClient client = QuicTestClient.connect(server.localAddress(), pem, null)) {
            byte[] request = Frames.encodeRequest(new MetadataRequest(List.of()));
            byte[] failed = QuicTestClient.get(client.sendWithFin(request).response());
            byte[] next = QuicTestClient.get(client.sendWithFin(request).response());
            assertThat(client.isActive()).as("the connection after the failure").isTrue();
            return new byte[][] {failed, next};
        }
    }

    private static String errorText(byte[] frame) {
        assertThat(frame).as("an error frame, not an empty answer").isNotEmpty();
        assertThat(frame[0] & 0xFF).as("error marker").isEqualTo(RequestType.ERROR_MARKER);
        return new String(frame, 1, frame.length - 1, StandardCharsets.UTF_8);
    }

    @Test
    void anOutOfMemoryErrorWhileHandlingIsAnsweredAsAnInternalErrorAndTheConnectionServesOn() throws Exception {
        byte[][] answers = firstFailsThenAnswers(null, new OutOfMemoryError("Java heap space"));

        assertThat(errorText(answers[0])).startsWith("Error: Internal error: ")
                .contains("java.lang.OutOfMemoryError: Java heap space");
        assertThat(answers[1]).isEqualTo(ANSWER);
    }

    @Test
    void aRuntimeExceptionWhileHandlingIsAnsweredAsAnInternalError() throws Exception {
        byte[][] answers = firstFailsThenAnswers(new IllegalStateException("log closed"), null);

        assertThat(errorText(answers[0]))
                .isEqualTo("Error: Internal error: java.lang.IllegalStateException: log closed");
        assertThat(answers[1]).isEqualTo(ANSWER);
    }
}
