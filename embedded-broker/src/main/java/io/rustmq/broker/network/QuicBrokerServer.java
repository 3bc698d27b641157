package io.rustmq.broker.network;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.incubator.codec.quic.Quic;
import io.netty.incubator.codec.quic.QuicServerCodecBuilder;
import io.netty.incubator.codec.quic.QuicSslContext;
import io.netty.incubator.codec.quic.QuicSslContextBuilder;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.rustmq.client.internal.transport.UdpPayload;
import io.rustmq.client.protocol.FrameSizes;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The QUIC server of the embedded broker (Netty incubator QUIC codec): ALPN {@value ServerSettings#ALPN} required,
 * optional mandatory client certificates, one request per client-opened bidirectional stream (see
 * {@link RequestStreamHandler}). Every Netty type of the broker stays in this package.
 *
 * <p>Transport settings: idle timeout from the settings (30 s by default), 1000 bidirectional streams per connection
 * served at once (more wait, and more than 16,384 open close the connection: {@link StreamAdmission}; the QUIC stream
 * credit itself is {@link #STREAM_CREDIT}), no unidirectional streams, 8 MiB per-stream and 32 MiB per-connection flow-control windows, 4 MiB UDP
 * socket buffers, default maximum UDP payload (1350 bytes). Thread-safe.
 */
public final class QuicBrokerServer implements AutoCloseable {
    /** Client-opened bidirectional streams per connection that are read and answered at once; more wait. */
    public static final int MAX_BIDI_STREAMS = 1000;
    /** Client-opened bidirectional streams per connection open at once (served and waiting) before it is closed. */
    public static final int MAX_OPEN_STREAMS = 16_384;
    /**
     * The bidirectional stream credit granted to a client: large enough never to need renewing, since the QUIC
     * library renews a small credit with one MAX_STREAMS packet per ended stream ({@link StreamAdmission}).
     */
    public static final long STREAM_CREDIT = 1L << 40;
    /** Per-stream flow-control window, bytes. */
    public static final long STREAM_WINDOW = 8L << 20;
    /** Per-connection flow-control window, bytes. */
    public static final long CONNECTION_WINDOW = 32L << 20;
    /** UDP socket send and receive buffer, bytes. */
    public static final int UDP_BUFFER = 4 << 20;

    private static final System.Logger LOG = System.getLogger(QuicBrokerServer.class.getName());
    /** Per connection: the sizes of its last requests by type, so that the next is read into a buffer that fits. */
    private static final AttributeKey<FrameSizes> REQUEST_SIZES =
            AttributeKey.valueOf(QuicBrokerServer.class, "requestSizes");
    /** Per connection: the streams it has open and those waiting to be served. */
    private static final AttributeKey<StreamAdmission> ADMISSION =
            AttributeKey.valueOf(QuicBrokerServer.class, "admission");

    private final EventLoopGroup group;
    private final Channel datagram;
    private final ChannelGroup connections;
    private final InetSocketAddress localAddress;
    private final AtomicBoolean closed = new AtomicBoolean();

    private QuicBrokerServer(EventLoopGroup group, Channel datagram, ChannelGroup connections) {
        this.group = group;
        this.datagram = datagram;
        this.connections = connections;
        this.localAddress = (InetSocketAddress) datagram.localAddress();
    }

    /**
     * Binds the UDP socket and starts serving.
     *
     * @param settings where to listen, TLS material and limits
     * @param processor handles each decoded request
     * @return the running server
     * @throws IOException if the native QUIC library cannot be loaded, the TLS context cannot be built, or the
     *     address cannot be bound (e.g. the port is taken)
     */
    public static QuicBrokerServer start(ServerSettings settings, RequestProcessor processor) throws IOException {
        return start(settings, processor, MAX_BIDI_STREAMS, MAX_OPEN_STREAMS);
    }

    /**
     * Binds the UDP socket and starts serving, with given stream limits per connection (tests use small ones).
     *
     * @param settings where to listen, TLS material and limits
     * @param processor handles each decoded request
     * @param servedStreams streams read and answered at once per connection
     * @param maxOpenStreams streams open at once per connection before it is closed
     * @return the running server
     * @throws IOException as {@link #start(ServerSettings, RequestProcessor)}
     */
    static QuicBrokerServer start(ServerSettings settings, RequestProcessor processor, int servedStreams,
                                  int maxOpenStreams) throws IOException {
        StreamAdmission.checkLimits(servedStreams, maxOpenStreams);
        try {
            Quic.ensureAvailability();
        } catch (Throwable e) {
            throw new IOException("the native QUIC library (netty-incubator-codec-native-quic) is not available on"
                    + " this platform: " + e, e);
        }
        QuicSslContext ssl = sslContext(settings);
        int sendPayload = sendPayloadLimit(settings.host());
        ChannelGroup connections = new DefaultChannelGroup("rustmq-broker-connections", GlobalEventExecutor.INSTANCE);
        ChannelHandler codec = new QuicServerCodecBuilder()
                .sslContext(ssl)
                .maxIdleTimeout(settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .initialMaxData(CONNECTION_WINDOW)
                .initialMaxStreamDataBidirectionalRemote(STREAM_WINDOW)
                .initialMaxStreamDataBidirectionalLocal(STREAM_WINDOW)
                .initialMaxStreamsBidirectional(STREAM_CREDIT)
                .initialMaxStreamsUnidirectional(0)
                .maxRecvUdpPayloadSize(UdpPayload.MAX_RECEIVE)
                .maxSendUdpPayloadSize(sendPayload)
                .streamOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .handler(new ConnectionTracker(connections))
                .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel ch) {
                        ch.pipeline().addLast(new RequestStreamHandler(processor, settings.maxRequestBytes(),
                                perConnection(ch, REQUEST_SIZES, FrameSizes::new)));
                        perConnection(ch, ADMISSION, () -> new StreamAdmission(servedStreams, maxOpenStreams))
                                .admit(ch);
                    }
                })
                .build();
        EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("rustmq-broker", true));
        ChannelFuture bind = new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, UdpPayload.receiveAllocator())
                .option(ChannelOption.SO_RCVBUF, UDP_BUFFER)
                .option(ChannelOption.SO_SNDBUF, UDP_BUFFER)
                .handler(codec)
                .bind(settings.host(), settings.port())
                .awaitUninterruptibly();
        if (!bind.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            Throwable cause = bind.cause();
            throw new IOException("cannot bind UDP " + settings.host() + ":" + settings.port() + ": " + cause, cause);
        }
        QuicBrokerServer server = new QuicBrokerServer(group, bind.channel(), connections);
        LOG.log(System.Logger.Level.DEBUG, "QUIC server bound to {0}", server.localAddress);
        return server;
    }

    /**
     * The largest datagram payload to send from a socket bound to {@code host}: the client's rule
     * ({@link UdpPayload#sendLimit}), which must hold for every address the host names, so that a broker bound to
     * loopback sends 64 KB datagrams and one reachable from the network never does.
     *
     * @param host the bind host name or IP literal
     * @return {@link UdpPayload#LOOPBACK_SEND} when every address of the host is a loopback address, else
     *     {@link UdpPayload#NETWORK_SEND} (also when the name cannot be resolved: the bind then fails anyway)
     */
    static int sendPayloadLimit(String host) {
        try {
            int limit = UdpPayload.LOOPBACK_SEND;
            for (InetAddress a : InetAddress.getAllByName(host)) {
                limit = Math.min(limit, UdpPayload.sendLimit(a));
            }
            return limit;
        } catch (UnknownHostException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot resolve bind host {0}: {1}", host, e.getMessage());
            return UdpPayload.NETWORK_SEND;
        }
    }

    /**
     * A stream's per-connection state under {@code key}, created with the connection's first stream (streams and
     * their connection share one event loop, so no lock is needed).
     */
    private static <T> T perConnection(QuicStreamChannel stream, AttributeKey<T> key, Supplier<T> create) {
        Attribute<T> a = stream.parent().attr(key);
        T value = a.get();
        if (value == null) {
            value = create.get();
            a.set(value);
        }
        return value;
    }

    private static QuicSslContext sslContext(ServerSettings s) throws IOException {
        try {
            QuicSslContextBuilder b = QuicSslContextBuilder
                    .forServer(s.serverKey().privateKey(), null,
                            s.serverKey().chain().toArray(new X509Certificate[0]))
                    .applicationProtocols(ServerSettings.ALPN);
            if (!s.clientCas().isEmpty()) {
                b.trustManager(s.clientCas().toArray(new X509Certificate[0])).clientAuth(ClientAuth.REQUIRE);
            }
            return b.build();
        } catch (RuntimeException e) {
            throw new IOException("cannot build the server TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * The address the UDP socket is bound to.
     *
     * @return the bound address, with the real port when 0 was asked for
     */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /**
     * How many QUIC connections are open.
     *
     * @return the number of connections
     */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * Closes every connection (CONNECTION_CLOSE to the clients), unbinds the port and stops the event loop, waiting
     * at most about 5 seconds in all. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
            datagram.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
        LOG.log(System.Logger.Level.DEBUG, "QUIC server on {0} closed", localAddress);
    }

    /** Keeps the set of open connections, to close them on shutdown. */
    @ChannelHandler.Sharable
    private static final class ConnectionTracker extends ChannelInboundHandlerAdapter {
        private final ChannelGroup connections;

        ConnectionTracker(ChannelGroup connections) {
            this.connections = connections;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connections.add(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(System.Logger.Level.DEBUG, () -> "connection " + ctx.channel() + " failed: " + cause);
            ctx.close();
        }
    }
}
