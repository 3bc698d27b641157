package io.rustmq.broker.network;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.incubator.codec.quic.DefaultQuicStreamFrame;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicClientCodecBuilder;
import io.netty.incubator.codec.quic.QuicSslContext;
import io.netty.incubator.codec.quic.QuicSslContextBuilder;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.netty.incubator.codec.quic.QuicStreamType;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.rustmq.broker.tls.CertifiedKey;
import io.rustmq.broker.tls.Pem;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.Request;
import io.rustmq.client.protocol.Response;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A small raw QUIC client for tests: one bidirectional stream per request, the frame written with FIN (or FIN
 * delayed on request), the response collected until the broker's end of stream. Uses {@link Frames} to encode and
 * decode. Not the project's transport: just enough to drive the broker.
 */
public final class QuicTestClient implements AutoCloseable {
    /** The largest datagram this client announces and can read whole with Netty's default buffer, in bytes. */
    static final int SMALL_PEER_UDP_PAYLOAD = 1_350;

    /** How long one exchange may take. */
    public static final long TIMEOUT_SECONDS = 10;

    private final EventLoopGroup group;
    private final Channel datagram;
    private final QuicChannel connection;

    private QuicTestClient(EventLoopGroup group, Channel datagram, QuicChannel connection) {
        this.group = group;
        this.datagram = datagram;
        this.connection = connection;
    }

    /**
     * Connects, trusting the given certificate PEM (or anything, if null), with ALPN {@code rustmq}.
     *
     * @param address the broker
     * @param trustPem the PEM of the broker's certificate or CA; {@code null} to skip verification
     * @param clientKey a client certificate for mutual TLS, or {@code null}
     * @return the connected client
     * @throws Exception if the handshake fails
     */
    public static QuicTestClient connect(InetSocketAddress address, Path trustPem, CertifiedKey clientKey)
            throws Exception {
        return connect(address, trustPem, clientKey, "rustmq");
    }

    /**
     * Connects with the given ALPN.
     *
     * @param address the broker
     * @param trustPem the PEM to trust, or {@code null} for no verification
     * @param clientKey a client certificate, or {@code null}
     * @param alpn the application protocol to offer
     * @return the connected client
     * @throws Exception if the handshake fails
     */
    public static QuicTestClient connect(InetSocketAddress address, Path trustPem, CertifiedKey clientKey,
                                         String alpn) throws Exception {
        return connect(address, trustPem, clientKey, alpn, TIMEOUT_SECONDS);
    }

    /**
     * Connects with the given ALPN and handshake timeout.
     *
     * @param address the broker
     * @param trustPem the PEM to trust, or {@code null} for no verification
     * @param clientKey a client certificate, or {@code null}
     * @param alpn the application protocol to offer
     * @param timeoutSeconds how long the handshake may take
     * @return the connected client
     * @throws Exception if the handshake fails or times out
     */
    public static QuicTestClient connect(InetSocketAddress address, Path trustPem, CertifiedKey clientKey,
                                         String alpn, long timeoutSeconds) throws Exception {
        QuicSslContextBuilder sb = QuicSslContextBuilder.forClient().applicationProtocols(alpn);
        if (trustPem == null) {
            sb.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else {
            sb.trustManager(Pem.readCertificates(trustPem).toArray(new X509Certificate[0]));
        }
        if (clientKey != null) {
            sb.keyManager(clientKey.privateKey(), null, clientKey.chain().toArray(new X509Certificate[0]));
        }
        QuicSslContext ssl = sb.build();
        ChannelHandler codec = new QuicClientCodecBuilder()
                .sslContext(ssl)
                .maxIdleTimeout(30, TimeUnit.SECONDS)
                .initialMaxData(64L << 20)
                .initialMaxStreamDataBidirectionalLocal(16L << 20)
                .initialMaxStreamDataBidirectionalRemote(16L << 20)
                // A peer that reads with Netty's default 2,048-byte datagram buffer must say so: the broker sends
                // datagrams up to what a peer announces (64 KB on loopback), and a cut datagram never decrypts.
                // This client announces 1,350 bytes, so the broker's tests also cover a small-datagram peer.
                .maxRecvUdpPayloadSize(SMALL_PEER_UDP_PAYLOAD)
                .build();
        EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("quic-test-client", true));
        try {
            Channel datagram = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .option(ChannelOption.SO_RCVBUF, 4 << 20)
                    .option(ChannelOption.SO_SNDBUF, 4 << 20)
                    .handler(codec).bind(0).sync().channel();
            QuicChannel connection = QuicChannel.newBootstrap(datagram)
                    .streamHandler(new ChannelInboundHandlerAdapter())
                    .remoteAddress(address)
                    .connect().get(timeoutSeconds, TimeUnit.SECONDS);
            return new QuicTestClient(group, datagram, connection);
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * Sends a request and decodes the response.
     *
     * @param request the request
     * @return the response
     * @throws Exception on a transport failure, or {@code BrokerErrorException} for a 0xFF frame
     */
    public Response request(Request request) throws Exception {
        return Frames.decodeResponse(request.type(), exchange(Frames.encodeRequest(request)));
    }

    /**
     * Writes a frame with FIN and reads the whole response.
     *
     * @param frame the bytes to send
     * @return every byte the broker sent before its FIN
     * @throws Exception on a reset, a closed connection or a timeout
     */
    public byte[] exchange(byte[] frame) throws Exception {
        return get(send(frame, true).response());
    }

    /**
     * An exchange in progress.
     *
     * @param stream the stream
     * @param response completes with the response bytes at the broker's FIN, or exceptionally
     */
    public record Exchange(QuicStreamChannel stream, CompletableFuture<byte[]> response) {
        /** Sends FIN now (for exchanges started without it). */
        public void finish() {
            stream.shutdownOutput();
        }
    }

    /**
     * Opens a stream and writes a frame.
     *
     * @param frame the bytes
     * @param fin whether to send FIN with them
     * @return the exchange
     * @throws Exception if the stream cannot be opened
     */
    public Exchange send(byte[] frame, boolean fin) throws Exception {
        CompletableFuture<byte[]> response = new CompletableFuture<>();
        QuicStreamChannel stream = openStream(response);
        ByteBuf buf = stream.alloc().directBuffer(Math.max(1, frame.length)).writeBytes(frame);
        if (fin) {
            stream.writeAndFlush(buf).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        } else {
            stream.writeAndFlush(buf);
        }
        return new Exchange(stream, response);
    }

    /** Opens a bidirectional stream whose bytes, up to the broker's FIN, complete {@code response}. */
    private QuicStreamChannel openStream(CompletableFuture<byte[]> response) throws Exception {
        return connection.newStreamBootstrap()
                .type(QuicStreamType.BIDIRECTIONAL)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .handler(new Collector(response))
                .create().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Opens a stream and writes a frame and FIN in one STREAM frame, as the project's client does (spec §3.1),
     * rather than FIN in a write of its own as {@link #send} does.
     *
     * @param frame the bytes
     * @return the exchange
     * @throws Exception if the stream cannot be opened
     */
    public Exchange sendWithFin(byte[] frame) throws Exception {
        CompletableFuture<byte[]> response = new CompletableFuture<>();
        QuicStreamChannel stream = openStream(response);
        ByteBuf buf = stream.alloc().directBuffer(Math.max(1, frame.length)).writeBytes(frame);
        stream.writeAndFlush(new DefaultQuicStreamFrame(buf, true));
        return new Exchange(stream, response);
    }

    /**
     * Waits for a response.
     *
     * @param response the future
     * @return its bytes
     * @throws Exception the failure, unwrapped, or a timeout
     */
    public static byte[] get(CompletableFuture<byte[]> response) throws Exception {
        try {
            return response.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /**
     * The QUIC packets this client has received on its connection so far.
     *
     * @return the count, from the QUIC library's connection statistics
     * @throws Exception if the statistics cannot be read (the connection is closed)
     */
    public long packetsReceived() throws Exception {
        return connection.collectStats().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).recv();
    }

    /**
     * Whether the QUIC connection is still open.
     *
     * @return {@code true} if active
     */
    public boolean isActive() {
        return connection.isActive();
    }

    @Override
    public void close() {
        try {
            connection.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
            datagram.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
    }

    private static final class Collector extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<byte[]> response;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Collector(CompletableFuture<byte[]> response) {
            this.response = response;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            try {
                byte[] chunk = new byte[b.readableBytes()];
                b.readBytes(chunk);
                bytes.writeBytes(chunk);
            } finally {
                b.release();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownReadComplete.INSTANCE) {
                response.complete(bytes.toByteArray());
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            response.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            response.completeExceptionally(new IOException("stream closed before the broker's end of stream"));
        }
    }
}
