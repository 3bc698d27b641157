package io.rustmq.benchmarks.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicClientCodecBuilder;
import io.netty.incubator.codec.quic.QuicSslContext;
import io.netty.incubator.codec.quic.QuicSslContextBuilder;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.netty.incubator.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.rustmq.benchmarks.perf.ChildProcess;
import io.rustmq.benchmarks.perf.Stopwatch;
import io.rustmq.benchmarks.perf.Summary;
import io.rustmq.client.internal.transport.UdpPayload;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The ceiling of the QUIC transport on this machine, measured with Netty's incubator QUIC codec directly (no RustMQ
 * code): a {@link RawQuicServer} in a separate process, the client in this one, one connection on loopback, 4 MiB
 * UDP buffers, ALPN {@code rustmq}, every last write carrying FIN.
 * <ol>
 *   <li>one-way: one stream, {@code writeSize}-byte writes (64 KiB) for a fixed time, then FIN; the server answers
 *   with the byte count it received; MB/s = that count over the time from the first write to that answer;</li>
 *   <li>request/response: a new bidirectional stream per {@code requestSize}-byte request (100 B) with FIN, the
 *   server echoes it with FIN, {@code inFlight} (32) streams at a time; round trips/s.</li>
 * </ol>
 * The client trusts any certificate (the server's is self-signed and generated per run): verification happens once
 * per handshake and does not affect these figures.
 */
public final class TransportPerf {
    /**
     * What to measure.
     *
     * @param writeSize bytes per write of the one-way test
     * @param requestSize bytes per request (and response) of the request/response test
     * @param inFlight streams in flight in the request/response test
     * @param warmupSeconds seconds of each test run first and discarded
     * @param seconds measured seconds of each test
     * @param serverJvmOptions JVM options of the server process
     */
    public record Options(int writeSize, int requestSize, int inFlight, double warmupSeconds, double seconds,
                          List<String> serverJvmOptions) {
    }

    /**
     * The measured ceiling.
     *
     * @param oneWayBytes bytes the server received in the measured one-way run
     * @param oneWaySeconds its duration
     * @param oneWayMBps MB/s (1 MB = 1,048,576 bytes)
     * @param oneWayClientCpuSeconds CPU seconds of this process in that run
     * @param oneWayServerCpuSeconds CPU seconds of the server process in that run
     * @param roundTrips round trips completed in the measured request/response run
     * @param rpcSeconds its duration
     * @param roundTripsPerSec round trips per second
     * @param rpcClientCpuSeconds CPU seconds of this process in that run
     * @param rpcServerCpuSeconds CPU seconds of the server process in that run
     * @param serialRoundTripsPerSec round trips per second with one request in flight
     * @param serialClientCpuMicrosPerRoundTrip CPU microseconds of this process per round trip with one in flight
     * @param options what was measured
     */
    public record Result(long oneWayBytes, double oneWaySeconds, double oneWayMBps, double oneWayClientCpuSeconds,
                         double oneWayServerCpuSeconds, long roundTrips, double rpcSeconds, double roundTripsPerSec,
                         double rpcClientCpuSeconds, double rpcServerCpuSeconds, double serialRoundTripsPerSec,
                         double serialClientCpuMicrosPerRoundTrip, Options options) {
        /**
         * Prints the result.
         *
         * @param out where
         */
        public void print(PrintStream out) {
            out.printf(Locale.ROOT, "transport one-way: %,d bytes in %.2f s: %.1f MB/s in %,d-byte writes"
                            + " (client CPU %.2f s, server CPU %.2f s)%n", oneWayBytes, oneWaySeconds, oneWayMBps,
                    options.writeSize(), oneWayClientCpuSeconds, oneWayServerCpuSeconds);
            out.printf(Locale.ROOT, "transport request/response: %,d round trips in %.2f s: %,.0f round trips/s"
                            + " (%d-byte requests, new stream each, %d in flight; client CPU %.2f s = %.1f us per"
                            + " round trip, server CPU %.2f s)%n", roundTrips, rpcSeconds, roundTripsPerSec,
                    options.requestSize(), options.inFlight(), rpcClientCpuSeconds,
                    roundTrips == 0 ? 0 : rpcClientCpuSeconds * 1e6 / roundTrips, rpcServerCpuSeconds);
            out.printf(Locale.ROOT, "transport request/response, 1 in flight: %,.0f round trips/s (%.1f us per"
                    + " round trip; client CPU %.1f us per round trip)%n", serialRoundTripsPerSec,
                    1e6 / serialRoundTripsPerSec, serialClientCpuMicrosPerRoundTrip);
        }
    }

    private TransportPerf() {
    }

    /**
     * Starts the raw server, measures both tests and stops the server.
     *
     * @param o what to measure
     * @param out where to print progress
     * @return the result
     * @throws Exception if the server cannot start or a test fails
     */
    public static Result run(Options o, PrintStream out) throws Exception {
        long lifetime = (long) (4 * (o.warmupSeconds() + o.seconds()) + 60);
        try (ChildProcess server = ChildProcess.start("raw-quic-server", o.serverJvmOptions(),
                RawQuicServer.class.getName(), List.of("--port", "0", "--max-seconds", Long.toString(lifetime)),
                RawQuic.READY, Duration.ofSeconds(30))) {
            String hostPort = server.readyRest();
            int colon = hostPort.lastIndexOf(':');
            InetSocketAddress address = new InetSocketAddress(hostPort.substring(0, colon),
                    Integer.parseInt(hostPort.substring(colon + 1)));
            out.println("raw QUIC server " + server + " on " + hostPort);
            EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("raw-quic-client", true));
            try {
                QuicChannel quic = connect(group, address);
                long timeout = (long) (o.seconds() + o.warmupSeconds()) + 30;

                if (o.warmupSeconds() > 0) {
                    oneWay(quic, o.writeSize(), o.warmupSeconds()).get(timeout, TimeUnit.SECONDS);
                }
                Stopwatch w1 = new Stopwatch(server.handle());
                w1.start();
                long bytes = oneWay(quic, o.writeSize(), o.seconds()).get(timeout, TimeUnit.SECONDS);
                w1.stop();
                double mbps = bytes / Summary.MB / w1.seconds();
                out.printf(Locale.ROOT, "  one-way: %.1f MB/s%n", mbps);

                if (o.warmupSeconds() > 0) {
                    new Rpc(quic, o.requestSize(), o.inFlight(), o.warmupSeconds()).run().get(timeout,
                            TimeUnit.SECONDS);
                }
                Stopwatch w2 = new Stopwatch(server.handle());
                w2.start();
                long trips = new Rpc(quic, o.requestSize(), o.inFlight(), o.seconds()).run().get(timeout,
                        TimeUnit.SECONDS);
                w2.stop();
                out.printf(Locale.ROOT, "  request/response: %,.0f round trips/s%n", trips / w2.seconds());

                Stopwatch w3 = new Stopwatch(null);
                w3.start();
                long serial = new Rpc(quic, o.requestSize(), 1, o.seconds()).run().get(timeout, TimeUnit.SECONDS);
                w3.stop();
                double serialRate = serial / w3.seconds();
                out.printf(Locale.ROOT, "  request/response, 1 in flight: %,.0f round trips/s%n", serialRate);
                quic.close().await(2, TimeUnit.SECONDS);
                return new Result(bytes, w1.seconds(), mbps, w1.cpuSeconds(), w1.otherCpuSeconds(), trips,
                        w2.seconds(), trips / w2.seconds(), w2.cpuSeconds(), w2.otherCpuSeconds(), serialRate,
                        serial == 0 ? 0 : w3.cpuSeconds() * 1e6 / serial, o);
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
            }
        }
    }

    private static QuicChannel connect(EventLoopGroup group, InetSocketAddress address) throws Exception {
        QuicSslContext ssl = QuicSslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocols(RawQuic.ALPN).build();
        ChannelHandler codec = new QuicClientCodecBuilder()
                .sslContext(ssl)
                .maxIdleTimeout(30, TimeUnit.SECONDS)
                .initialMaxData(RawQuic.CONNECTION_WINDOW)
                .initialMaxStreamDataBidirectionalLocal(RawQuic.STREAM_WINDOW)
                .initialMaxStreamDataBidirectionalRemote(RawQuic.STREAM_WINDOW)
                .initialMaxStreamsBidirectional(0)
                .initialMaxStreamsUnidirectional(0)
                .maxRecvUdpPayloadSize(UdpPayload.MAX_RECEIVE)
                .maxSendUdpPayloadSize(UdpPayload.LOOPBACK_SEND)
                .build();
        Channel udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, UdpPayload.receiveAllocator())
                .option(ChannelOption.SO_RCVBUF, RawQuic.UDP_BUFFER)
                .option(ChannelOption.SO_SNDBUF, RawQuic.UDP_BUFFER)
                .handler(codec)
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        return QuicChannel.newBootstrap(udp)
                .handler(new ChannelInboundHandlerAdapter())
                .streamHandler(new ChannelInboundHandlerAdapter())
                .remoteAddress(address)
                .connect().get(10, TimeUnit.SECONDS);
    }

    /** One stream, large writes for a while, then FIN; completes with the server's count of bytes received. */
    private static CompletableFuture<Long> oneWay(QuicChannel quic, int writeSize, double seconds) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        byte[] content = new byte[writeSize];
        ThreadLocalRandom.current().nextBytes(content);
        content[0] = RawQuic.SINK;
        ByteBuf chunk = Unpooled.unreleasableBuffer(Unpooled.directBuffer(writeSize).writeBytes(content));
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        var handler = new ChannelInboundHandlerAdapter() {
            private boolean finished;
            private final ByteBuf reply = Unpooled.buffer(8);

            void pump(Channel ch) {
                if (finished) {
                    return;
                }
                while (ch.isWritable()) {
                    if (System.nanoTime() >= deadline) {
                        finished = true;
                        ch.writeAndFlush(chunk.duplicate()).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
                        return;
                    }
                    ch.write(chunk.duplicate());
                }
                ch.flush();
            }

            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                pump(ctx.channel());
                ctx.fireChannelWritabilityChanged();
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    reply.writeBytes((ByteBuf) msg);
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt == ChannelInputShutdownReadComplete.INSTANCE) {
                    if (reply.readableBytes() >= 8) {
                        result.complete(reply.readLong());
                    } else {
                        result.completeExceptionally(new IllegalStateException("the server's count is "
                                + reply.readableBytes() + " bytes long"));
                    }
                    ctx.close();
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                result.completeExceptionally(cause);
                ctx.close();
            }
        };
        quic.newStreamBootstrap().type(QuicStreamType.BIDIRECTIONAL)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 2 << 20))
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .handler(handler)
                .create().addListener(f -> {
                    if (!f.isSuccess()) {
                        result.completeExceptionally(f.cause());
                    } else {
                        handler.pump((Channel) f.getNow());
                    }
                });
        return result;
    }

    /** Request/response with a new stream per request and a fixed number in flight, on the connection's loop. */
    private static final class Rpc {
        private final QuicChannel quic;
        private final ByteBuf request;
        private final int requestSize;
        private final int inFlight;
        private final long durationNanos;
        private final CompletableFuture<Long> result = new CompletableFuture<>();
        private long deadline;
        private long completed;
        private int active;

        Rpc(QuicChannel quic, int requestSize, int inFlight, double seconds) {
            this.quic = quic;
            this.requestSize = requestSize;
            this.inFlight = inFlight;
            this.durationNanos = (long) (seconds * 1e9);
            byte[] content = new byte[requestSize];
            ThreadLocalRandom.current().nextBytes(content);
            content[0] = RawQuic.ECHO;
            this.request = Unpooled.unreleasableBuffer(Unpooled.directBuffer(requestSize).writeBytes(content));
        }

        CompletableFuture<Long> run() {
            quic.eventLoop().execute(() -> {
                deadline = System.nanoTime() + durationNanos;
                for (int i = 0; i < inFlight; i++) {
                    launch();
                }
            });
            return result;
        }

        private void launch() {
            if (result.isDone()) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                if (active == 0) {
                    result.complete(completed);
                }
                return;
            }
            active++;
            quic.newStreamBootstrap().type(QuicStreamType.BIDIRECTIONAL)
                    .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .handler(new Exchange())
                    .create().addListener(f -> {
                        if (!f.isSuccess()) {
                            result.completeExceptionally(f.cause());
                            return;
                        }
                        ((Channel) f.getNow()).writeAndFlush(request.duplicate())
                                .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
                    });
        }

        /** One request's stream. */
        private final class Exchange extends ChannelInboundHandlerAdapter {
            private int received;
            private boolean ended;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                received += ((ByteBuf) msg).readableBytes();
                ReferenceCountUtil.release(msg);
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt == ChannelInputShutdownReadComplete.INSTANCE && !ended) {
                    ended = true;
                    ctx.close();
                    if (received != requestSize) {
                        result.completeExceptionally(new IllegalStateException("echo of " + received
                                + " bytes, expected " + requestSize));
                        return;
                    }
                    completed++;
                    active--;
                    launch();
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                result.completeExceptionally(cause);
                ctx.close();
            }
        }
    }
}
