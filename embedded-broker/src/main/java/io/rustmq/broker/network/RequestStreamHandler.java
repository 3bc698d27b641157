package io.rustmq.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.rustmq.client.ProtocolException;
import io.rustmq.client.protocol.BincodeReader;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.IncompleteFrameException;
import io.rustmq.client.protocol.Request;
import io.rustmq.client.protocol.RequestType;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Serves one client-opened bidirectional stream: one request, one response (spec §3).
 *
 * <p>Bytes are accumulated; after each batch of reads the handler tries to decode the body, and answers as soon as
 * a whole request has decoded, without waiting for the client's FIN (bytes after a complete body are ignored). An
 * unknown type byte finishes the stream with no bytes. FIN with an incomplete body gives the bincode EOF error, a
 * malformed body a serialization error, and a frame growing past the size limit a "too large" error at once,
 * without buffering more. Every response goes out in one write followed by FIN. Runs on the event loop; one
 * instance per stream.
 */
final class RequestStreamHandler extends ChannelInboundHandlerAdapter {
    /** The text the real broker sends for a body cut short (bincode's {@code UnexpectedEof}). */
    static final String EOF_ERROR = "Error: Serialization error: io error: unexpected end of file";
    /** The application error code of the RESET_STREAM sent for a dropped response (test hook). */
    static final int DROPPED_RESPONSE_ERROR_CODE = 0x52;

    private static final System.Logger LOG = System.getLogger(RequestStreamHandler.class.getName());
    private static final byte[] EMPTY = new byte[0];
    /**
     * Frames up to this size (one QUIC packet's worth) are decode-tried after every read; larger ones as they grow by
     * half, so that decoding a frame that arrives in many packets costs at most about three full decodes.
     */
    private static final int EAGER_DECODE_LIMIT = 1500;
    /** A larger frame that stops growing without FIN is decode-tried after this pause. */
    private static final long QUIET_DECODE_DELAY_MS = 2;

    private final RequestProcessor processor;
    private final int maxRequestBytes;
    private byte[] buf = EMPTY;
    private int len;
    private RequestType type;
    private boolean done;
    private int lastAttemptLen;

    RequestStreamHandler(RequestProcessor processor, int maxRequestBytes) {
        this.processor = processor;
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        try {
            int n = in.readableBytes();
            if (done || n == 0) {
                return;
            }
            if ((long) len + n > maxRequestBytes) {
                done = true;
                buf = null;
                respond(ctx, Frames.encodeError("Error: Request too large: the request frame exceeds the broker's"
                        + " limit of " + maxRequestBytes + " bytes"));
                return;
            }
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.min(maxRequestBytes, Math.max(len + n, buf.length * 2)));
            }
            in.readBytes(buf, len, n);
            len += n;
            if (type == null) {
                type = RequestType.fromCode(buf[0] & 0xFF);
                if (type == null) {
                    // Unknown type byte: the shipped broker sends nothing and finishes the stream.
                    done = true;
                    buf = null;
                    ((QuicStreamChannel) ctx.channel()).shutdownOutput();
                }
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (done || len == 0) {
            return;
        }
        // Decoding is retried from the start, so a large frame arriving in many packets is decode-tried only as it
        // grows by half (keeping the total work linear), plus once when it has stopped growing for a moment, for
        // clients that send the whole frame but delay their FIN.
        if (len <= EAGER_DECODE_LIMIT || len >= lastAttemptLen + lastAttemptLen / 2) {
            lastAttemptLen = len;
            tryDecode(ctx, false);
        } else {
            int armedAt = len;
            ctx.executor().schedule(() -> {
                if (!done && len == armedAt && lastAttemptLen != len) {
                    lastAttemptLen = len;
                    tryDecode(ctx, false);
                }
            }, QUIET_DECODE_DELAY_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownReadComplete.INSTANCE && !done) {
            if (len == 0) {
                // FIN without data: nothing to answer.
                done = true;
                ((QuicStreamChannel) ctx.channel()).shutdownOutput();
            } else {
                tryDecode(ctx, true);
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, () -> "stream " + ctx.channel() + " failed: " + cause);
        ctx.close();
    }

    private void tryDecode(ChannelHandlerContext ctx, boolean atEnd) {
        Request request;
        try {
            request = Frames.decodeRequestBody(type, new BincodeReader(buf, 1, len - 1));
        } catch (IncompleteFrameException e) {
            if (atEnd) {
                finish(ctx, Frames.encodeError(EOF_ERROR));
            }
            return;
        } catch (ProtocolException e) {
            finish(ctx, Frames.encodeError("Error: Serialization error: " + e.getMessage()));
            return;
        } catch (RuntimeException e) {
            finish(ctx, Frames.encodeError("Error: Serialization error: " + e));
            return;
        }
        done = true;
        buf = null;
        CompletableFuture<byte[]> answer;
        try {
            answer = processor.processAsync(request);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        if (answer.isDone()) {
            answer(ctx, answer);
        } else {
            CompletableFuture<byte[]> later = answer;
            later.whenComplete((f, e) -> ctx.executor().execute(() -> answer(ctx, later)));
        }
    }

    private void answer(ChannelHandlerContext ctx, CompletableFuture<byte[]> answer) {
        byte[] frame;
        try {
            frame = answer.join();
        } catch (RuntimeException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            LOG.log(System.Logger.Level.WARNING, "handling " + type + " failed", cause);
            frame = Frames.encodeError("Error: Internal error: " + cause);
        }
        if (frame == null) {
            done = true;
            buf = null;
            QuicStreamChannel ch = (QuicStreamChannel) ctx.channel();
            ch.shutdown(DROPPED_RESPONSE_ERROR_CODE).addListener(f -> ch.close());
            return;
        }
        finish(ctx, frame);
    }

    private void finish(ChannelHandlerContext ctx, byte[] frame) {
        done = true;
        buf = null;
        respond(ctx, frame);
    }

    private static void respond(ChannelHandlerContext ctx, byte[] frame) {
        ByteBuf out = ctx.alloc().directBuffer(frame.length).writeBytes(frame);
        ctx.writeAndFlush(out).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
    }
}
