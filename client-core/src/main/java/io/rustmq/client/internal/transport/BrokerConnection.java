package io.rustmq.client.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicConnectionCloseEvent;
import io.netty.incubator.codec.quic.QuicStreamLimitChangedEvent;
import io.netty.incubator.codec.quic.QuicStreamType;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.ConnectionException;
import io.rustmq.client.MessageTooLargeException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.TlsException;
import io.rustmq.client.internal.transport.Futures;
import io.rustmq.client.protocol.FrameSizes;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.Request;
import io.rustmq.client.protocol.RequestType;
import io.rustmq.client.protocol.SizeLimits;
import io.rustmq.client.protocol.Response;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * One QUIC connection to one broker, made by {@link QuicTransport#connect}. Every request travels on its own
 * bidirectional stream, so any number of requests may be in flight at once; when the broker's concurrent-stream limit
 * is reached, further requests wait for stream credit (within their timeout) instead of failing.
 *
 * <p>Futures returned here are completed on the transport's callback executor, never on the network thread, so
 * dependent stages may block briefly; long blocking work belongs on an executor of your own ({@code ...Async}).
 * A failed future holds the {@link RustMQException} subclass itself (not wrapped).
 *
 * <p>Thread-safe. Closing the connection fails every request still in flight with a {@link ConnectionException}.
 */
public final class BrokerConnection implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BrokerConnection.class.getName());

    private final QuicTransport transport;
    private final ClientConfig config;
    private final InetSocketAddress remote;
    private final String remoteText;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CloseReasons reasons;

    // Set once while connecting (on the event loop), read anywhere.
    private volatile Channel udp;
    private volatile QuicChannel quic;
    /** The QUIC channel from its creation, before (or without) a completed handshake; closed the same way. */
    private volatile QuicChannel handshaking;
    private volatile boolean opened;

    // Event-loop state.
    private final ArrayDeque<StreamExchange> waiting = new ArrayDeque<>();
    /**
     * Exchanges handed in by {@link #enqueue}, in call order, until the event loop admits them to {@link #waiting}:
     * taking them in call order keeps a partition's Produce requests in sequence order whichever thread sends them.
     */
    private final Queue<StreamExchange> submitted = new ConcurrentLinkedQueue<>();
    /** Whether a task that admits {@link #submitted} exchanges is queued on the event loop. */
    private final AtomicBoolean admitQueued = new AtomicBoolean();
    private final KeepAlive keepAlive = new KeepAlive(this);
    /** Response sizes by request type, written on the event loop; a stale read elsewhere only costs a copy. */
    private final FrameSizes responseSizes = new FrameSizes();
    private boolean closedHandled;

    BrokerConnection(QuicTransport transport, InetSocketAddress remote) {
        this.transport = transport;
        this.config = transport.config();
        this.remote = remote;
        this.remoteText = remote.getHostString() + ":" + remote.getPort();
        this.reasons = new CloseReasons(remoteText, config.tls());
    }

    /**
     * Sends a request and decodes its response, within {@link ClientConfig#requestTimeout()}.
     *
     * @param request the request
     * @return the response; fails with {@link MessageTooLargeException} (nothing sent),
     *     {@link io.rustmq.client.RequestTimeoutException}, {@link io.rustmq.client.BrokerErrorException} (an
     *     error frame), {@link io.rustmq.client.ProtocolException} (empty, oversized or malformed response) or
     *     {@link ConnectionException}
     */
    public CompletableFuture<Response> send(Request request) {
        return send(request, config.requestTimeout());
    }

    /**
     * Sends a request and decodes its response, within the given time.
     *
     * @param request the request
     * @param timeout how long to wait for the whole response, stream-credit waiting included
     * @return the response, or a failed future as for {@link #send(Request)}
     */
    public CompletableFuture<Response> send(Request request, Duration timeout) {
        return send(request, timeout, false);
    }

    /**
     * Sends a request as {@link #send(Request)} does, but a response that decodes completes the future on this
     * connection's event loop rather than on the callback executor (failures still complete there). For callers whose
     * continuation is short and never blocks, such as the producer's bookkeeping, which then sends the partition's
     * next batch without a round trip through another thread.
     *
     * @param request the request
     * @return the response, or a failed future as for {@link #send(Request)}
     */
    public CompletableFuture<Response> sendInline(Request request) {
        return send(request, config.requestTimeout(), true);
    }

    private CompletableFuture<Response> send(Request request, Duration timeout, boolean inline) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(timeout, "timeout");
        ByteBuf frame;
        try {
            frame = encode(request);
        } catch (RuntimeException e) {
            transport.stats().onError();
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Response> f = new CompletableFuture<>();
        submit(frame, request.type(), StreamExchange.Kind.REQUEST, timeout, inline, f);
        return f;
    }

    /**
     * A request's frame. A Produce request, whose size is known ahead, is encoded straight into a buffer of that
     * size from {@link FrameBuffers}: for a large one a reused array, which goes back once written (a fresh array
     * per request, hundreds of kilobytes for a full batch, cost the sending thread page faults and zeroing, and the
     * collector copying). Other requests, and a Produce request over the limit, get arrays of their own.
     */
    private ByteBuf encode(Request request) {
        int exact = Frames.exactRequestSize(request);
        if (exact > 0 && exact <= config.maxRequestBytes()) {
            ByteBuf buf = transport.frameBuffers().frame(exact);
            boolean done = false;
            try {
                int n = Frames.encodeRequest(request, buf.array(), buf.arrayOffset(), buf.capacity());
                if (n >= 0) {
                    buf.writerIndex(n);
                    done = true;
                    return buf;
                }
            } finally {
                if (!done) {
                    buf.release();
                }
            }
        }
        return Unpooled.wrappedBuffer(Frames.encodeRequest(request));
    }

    /**
     * Sends a raw frame (type byte first) and returns every byte of the answer, read until end of stream. The
     * same size limits apply as for {@link #send(Request)}; no decoding is done, so an error frame or an empty
     * answer completes normally.
     *
     * @param frame the request frame, sent as is in one write with FIN
     * @param timeout how long to wait for the end of the response stream
     * @return all response bytes (possibly none)
     */
    public CompletableFuture<byte[]> sendFrame(byte[] frame, Duration timeout) {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(timeout, "timeout");
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        submit(Unpooled.wrappedBuffer(frame.clone()), null, StreamExchange.Kind.RAW, timeout, false, f);
        return f;
    }

    /**
     * Tells whether the connection is open and can carry requests.
     *
     * @return {@code true} until the connection is closed or lost
     */
    public boolean isActive() {
        QuicChannel q = quic;
        return opened && q != null && q.isActive() && !closeRequested.get();
    }

    /**
     * The broker's address, as dialled (resolved).
     *
     * @return the address
     */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /**
     * Requests on this connection that have not ended yet, including those waiting for stream credit.
     *
     * @return the count
     */
    public int inFlightRequests() {
        return inFlight.get();
    }

    /**
     * Completes when the connection has closed: normally after {@link #close()}, exceptionally (with a
     * {@link ConnectionException} or {@link TlsException} saying why) when the broker closed it, it timed out as
     * idle, or the network failed.
     *
     * @return a new future each call; completing or cancelling it has no effect on the connection
     */
    public CompletableFuture<Void> closeFuture() {
        CompletableFuture<Void> view = new CompletableFuture<>();
        closed.whenComplete((v, e) -> {
            if (e == null) {
                view.complete(null);
            } else {
                view.completeExceptionally(e instanceof java.util.concurrent.CompletionException
                        && e.getCause() != null ? e.getCause() : e);
            }
        });
        return view;
    }

    /**
     * Closes the connection (QUIC CONNECTION_CLOSE, no error), fails requests in flight, and waits briefly (at most
     * 2 s) for the close to finish unless called from a network thread. Idempotent.
     */
    @Override
    public void close() {
        closeAsync();
        EventLoop loop = eventLoop();
        if (loop == null || !loop.inEventLoop()) {
            try {
                closed.get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // closed exceptionally or took too long: either way the connection is going
            }
        }
    }

    /** The connection's own close future (completed on the callback executor). */
    CompletableFuture<Void> closedInternal() {
        return closed;
    }

    CompletableFuture<Void> closeAsync() {
        if (closeRequested.compareAndSet(false, true)) {
            QuicChannel q = quic;
            QuicChannel h = handshaking;
            Channel u = udp;
            if (q != null) {
                q.close(true, 0, Unpooled.EMPTY_BUFFER);
            } else if (h != null && h.isOpen()) {
                // A handshake that failed or was abandoned (we refused the certificate, it timed out): close the QUIC
                // connection first, so that its CONNECTION_CLOSE goes out, and the UDP socket only once it has closed
                // (onClosed). Closing the socket at once would leave the broker waiting for the dead handshake until
                // its idle timeout; the RustMQ broker completes handshakes in its accept loop, so that would stall
                // every other client. Deferred to a later event-loop task, so that the codec finishes the read in
                // which the handshake failed (and queues the close) before the channel is closed.
                try {
                    h.eventLoop().execute(() -> h.close(true, 0, Unpooled.EMPTY_BUFFER));
                } catch (RejectedExecutionException e) {
                    onClosed(); // the event loop is gone, and the sockets with it
                }
            } else if (u != null) {
                u.close();
            } else {
                onClosed();
            }
        }
        return closed;
    }

    @Override
    public String toString() {
        return "BrokerConnection{" + remoteText + (isActive() ? ", active" : ", closed") + ", inFlight="
                + inFlight.get() + "}";
    }

    // ------------------------------------------------------------------------------------------------------------
    // Requests

    private <T> void submit(ByteBuf frame, RequestType type, StreamExchange.Kind kind,
                            Duration timeout, boolean inline, CompletableFuture<T> future) {
        try {
            SizeLimits.checkFrame(frame.readableBytes(), config.maxRequestBytes());
        } catch (MessageTooLargeException e) {
            frame.release();
            transport.stats().onError();
            future.completeExceptionally(e);
            return;
        }
        if (timeout.isNegative() || timeout.isZero()) {
            frame.release();
            transport.stats().onError();
            future.completeExceptionally(new IllegalArgumentException("timeout must be positive: " + timeout));
            return;
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<Object> result = (CompletableFuture<Object>) (CompletableFuture<?>) future;
        StreamExchange ex = new StreamExchange(this, frame, type, kind, Futures.saturatedNanos(timeout),
                config.maxResponseBytes(), responseSizes.hint(type), inline, result);
        inFlight.incrementAndGet();
        enqueue(ex);
    }

    /**
     * Hands an exchange to the event loop. On the event loop itself (a request sent from a response's continuation)
     * its stream opens at once, so that its data leaves in the same datagram as the acknowledgment of what was just
     * read; from other threads one queued task admits every exchange handed in meanwhile, in call order.
     */
    void enqueue(StreamExchange ex) {
        QuicChannel q = quic;
        if (q == null || closeRequested.get() || !q.isActive()) {
            ex.fail(failureFor("the connection to " + remoteText + " is closed", null));
            return;
        }
        submitted.add(ex);
        EventLoop loop = q.eventLoop();
        if (loop.inEventLoop()) {
            admit(q);
            return;
        }
        if (admitQueued.compareAndSet(false, true)) {
            try {
                loop.execute(() -> {
                    admitQueued.set(false);
                    admit(q);
                });
            } catch (RejectedExecutionException e) {
                admitQueued.set(false);
                failSubmitted(new ConnectionException("the transport is closed", e));
            }
        }
    }

    /** Moves the exchanges handed in, in order, to the streams' waiting queue and opens what credit allows. */
    private void admit(QuicChannel q) {
        StreamExchange ex;
        while ((ex = submitted.poll()) != null) {
            if (!q.isActive()) {
                ex.fail(failureFor("the connection to " + remoteText + " is closed", null));
                continue;
            }
            ex.startTimer(q);
            waiting.add(ex);
        }
        drain();
    }

    private void failSubmitted(RustMQException failure) {
        StreamExchange ex;
        while ((ex = submitted.poll()) != null) {
            ex.fail(failure);
        }
    }

    /** Opens streams for waiting exchanges while the broker grants stream credit. Event loop only. */
    private void drain() {
        QuicChannel q = quic;
        while (!waiting.isEmpty() && q != null && q.isActive()) {
            // The codec's createStream consumes a stream id even when it fails for lack of credit, so never call it
            // without credit; QuicStreamLimitChangedEvent tells when the broker grants more.
            if (q.peerAllowedStreams(QuicStreamType.BIDIRECTIONAL) <= 0) {
                return;
            }
            StreamExchange ex = waiting.poll();
            if (!ex.isDone()) {
                ex.open(q);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Connecting (driven by QuicTransport, on the event loop of the UDP channel)

    void attachUdp(Channel udp) {
        this.udp = udp;
        udp.closeFuture().addListener(f -> {
            QuicChannel q = quic;
            if (q == null) {
                onClosed();
            } else if (q.isOpen()) {
                q.close();
            }
        });
    }

    void attachQuic(QuicChannel quic) {
        this.quic = quic;
        quic.closeFuture().addListener(f -> onClosed());
    }

    void expectation(VerifyingTrustManager.Expectation expectation) {
        reasons.expectation(expectation);
    }

    /** The handler of the QUIC connection channel: credit, close reasons, closure. */
    ChannelHandler connectionHandler() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                QuicChannel q = (QuicChannel) ctx.channel();
                handshaking = q;
                q.closeFuture().addListener(f -> onClosed());
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof QuicStreamLimitChangedEvent) {
                    drain();
                } else if (evt instanceof QuicConnectionCloseEvent e) {
                    reasons.peerClosed(e);
                } else if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
                    reasons.handshakeFailed(e.cause());
                }
                ctx.fireUserEventTriggered(evt);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                if (cause instanceof SSLException) {
                    reasons.handshakeFailed(cause);
                }
                LOG.log(System.Logger.Level.DEBUG, () -> "QUIC connection to " + remoteText + ": " + cause);
            }
        };
    }

    /** Runs the connection check (one empty stream answered by the broker) and starts keep-alives. */
    CompletableFuture<Object> checkAndStart(long timeoutNanos) {
        CompletableFuture<Object> probe = new CompletableFuture<>();
        StreamExchange ex = new StreamExchange(this, new byte[0], null, StreamExchange.Kind.PROBE, timeoutNanos,
                64 * 1024, probe);
        enqueue(ex);
        return probe;
    }

    /** Marks the connection usable; event loop only. */
    void markOpened() {
        opened = true;
        transport.stats().onConnectionOpened();
        keepAlive.start(quic, config);
    }

    boolean isOpened() {
        return opened;
    }

    /** Called once per request exchange (not for probes) just before its future is completed. */
    void exchangeFinished() {
        inFlight.decrementAndGet();
    }

    void onActivity() {
        keepAlive.onActivity();
    }

    /** Queues an exchange and opens streams for it when credit allows; event loop only. */
    void queueOnLoop(StreamExchange ex) {
        waiting.add(ex);
        drain();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Closing and failure reasons

    private void onClosed() {
        EventLoop loop = eventLoop();
        if (loop != null && !loop.inEventLoop()) {
            try {
                loop.execute(this::onClosed);
                return;
            } catch (RejectedExecutionException ignored) {
                // the loop is gone: finish here
            }
        }
        if (closedHandled) {
            return;
        }
        closedHandled = true;
        keepAlive.stop();
        RustMQException cause = closeRequested.get() ? null : closeReason();
        RustMQException failure = cause != null ? cause
                : new ConnectionException("the connection to " + remoteText + " was closed", null);
        List<StreamExchange> pending = new ArrayList<>(waiting);
        waiting.clear();
        for (StreamExchange ex : pending) {
            ex.fail(failure);
        }
        failSubmitted(failure);
        Channel u = udp;
        if (u != null) {
            u.close();
        }
        if (opened) {
            transport.stats().onConnectionClosed();
        }
        transport.connectionClosed(this);
        if (cause == null) {
            complete(closed, null);
        } else {
            completeExceptionally(closed, cause);
        }
    }

    /**
     * Why the connection is (being) closed, when it was not closed by us: the broker's CONNECTION_CLOSE (TLS alerts
     * explained), an idle timeout, or an unreachable port.
     *
     * @return the reason, never null
     */
    RustMQException closeReason() {
        QuicChannel q = quic;
        return reasons.reason(opened, q != null && q.isTimedOut(), transport.isClosed() || closeRequested.get());
    }

    /**
     * The specific reason the connection failed or ended, if one is known (see {@link CloseReasons#ifKnown}).
     *
     * @return the reason, or null
     */
    RustMQException closeReasonIfKnown() {
        return reasons.ifKnown(opened);
    }

    /** What the network said about this connection's end (and the UDP error handler that listens for it). */
    CloseReasons reasons() {
        return reasons;
    }

    boolean isCloseRequested() {
        return closeRequested.get();
    }

    boolean isActiveForCheck() {
        QuicChannel q = quic;
        return q != null && q.isActive() && !closeRequested.get();
    }

    /**
     * Maps a failure to the exception a caller sees, preferring what is known about the connection's end.
     *
     * @param what what was being done
     * @param cause the low-level failure, or null
     * @return the exception
     */
    RustMQException failureFor(String what, Throwable cause) {
        if (cause instanceof RustMQException r) {
            return r;
        }
        QuicChannel q = quic;
        boolean down = q == null || !q.isActive() || closeRequested.get();
        if (down) {
            return closeReason();
        }
        return new ConnectionException(what + " on the connection to " + remoteText
                + (cause == null ? "" : ": " + cause), cause);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Plumbing

    TransportStats stats() {
        return transport.stats();
    }

    EventLoop eventLoop() {
        Channel u = udp;
        return u == null ? null : u.eventLoop();
    }

    String remoteText() {
        return remoteText;
    }

    <T> void complete(CompletableFuture<T> f, T value) {
        transport.complete(f, value);
    }

    void completeExceptionally(CompletableFuture<?> f, Throwable error) {
        transport.completeExceptionally(f, error);
    }

    /** The sizes of the responses seen on this connection, by request type (used on the event loop). */
    FrameSizes responseSizes() {
        return responseSizes;
    }

    /** Computes a value on the callback executor; a RustMQException thrown there fails the future (and counts). */
    <T> void completeAsync(CompletableFuture<T> f, Supplier<? extends T> supplier, boolean countErrors) {
        transport.run(() -> {
            try {
                f.complete(supplier.get());
            } catch (RuntimeException e) {
                if (countErrors) {
                    transport.stats().onError();
                }
                f.completeExceptionally(e);
            }
        });
    }

}
