package io.rustmq.client.internal.transport;

import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicTransportParameters;
import io.netty.util.concurrent.ScheduledFuture;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.internal.transport.Futures;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive of one connection: the incubator codec exposes no PING, so an idle connection gets an empty stream (FIN
 * only), which the broker answers with an empty stream (spec §3.3): ack-eliciting traffic both ways that resets both
 * idle timers. One is sent after {@code min(keepAliveInterval, idle timeout / 2)} without traffic. Runs on the
 * connection's event loop only.
 */
final class KeepAlive {
    private final BrokerConnection connection;
    private long lastActivityNanos = System.nanoTime();
    private ScheduledFuture<?> timer;
    private StreamExchange pending;

    KeepAlive(BrokerConnection connection) {
        this.connection = connection;
    }

    /** Starts checking, once the connection is open. */
    void start(QuicChannel quic, ClientConfig config) {
        long idleMs = QuicTransport.MAX_IDLE_TIMEOUT.toMillis();
        QuicTransportParameters peer = quic.peerTransportParameters();
        if (peer != null && peer.maxIdleTimeout() > 0) {
            idleMs = Math.min(idleMs, peer.maxIdleTimeout());
        }
        long intervalMs = Math.max(20, Math.min(config.keepAliveInterval().toMillis(), idleMs / 2));
        long checkMs = Math.max(10, intervalMs / 2);
        long timeoutNanos = Futures.saturatedNanos(config.requestTimeout());
        timer = quic.eventLoop().scheduleWithFixedDelay(() -> check(quic, intervalMs, timeoutNanos), checkMs, checkMs,
                TimeUnit.MILLISECONDS);
    }

    private void check(QuicChannel quic, long intervalMs, long timeoutNanos) {
        if (!quic.isActive()) {
            return;
        }
        if (System.nanoTime() - lastActivityNanos < TimeUnit.MILLISECONDS.toNanos(intervalMs)) {
            return;
        }
        if (pending != null && !pending.isDone()) {
            return;
        }
        onActivity();
        pending = new StreamExchange(connection, new byte[0], null, StreamExchange.Kind.PROBE, timeoutNanos,
                64 * 1024, new CompletableFuture<>());
        pending.startTimer(quic);
        connection.queueOnLoop(pending);
    }

    /** Records traffic on the connection (any read or write). */
    void onActivity() {
        lastActivityNanos = System.nanoTime();
    }

    /** Stops checking. */
    void stop() {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
