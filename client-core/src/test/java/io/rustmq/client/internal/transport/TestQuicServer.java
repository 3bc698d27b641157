package io.rustmq.client.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.incubator.codec.quic.DefaultQuicStreamFrame;
import io.netty.incubator.codec.quic.InsecureQuicTokenHandler;
import io.netty.incubator.codec.quic.QuicServerCodecBuilder;
import io.netty.incubator.codec.quic.QuicSslContext;
import io.netty.incubator.codec.quic.QuicSslContextBuilder;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.netty.incubator.codec.quic.QuicStreamFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small QUIC server for transport tests, on 127.0.0.1 and an ephemeral port, ALPN {@code rustmq}. Each
 * client-opened bidirectional stream is read to FIN; an empty request is answered with FIN only (as the broker
 * does), any other request is handed to the pluggable {@link Behaviour}.
 */
final class TestQuicServer implements AutoCloseable {
    /** What the server does with one request (the whole frame, read to FIN). Runs on the server's event loop. */
    @FunctionalInterface
    interface Behaviour {
        void onRequest(byte[] request, QuicStreamChannel stream);
    }

    private final EventLoopGroup group;
    private final Channel channel;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger handshakesStarted = new AtomicInteger();
    private final AtomicInteger connectionsEnded = new AtomicInteger();
    private final AtomicInteger streamsOpened = new AtomicInteger();
    private final AtomicInteger requestStreams = new AtomicInteger();
    private final AtomicInteger emptyStreams = new AtomicInteger();
    private final AtomicInteger openNow = new AtomicInteger();
    private final AtomicInteger maxOpenAtOnce = new AtomicInteger();
    private final AtomicInteger largestDatagram = new AtomicInteger();
    private volatile Behaviour behaviour;

    private TestQuicServer(Builder b) throws Exception {
        this.behaviour = b.behaviour;
        QuicSslContextBuilder ssl = QuicSslContextBuilder.forServer(b.key, null, b.chain)
                .applicationProtocols("rustmq");
        if (b.clientCa != null) {
            ssl.trustManager(b.clientCa).clientAuth(ClientAuth.REQUIRE);
        }
        QuicSslContext sslContext = ssl.build();
        group = new NioEventLoopGroup(1, new DefaultThreadFactory("test-quic-server", true));
        ChannelHandler codec = new QuicServerCodecBuilder()
                .sslContext(sslContext)
                .maxIdleTimeout(b.idleTimeoutMillis, TimeUnit.MILLISECONDS)
                .initialMaxData(32L * 1024 * 1024)
                .initialMaxStreamDataBidirectionalLocal(1024 * 1024)
                .initialMaxStreamDataBidirectionalRemote(1024 * 1024)
                .initialMaxStreamsBidirectional(b.maxStreams)
                .initialMaxStreamsUnidirectional(100)
                .tokenHandler(InsecureQuicTokenHandler.INSTANCE)
                .maxRecvUdpPayloadSize(b.receiveUdpPayload)
                .maxSendUdpPayloadSize(b.sendUdpPayload)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void handlerAdded(ChannelHandlerContext ctx) {
                        // Added when the client's first packet arrives, before the handshake completes.
                        handshakesStarted.incrementAndGet();
                        ctx.channel().closeFuture().addListener(f -> connectionsEnded.incrementAndGet());
                    }

                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        connections.incrementAndGet();
                        ctx.fireChannelActive();
                    }

                    @Override
                    public boolean isSharable() {
                        return true;
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        // handshake failures and resets are expected in hostile tests
                    }
                })
                .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel ch) {
                        ch.config().setReadFrames(true);
                        ch.pipeline().addLast(new RequestReader());
                    }
                })
                .build();
        channel = new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(b.receiveUdpPayload))
                .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
                .option(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof DatagramPacket p) {
                                    largestDatagram.accumulateAndGet(p.content().readableBytes(), Math::max);
                                }
                                ctx.fireChannelRead(msg);
                            }
                        }, codec);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
    }

    /** The largest UDP datagram payload received so far, in bytes. */
    int largestDatagramReceived() {
        return largestDatagram.get();
    }

    static Builder builder(TestPki.Identity identity) {
        return new Builder(identity.key(), identity.cert());
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** An unresolved {@code localhost:port}, as a configuration would give it. */
    InetSocketAddress localhost() {
        return InetSocketAddress.createUnresolved("localhost", address().getPort());
    }

    void behaviour(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    int connections() {
        return connections.get();
    }

    /** QUIC connections the server began, handshake completed or not. */
    int handshakesStarted() {
        return handshakesStarted.get();
    }

    /** Server-side QUIC connections that have ended (closed by a peer's CONNECTION_CLOSE, an error or idleness). */
    int connectionsEnded() {
        return connectionsEnded.get();
    }

    /** Every client stream the server saw, including empty (keep-alive / connection-check) ones. */
    int streamsOpened() {
        return streamsOpened.get();
    }

    /** Streams that carried at least one request byte. */
    int requestStreams() {
        return requestStreams.get();
    }

    /** Streams that carried no byte, only FIN. */
    int emptyStreams() {
        return emptyStreams.get();
    }

    /** The most streams open at the same time on the server. */
    int maxOpenAtOnce() {
        return maxOpenAtOnce.get();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Responses

    /** Writes the bytes and FIN in one write. */
    static void respond(QuicStreamChannel stream, byte[] bytes) {
        ByteBuf data = bytes.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
        stream.writeAndFlush(new DefaultQuicStreamFrame(data, true));
    }

    /** Writes the bytes without FIN. */
    static void write(QuicStreamChannel stream, byte[] bytes) {
        stream.writeAndFlush(Unpooled.wrappedBuffer(bytes));
    }

    /**
     * Writes 16 KiB chunks for as long as the stream accepts them (one chunk outstanding at a time). The bytes start
     * like a FetchResponse announcing a million records, so no prefix of them is ever a whole response.
     */
    static void writeForever(QuicStreamChannel stream) {
        byte[] chunk = new byte[16 * 1024];
        chunk[0] = 2;
        chunk[1] = 0x40;
        chunk[2] = 0x42;
        chunk[3] = 0x0F;
        writeNext(stream, Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(chunk)));
    }

    private static void writeNext(QuicStreamChannel stream, ByteBuf chunk) {
        if (!stream.isActive()) {
            return;
        }
        stream.writeAndFlush(chunk.duplicate()).addListener(f -> {
            if (f.isSuccess()) {
                stream.eventLoop().execute(() -> writeNext(stream, chunk));
            }
        });
    }

    private final class RequestReader extends ChannelInboundHandlerAdapter {
        private final ByteArrayOutputStream request = new ByteArrayOutputStream();
        private boolean answered;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            streamsOpened.incrementAndGet();
            int now = openNow.incrementAndGet();
            maxOpenAtOnce.accumulateAndGet(now, Math::max);
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            openNow.decrementAndGet();
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!(msg instanceof QuicStreamFrame frame)) {
                    return;
                }
                ByteBuf content = frame.content();
                byte[] bytes = new byte[content.readableBytes()];
                content.readBytes(bytes);
                request.writeBytes(bytes);
                if (frame.hasFin() && !answered) {
                    answered = true;
                    QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
                    byte[] whole = request.toByteArray();
                    if (whole.length == 0) {
                        emptyStreams.incrementAndGet();
                        respond(stream, new byte[0]);
                    } else {
                        requestStreams.incrementAndGet();
                        behaviour.onRequest(whole, stream);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Configures a {@link TestQuicServer}. */
    static final class Builder {
        private final PrivateKey key;
        private final X509Certificate[] chain;
        private X509Certificate clientCa;
        private long maxStreams = 1000;
        private long idleTimeoutMillis = 30_000;
        private Behaviour behaviour = (req, stream) -> respond(stream, new byte[0]);
        private int receiveUdpPayload = UdpPayload.MAX_RECEIVE;
        private int sendUdpPayload = UdpPayload.LOOPBACK_SEND;

        private Builder(PrivateKey key, X509Certificate... chain) {
            this.key = key;
            this.chain = chain;
        }

        /** Requires a client certificate signed by this CA. */
        Builder requireClientCertificate(X509Certificate ca) {
            this.clientCa = ca;
            return this;
        }

        Builder maxStreams(long maxStreams) {
            this.maxStreams = maxStreams;
            return this;
        }

        Builder idleTimeoutMillis(long idleTimeoutMillis) {
            this.idleTimeoutMillis = idleTimeoutMillis;
            return this;
        }

        Builder behaviour(Behaviour behaviour) {
            this.behaviour = behaviour;
            return this;
        }

        /**
         * The largest datagram payload the server announces (and reads whole) and the largest it sends, in bytes.
         * By default the broker's loopback sizes; a small pair stands in for a peer on another QUIC stack.
         */
        Builder udpPayload(int receive, int send) {
            this.receiveUdpPayload = receive;
            this.sendUdpPayload = send;
            return this;
        }

        TestQuicServer start() {
            try {
                return new TestQuicServer(this);
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the test QUIC server", e);
            }
        }
    }
}
