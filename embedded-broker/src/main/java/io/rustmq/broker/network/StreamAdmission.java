package io.rustmq.broker.network;

import io.netty.buffer.Unpooled;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicStreamChannel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Per connection: bounds the request streams the broker serves at once, in place of QUIC stream credit.
 *
 * <p>The server grants a stream credit too large to run out ({@link QuicBrokerServer#STREAM_CREDIT}) because the
 * QUIC library renews a small credit with one MAX_STREAMS packet for every stream that ends, once half of it has
 * been used: with 1,000 streams every request cost two more datagrams (the update and the client's acknowledgment
 * of it) and a wake-up of both sides. The bound moves here: up to {@code served} streams are read and answered at
 * once; a stream opened beyond that waits unread (its bytes stay in QUIC flow control) and is served in opening
 * order as others end; a connection that holds more than {@code ceiling} streams open is closed with application
 * error {@link #TOO_MANY_STREAMS_ERROR}. One instance per connection, used on its event loop only.
 */
final class StreamAdmission {
    /** The application error code of the CONNECTION_CLOSE sent to a peer that opens too many streams. */
    static final int TOO_MANY_STREAMS_ERROR = 0x53;

    private final int served;
    private final int ceiling;
    /** Streams opened and not yet closed, waiting ones included. */
    private int open;
    /** Streams opened beyond {@link #served}, unread, in opening order. */
    private final ArrayDeque<QuicStreamChannel> waiting = new ArrayDeque<>();

    /**
     * Limits for one connection.
     *
     * @param served streams read and answered at once, at least 1
     * @param ceiling streams open at once (served and waiting) before the connection is closed, at least
     *     {@code served}
     * @throws IllegalArgumentException if a limit is out of range
     */
    StreamAdmission(int served, int ceiling) {
        checkLimits(served, ceiling);
        this.served = served;
        this.ceiling = ceiling;
    }

    /**
     * Checks limits before a server that will use them starts.
     *
     * @param served streams read and answered at once, at least 1
     * @param ceiling streams open at once, at least {@code served}
     * @throws IllegalArgumentException if a limit is out of range
     */
    static void checkLimits(int served, int ceiling) {
        if (served < 1 || ceiling < served) {
            throw new IllegalArgumentException("need 1 <= served <= ceiling, got served = " + served
                    + ", ceiling = " + ceiling);
        }
    }

    /**
     * Takes a stream the peer opened; call from the stream's initializer, before it reads. The stream is served at
     * once, made to wait unread, or (past the ceiling) its connection is closed.
     *
     * @param stream the new stream
     */
    void admit(QuicStreamChannel stream) {
        open++;
        stream.closeFuture().addListener(f -> released(stream));
        if (open > ceiling) {
            QuicChannel connection = stream.parent();
            connection.close(true, TOO_MANY_STREAMS_ERROR, Unpooled.copiedBuffer("more than " + ceiling
                    + " streams open at once", StandardCharsets.UTF_8));
            return;
        }
        if (open - waiting.size() > served) {
            stream.config().setAutoRead(false);
            waiting.addLast(stream);
        }
    }

    private void released(QuicStreamChannel stream) {
        open--;
        waiting.remove(stream);
        while (!waiting.isEmpty() && open - waiting.size() < served) {
            waiting.pollFirst().config().setAutoRead(true);
        }
    }
}
