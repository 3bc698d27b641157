package io.rustmq.client.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.incubator.codec.quic.DefaultQuicStreamFrame;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.netty.incubator.codec.quic.QuicStreamFrame;
import io.netty.incubator.codec.quic.QuicStreamPriority;
import io.netty.incubator.codec.quic.QuicStreamResetException;
import io.netty.incubator.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.rustmq.client.ConnectionException;
import io.rustmq.client.ProtocolException;
import io.rustmq.client.RequestTimeoutException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.protocol.FrameAccumulator;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.RequestType;
import io.rustmq.client.protocol.Response;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One request on its own bidirectional stream: write the whole frame in one write that carries FIN, read the answer
 * until end of stream (or, for typed requests, until a whole bincode body has been decoded), within a size limit and
 * a time limit. All methods except the constructor run on the connection's event loop.
 */
final class StreamExchange extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(StreamExchange.class.getName());
    /** Application error code sent with STOP_SENDING / RESET_STREAM when the client gives up on a stream. */
    static final int ABORT_CODE = 0x10;
    /**
     * Every request stream's priority: quiche's default urgency, not incremental. quiche sends the data of
     * non-incremental streams of one urgency in stream-id order, one stream after the other, instead of round-robin
     * between every stream with data to send; so requests reach the broker whole and in the order they were opened
     * (a Produce request no longer arrives after the next one of its partition and waits there for the gap).
     */
    static final QuicStreamPriority SEQUENTIAL = new QuicStreamPriority(127, false);

    enum Kind {
        /** A typed request: completes with a {@link Response}. */
        REQUEST,
        /** A raw frame: completes with every response byte. */
        RAW,
        /** An empty stream used to check or keep the connection alive: completes with null, not counted. */
        PROBE
    }

    private final BrokerConnection connection;
    /** The request frame until it is written (the stream then owns it) or released unwritten; null after. */
    private final AtomicReference<ByteBuf> frame;
    private final int frameLength;
    private final RequestType expected;
    private final Kind kind;
    private final long timeoutNanos;
    private final int maxResponseBytes;
    private final CompletableFuture<Object> result;
    /** Whether a decoded response completes {@link #result} on the event loop (see {@link BrokerConnection#sendInline}). */
    private final boolean inline;
    private final String description;

    /** The response as it grows, decode-tried per the shared policy (the broker reads requests the same way). */
    private final FrameAccumulator response;

    private QuicStreamChannel stream;
    private boolean done;
    private boolean finished;
    private boolean finReceived;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> quietCheck;
    private int lenAtQuietArm;

    StreamExchange(BrokerConnection connection, byte[] frame, RequestType expected, Kind kind, long timeoutNanos,
                   int maxResponseBytes, CompletableFuture<Object> result) {
        this(connection, frame.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(frame), expected, kind,
                timeoutNanos, maxResponseBytes, 0, false, result);
    }

    /**
     * An exchange whose response buffer, once the response outgrows its first read, grows straight to
     * {@code responseSizeHint} bytes (about the size of the last response of this type on the connection). With
     * {@code inline}, a response that decodes completes {@code result} on the event loop instead of the callback
     * executor (failures still complete there).
     */
    StreamExchange(BrokerConnection connection, ByteBuf frame, RequestType expected, Kind kind, long timeoutNanos,
                   int maxResponseBytes, int responseSizeHint, boolean inline, CompletableFuture<Object> result) {
        this.connection = connection;
        this.frame = new AtomicReference<>(frame);
        this.frameLength = frame.readableBytes();
        this.expected = expected;
        this.kind = kind;
        this.timeoutNanos = timeoutNanos;
        this.maxResponseBytes = maxResponseBytes;
        this.response = new FrameAccumulator(maxResponseBytes, responseSizeHint);
        this.result = result;
        this.inline = inline;
        this.description = (expected != null ? expected + " request" : kind == Kind.PROBE ? "connection check"
                : "request frame") + " (" + frameLength + " bytes)";
    }

    boolean isDone() {
        return done;
    }

    Kind kind() {
        return kind;
    }

    /** Starts the clock; runs when the exchange is queued, so waiting for stream credit counts against it. */
    void startTimer(QuicChannel quic) {
        timer = quic.eventLoop().schedule(this::onTimeout, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Opens the stream and writes the frame with FIN. The caller checked that stream credit is available. */
    void open(QuicChannel quic) {
        quic.newStreamBootstrap()
                .type(QuicStreamType.BIDIRECTIONAL)
                .handler(this)
                .create()
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        fail(connection.failureFor("cannot open a QUIC stream", f.cause()));
                        return;
                    }
                    QuicStreamChannel s = (QuicStreamChannel) f.getNow();
                    stream = s;
                    ByteBuf data = done ? null : frame.getAndSet(null);
                    if (data == null) {
                        releaseFrame();
                        abort();
                        return;
                    }
                    if (frameLength > 0) {
                        s.updatePriority(SEQUENTIAL).addListener(p -> {
                            if (!p.isSuccess()) {
                                // the stream still works, only in quiche's default order
                                LOG.log(System.Logger.Level.DEBUG, "cannot set the priority of a request stream",
                                        p.cause());
                            }
                        });
                    }
                    // One write that carries the data and FIN together (spec §3.1; VERSIONS pitfall #2).
                    s.writeAndFlush(new DefaultQuicStreamFrame(data, true)).addListener(w -> {
                        if (w.isSuccess()) {
                            connection.onActivity();
                            if (kind != Kind.PROBE) {
                                connection.stats().onRequestSent(frameLength);
                            }
                        } else {
                            fail(connection.failureFor("cannot write the " + description, w.cause()));
                        }
                    });
                });
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Read QuicStreamFrames, so that FIN arrives as a flag. (Set here rather than as the READ_FRAMES channel
        // option: the codec applies that option but then logs it as unknown.)
        ((QuicStreamChannel) ctx.channel()).config().setReadFrames(true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            ByteBuf content;
            boolean fin;
            if (msg instanceof QuicStreamFrame f) {
                content = f.content();
                fin = f.hasFin();
            } else if (msg instanceof ByteBuf b) {
                content = b;
                fin = false;
            } else {
                return;
            }
            int n = content.readableBytes();
            if (n > 0) {
                connection.onActivity();
                if (kind != Kind.PROBE) {
                    connection.stats().onBytesReceived(n);
                }
            }
            if (!done && n > 0) {
                if (!response.fits(n)) {
                    fail(new ProtocolException("the response to the " + description + " exceeds maxResponseBytes = "
                            + maxResponseBytes + " bytes (" + ((long) response.length() + n)
                            + " bytes received so far)"));
                    abort();
                    return;
                }
                response.append(content::readBytes, n);
            }
            if (fin) {
                onEndOfStream();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (done || finReceived || kind != Kind.REQUEST) {
            return;
        }
        switch (response.afterReads()) {
            case DECODE_NOW:
                tryDecodeEarly();
                break;
            case DECODE_WHEN_QUIET:
                if (quietCheck == null) {
                    armQuietCheck();
                }
                break;
            default:
                break;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (done) {
            return;
        }
        if (kind == Kind.PROBE) {
            // Any answer, even a reset, shows that the broker accepted the connection and serves streams.
            succeed(null);
            return;
        }
        if (cause instanceof QuicStreamResetException) {
            fail(new ConnectionException("the broker reset the stream of the " + description + " (error code "
                    + ((QuicStreamResetException) cause).applicationProtocolCode() + ")", cause));
        } else {
            fail(connection.failureFor("the stream of the " + description + " failed", cause));
        }
        abort();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimers();
        if (!done) {
            fail(connection.failureFor("the stream of the " + description + " closed before its response ended",
                    null));
        }
    }

    private void onEndOfStream() {
        finReceived = true;
        if (done) {
            cancelTimers();
            return;
        }
        switch (kind) {
            case PROBE:
                succeed(null);
                break;
            case RAW:
                connection.stats().onResponse();
                succeed(response.copy());
                break;
            default:
                connection.stats().onResponse();
                done = true;
                cancelTimers();
                finish();
                byte[] bytes = response.array();
                int length = response.length();
                response.release();
                connection.responseSizes().record(expected, length);
                if (inline) {
                    completeInline(bytes, length);
                } else {
                    // Decode off the event loop: a response may be large, and decoding is the caller's work.
                    connection.completeAsync(result, () -> Frames.decodeResponse(expected, bytes, 0, length), true);
                }
        }
    }

    private void tryDecodeEarly() {
        Response decoded;
        try {
            decoded = response.tryDecode((bytes, length) -> Frames.tryDecodeResponse(expected, bytes, length));
        } catch (RustMQException e) {
            // These bytes can never become a valid response: fail now rather than wait for the end of the stream.
            fail(e);
            abort();
            return;
        }
        if (decoded != null) {
            connection.stats().onResponse();
            connection.responseSizes().record(expected, response.length());
            // Keep the timer: if FIN never comes, it closes the stream; the result is already delivered.
            done = true;
            response.release();
            finish();
            if (inline) {
                result.complete(decoded);
            } else {
                connection.complete(result, decoded);
            }
        }
    }

    /** Decodes a whole response here, on the event loop; a malformed one fails on the callback executor. */
    private void completeInline(byte[] bytes, int length) {
        Response decoded;
        try {
            decoded = Frames.decodeResponse(expected, bytes, 0, length);
        } catch (RuntimeException e) {
            connection.stats().onError();
            connection.completeExceptionally(result, e);
            return;
        }
        result.complete(decoded);
    }

    private void armQuietCheck() {
        lenAtQuietArm = response.length();
        quietCheck = connection.eventLoop().schedule(() -> {
            quietCheck = null;
            if (done || finReceived) {
                return;
            }
            if (response.quietDecodeDue(lenAtQuietArm)) {
                tryDecodeEarly();
            } else if (response.length() != lenAtQuietArm) {
                armQuietCheck();
            }
        }, FrameAccumulator.QUIET_DECODE_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    private void onTimeout() {
        timer = null;
        if (!done) {
            long ms = TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
            String what = stream == null ? " (still waiting for stream credit: the broker allows no more concurrent"
                    + " streams)" : response.length() > 0 ? " (" + response.length()
                    + " response bytes received, the stream did not end)" : "";
            fail(new RequestTimeoutException("no complete response to the " + description + " from "
                    + connection.remoteText() + " within " + ms + " ms" + what));
        }
        abort();
    }

    private void succeed(Object value) {
        done = true;
        cancelTimers();
        response.release();
        finish();
        connection.complete(result, value);
    }

    void fail(RustMQException error) {
        releaseFrame();
        if (done) {
            return;
        }
        done = true;
        response.release();
        if (kind != Kind.PROBE) {
            connection.stats().onError();
        }
        finish();
        connection.completeExceptionally(result, error);
        if (stream == null || !stream.isActive()) {
            cancelTimers();
        }
    }

    /** Releases the frame if it was not handed to the stream (a pooled buffer goes back to its pool). */
    private void releaseFrame() {
        ByteBuf f = frame.getAndSet(null);
        if (f != null) {
            f.release();
        }
    }

    /** Ends the exchange's accounting exactly once, before its future is completed. */
    private void finish() {
        if (!finished) {
            finished = true;
            if (kind != Kind.PROBE) {
                connection.exchangeFinished();
            }
        }
    }

    /** Stops both directions of the stream (STOP_SENDING + RESET_STREAM if needed) and closes the channel. */
    private void abort() {
        cancelTimers();
        QuicStreamChannel s = stream;
        if (s != null && s.isActive()) {
            s.shutdown(ABORT_CODE).addListener(f -> s.close());
        }
    }

    private void cancelTimers() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (quietCheck != null) {
            quietCheck.cancel(false);
            quietCheck = null;
        }
    }

    @Override
    public String toString() {
        return "StreamExchange{" + description + ", stream=" + (stream == null ? "-" : stream.streamId()) + "}";
    }
}
