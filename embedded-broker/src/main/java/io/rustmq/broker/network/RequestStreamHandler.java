package io.rustmq.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.rustmq.client.ProtocolException;
import io.rustmq.client.protocol.BincodeReader;
import io.rustmq.client.protocol.FrameAccumulator;
import io.rustmq.client.protocol.FrameSizes;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.Request;
import io.rustmq.client.protocol.RequestType;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Serves one client-opened bidirectional stream: one request, one response (spec §3).
 *
 * <p>Bytes are accumulated in a {@link FrameAccumulator} (the reader the client uses for responses); a frame of
 * one packet is decode-tried after each batch of reads, a larger one at FIN or once it has stopped growing for a
 * moment, and the handler answers as soon as a whole request has decoded, without waiting for the client's FIN
 * (bytes after a complete body are ignored). An
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

    private final RequestProcessor processor;
    private final int maxRequestBytes;
    /** The request as it grows, decode-tried per the policy shared with the client's response reader. */
    private final FrameAccumulator frame;
    /** Request sizes by type on this stream's connection (shared by its streams, all on one event loop). */
    private final FrameSizes sizes;
    private RequestType type;
    private boolean done;
    /** A quiet-time decode check is scheduled. */
    private boolean quietCheckArmed;

    RequestStreamHandler(RequestProcessor processor, int maxRequestBytes, FrameSizes sizes) {
        this.processor = processor;
        this.maxRequestBytes = maxRequestBytes;
        this.frame = new FrameAccumulator(maxRequestBytes);
        this.sizes = sizes;
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
            if (!frame.fits(n)) {
                done = true;
                frame.release();
                respond(ctx, Frames.encodeError("Error: Request too large: the request frame exceeds the broker's"
                        + " limit of " + maxRequestBytes + " bytes"));
                return;
            }
            frame.append(in::readBytes, n);
            if (type == null) {
                type = RequestType.fromCode(frame.array()[0] & 0xFF);
                if (type == null) {
                    // Unknown type byte: the shipped broker sends nothing and finishes the stream.
                    done = true;
                    frame.release();
                    ((QuicStreamChannel) ctx.channel()).shutdownOutput();
                } else {
                    frame.expect(sizes.hint(type));
                }
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (done) {
            return;
        }
        switch (frame.afterReads()) {
            case DECODE_NOW:
                if (frame.length() <= FrameAccumulator.EAGER_DECODE_LIMIT) {
                    tryDecode(ctx, false);
                    break;
                }
                armQuietCheck(ctx);
                break;
            case DECODE_WHEN_QUIET:
                armQuietCheck(ctx);
                break;
            default:
                break;
        }
    }

    /**
     * A frame larger than one packet is decoded once: at FIN, which a client sends with its last bytes (spec §3.1),
     * or, for a peer that holds FIN back, once the frame has stopped growing for
     * {@link FrameAccumulator#QUIET_DECODE_DELAY_MS}. Decoding from the first byte as it grows (each try of an
     * incomplete Produce request decodes every record again) cost about three whole decodes per request. One check
     * is armed at a time and re-armed while the frame grows.
     */
    private void armQuietCheck(ChannelHandlerContext ctx) {
        if (quietCheckArmed) {
            return;
        }
        quietCheckArmed = true;
        int armedAt = frame.length();
        ctx.executor().schedule(() -> {
            quietCheckArmed = false;
            if (done) {
                return;
            }
            if (frame.quietDecodeDue(armedAt)) {
                tryDecode(ctx, false);
            } else if (frame.length() != armedAt) {
                armQuietCheck(ctx);
            }
        }, FrameAccumulator.QUIET_DECODE_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownReadComplete.INSTANCE && !done) {
            if (frame.length() == 0) {
                // FIN without data: nothing to answer.
                done = true;
                ((QuicStreamChannel) ctx.channel()).shutdownOutput();
            } else {
                tryDecode(ctx, true);
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * A failure while serving the stream. A failure of the broker itself (not an I/O error of the stream) before the
     * request was answered gets an internal error frame, so that the client learns that the broker failed (a stream
     * closed without an answer reads as the broker's answer to an unknown request type); otherwise the stream is
     * closed.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!done && !(cause instanceof IOException) && ctx.channel().isActive()) {
            LOG.log(System.Logger.Level.WARNING, "serving stream " + ctx.channel() + " failed", cause);
            finish(ctx, internalError(cause));
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "stream " + ctx.channel() + " failed: " + cause);
        ctx.close();
    }

    private void tryDecode(ChannelHandlerContext ctx, boolean atEnd) {
        Request request;
        try {
            request = frame.tryDecode((bytes, length) -> Frames.decodeRequestBody(type,
                    new BincodeReader(bytes, 1, length - 1)));
        } catch (ProtocolException e) {
            finish(ctx, Frames.encodeError("Error: Serialization error: " + e.getMessage()));
            return;
        } catch (RuntimeException e) {
            finish(ctx, Frames.encodeError("Error: Serialization error: " + e));
            return;
        }
        if (request == null) {
            if (atEnd) {
                finish(ctx, Frames.encodeError(EOF_ERROR));
            }
            return;
        }
        done = true;
        sizes.record(type, frame.length());
        frame.release();
        CompletableFuture<byte[]> answer;
        try {
            answer = processor.processAsync(request);
        } catch (RuntimeException | Error e) {
            // an Error too: an OutOfMemoryError from a full heap is answered as an internal error, so that the
            // client sees the broker's failure rather than a stream closed without an answer
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
        byte[] response;
        try {
            response = answer.join();
        } catch (RuntimeException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            LOG.log(System.Logger.Level.WARNING, "handling " + type + " failed", cause);
            response = internalError(cause);
        }
        if (response == null) {
            QuicStreamChannel ch = (QuicStreamChannel) ctx.channel();
            ch.shutdown(DROPPED_RESPONSE_ERROR_CODE).addListener(f -> ch.close());
            return;
        }
        respond(ctx, response);
    }

    /** The error frame for a failure of the broker itself: {@code Error: Internal error: <the throwable>}. */
    private static byte[] internalError(Throwable cause) {
        return Frames.encodeError("Error: Internal error: " + cause);
    }

    private void finish(ChannelHandlerContext ctx, byte[] response) {
        done = true;
        frame.release();
        respond(ctx, response);
    }

    private static void respond(ChannelHandlerContext ctx, byte[] frame) {
        ByteBuf out = ctx.alloc().directBuffer(frame.length).writeBytes(frame);
        ctx.writeAndFlush(out).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
    }
}
