package io.rustmq.benchmarks.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.netty.incubator.codec.quic.QuicServerCodecBuilder;
import io.netty.incubator.codec.quic.QuicSslContext;
import io.netty.incubator.codec.quic.QuicSslContextBuilder;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.rustmq.client.internal.transport.UdpPayload;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A raw QUIC server on Netty's incubator codec, with the embedded broker's transport settings (one event-loop
 * thread, 4 MiB UDP buffers, ALPN {@code rustmq}, 32 MiB / 8 MiB flow-control windows, 1000 bidirectional
 * streams, a self-signed certificate) but no protocol: a stream starting with {@code S} is counted and answered
 * with the count at FIN; a stream starting with {@code E} is echoed whole at FIN. Every answer goes out in one
 * write with FIN. Started by {@code rustmq-perf transport} in its own process:
 * {@code java -cp rustmq-benchmarks.jar io.rustmq.benchmarks.transport.RawQuicServer [--port P] [--max-seconds S]}.
 * It exits after {@code --max-seconds} (default 600) whatever happens.
 */
public final class RawQuicServer {
    private RawQuicServer() {
    }

    /**
     * Runs the server.
     *
     * @param args {@code --port P} (default 0: any free port) and {@code --max-seconds S} (default 600)
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = 0;
        long maxSeconds = 600;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port": port = Integer.parseInt(args[i + 1]); break;
                case "--max-seconds": maxSeconds = Long.parseLong(args[i + 1]); break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
        QuicSslContext ssl = QuicSslContextBuilder.forServer(cert.privateKey(), null, cert.certificate())
                .applicationProtocols(RawQuic.ALPN).build();
        ChannelHandler codec = new QuicServerCodecBuilder()
                .sslContext(ssl)
                .maxIdleTimeout(30, TimeUnit.SECONDS)
                .initialMaxData(RawQuic.CONNECTION_WINDOW)
                .initialMaxStreamDataBidirectionalRemote(RawQuic.STREAM_WINDOW)
                .initialMaxStreamDataBidirectionalLocal(RawQuic.STREAM_WINDOW)
                .initialMaxStreamsBidirectional(RawQuic.MAX_STREAMS)
                .initialMaxStreamsUnidirectional(0)
                .maxRecvUdpPayloadSize(UdpPayload.MAX_RECEIVE)
                .maxSendUdpPayloadSize(UdpPayload.LOOPBACK_SEND)
                .streamOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public boolean isSharable() {
                        return true;
                    }
                })
                .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel ch) {
                        ch.pipeline().addLast(new StreamHandler());
                    }
                })
                .build();
        EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("raw-quic-server", true));
        Channel channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, UdpPayload.receiveAllocator())
                .option(ChannelOption.SO_RCVBUF, RawQuic.UDP_BUFFER)
                .option(ChannelOption.SO_SNDBUF, RawQuic.UDP_BUFFER)
                .handler(codec)
                .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
        InetSocketAddress local = (InetSocketAddress) channel.localAddress();
        System.out.println(RawQuic.READY + "127.0.0.1:" + local.getPort());
        System.out.flush();
        if (!channel.closeFuture().await(maxSeconds, TimeUnit.SECONDS)) {
            System.err.println("RawQuicServer: --max-seconds " + maxSeconds + " reached, exiting");
        }
        channel.close().await(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        System.exit(0);
    }

    /** Serves one stream. */
    private static final class StreamHandler extends ChannelInboundHandlerAdapter {
        private byte mode;
        private long count;
        private ByteBuf echo;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                ByteBuf in = (ByteBuf) msg;
                int n = in.readableBytes();
                if (n == 0) {
                    return;
                }
                if (mode == 0) {
                    mode = in.getByte(in.readerIndex());
                }
                count += n;
                if (mode == RawQuic.ECHO) {
                    if (echo == null) {
                        echo = ctx.alloc().directBuffer(Math.max(n, 128));
                    }
                    echo.writeBytes(in);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownReadComplete.INSTANCE) {
                ByteBuf out;
                if (mode == RawQuic.ECHO && echo != null) {
                    out = echo;
                    echo = null;
                } else {
                    out = ctx.alloc().directBuffer(8).writeLong(count);
                }
                ctx.writeAndFlush(out).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (echo != null) {
                echo.release();
                echo = null;
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
