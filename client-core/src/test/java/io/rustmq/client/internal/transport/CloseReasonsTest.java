package io.rustmq.client.internal.transport;

import io.netty.channel.embedded.EmbeddedChannel;
import io.rustmq.client.ConnectionException;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.TlsException;
import org.junit.jupiter.api.Test;

import java.net.PortUnreachableException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The reasons a connection ends, as a caller reads them; no network needed. */
class CloseReasonsTest {
    private final CloseReasons reasons = new CloseReasons("broker:9092", TlsConfig.defaults());

    @Test
    void withoutAKnownReasonTheEndIsATimeoutAClientCloseOrALoss() {
        assertThat(reasons.ifKnown(true)).isNull();
        assertThat(reasons.reason(true, true, false)).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("timed out: no packet from the broker within the QUIC idle timeout");
        assertThat(reasons.reason(true, false, true)).hasMessageContaining("was closed by the client");
        assertThat(reasons.reason(true, false, false)).hasMessageContaining("broker:9092 was lost");
    }

    @Test
    void anIcmpPortUnreachableBeforeTheConnectionOpenedMeansNothingListens() {
        AtomicInteger told = new AtomicInteger();
        EmbeddedChannel udp = new EmbeddedChannel(reasons.udpErrorHandler(told::incrementAndGet));

        udp.pipeline().fireExceptionCaught(new PortUnreachableException("icmp"));

        assertThat(told).hasValue(1);
        assertThat(reasons.ifKnown(false)).isInstanceOf(ConnectionException.class)
                .hasMessage("nothing is listening on UDP broker:9092 (ICMP port unreachable)");
        assertThat(reasons.ifKnown(true)).as("once open, it explains a timeout instead").isNull();
        assertThat(reasons.reason(true, true, false)).hasMessageContaining("answers ICMP port unreachable");
        udp.finishAndReleaseAll();
    }

    @Test
    void theFirstLocalTlsFailureIsTheReasonAndNotRetriable() {
        reasons.handshakeFailed(new javax.net.ssl.SSLHandshakeException("bad certificate"));
        reasons.handshakeFailed(new javax.net.ssl.SSLException("later noise"));

        assertThat(reasons.ifKnown(false)).isInstanceOf(TlsException.class)
                .hasMessage("TLS handshake with broker:9092 failed: bad certificate");
        assertThat(reasons.reason(false, false, true).isRetriable()).isFalse();
    }
}
