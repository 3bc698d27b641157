package io.rustmq.client.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.incubator.codec.quic.Quic;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicClientCodecBuilder;
import io.netty.incubator.codec.quic.QuicSslEngine;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.ConnectionException;
import io.rustmq.client.RequestTimeoutException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.internal.ClientThreads;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The QUIC transport of the client: owns the network threads (1–2 threads, by default daemon threads named
 * {@code rustmq-quic-*}; or from the {@link ThreadFactory} given to {@link #create(ClientConfig, Executor,
 * ThreadFactory)}), one
 * UDP socket per broker connection (4 MiB send and receive buffers), and the TLS context built from
 * {@link ClientConfig#tls()}. {@link #connect} dials a broker and returns a {@link BrokerConnection}.
 *
 * <pre>{@code
 * try (QuicTransport transport = QuicTransport.create(config);
 *      BrokerConnection c = transport.connect(new InetSocketAddress("localhost", 9092)).join()) {
 *     Response r = c.send(new MetadataRequest(List.of())).join();
 * }
 * }</pre>
 *
 * <p>A connect succeeds only after the QUIC + TLS handshake and one empty round trip on a stream: a broker that
 * refuses our client certificate (which TLS 1.3 reports only after the client's side of the handshake is done) or
 * closes connections right after the handshake is reported by {@code connect}, not by the first request. While a
 * connection is idle the transport sends an empty stream (FIN only) before the QUIC idle timeout, which the broker
 * answers with an empty stream: the incubator QUIC codec offers no PING frame.
 *
 * <p>Futures are completed on a callback executor (by default a small pool of threads from the same factory, by
 * default daemon threads named {@code rustmq-callback-*}), never on a network thread; the one exception is
 * {@link BrokerConnection#sendInline}, whose decoded response completes on the network thread for the producer's
 * short bookkeeping (which completes the records themselves on the callback executor). Thread-safe.
 */
public final class QuicTransport implements AutoCloseable {
    /** The QUIC idle timeout the client offers; the effective one is the smaller of both peers'. */
    static final Duration MAX_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Socket buffer sizes (VERSIONS pitfall #3: the OS default loses packets). */
    static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(QuicTransport.class.getName());
    private static final long CONNECTION_WINDOW = 16L * 1024 * 1024;
    private static final long STREAM_WINDOW = 2L * 1024 * 1024;

    private final ClientConfig config;
    private final TlsContexts tls;
    private final EventLoopGroup group;
    private final Executor callbacks;
    private final ExecutorService ownedCallbacks;
    private final TransportStats stats = new TransportStats();
    private final FrameBuffers frameBuffers = new FrameBuffers();
    private final Set<BrokerConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private QuicTransport(ClientConfig config, TlsContexts tls, Executor callbacks, ExecutorService owned,
                          ThreadFactory threadFactory) {
        this.config = config;
        this.tls = tls;
        this.callbacks = callbacks;
        this.ownedCallbacks = owned;
        int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        // The default is Netty's factory (named daemon threads, as before), whose threads speed up Netty's
        // FastThreadLocal; an injected factory's plain threads work the same, a little slower.
        this.group = new NioEventLoopGroup(threads, threadFactory != null ? threadFactory
                : new DefaultThreadFactory("rustmq-quic", true));
    }

    /**
     * Creates a transport. The TLS files named by the configuration are read and checked now.
     *
     * @param config the client configuration
     * @return a transport; close it to release its threads and sockets
     * @throws io.rustmq.client.ConfigurationException if a TLS file is unreadable or malformed (names the field)
     * @throws io.rustmq.client.TlsException if the TLS library refuses the material
     * @throws RustMQException if the native QUIC library cannot be loaded on this platform
     */
    public static QuicTransport create(ClientConfig config) {
        return create(config, null);
    }

    /**
     * Creates a transport that completes its futures on the given executor.
     *
     * @param config the client configuration
     * @param callbackExecutor where futures are completed (dependent stages run there); {@code null} for the
     *     transport's own pool of daemon threads, which {@link #close()} shuts down
     * @return a transport
     */
    public static QuicTransport create(ClientConfig config, Executor callbackExecutor) {
        return create(config, callbackExecutor, null);
    }

    /**
     * Creates a transport whose every thread comes from a thread factory.
     *
     * @param config the client configuration
     * @param callbackExecutor where futures are completed; {@code null} for the transport's own pool of threads
     *     from {@code threadFactory}, which {@link #close()} shuts down
     * @param threadFactory makes the network threads and the callback threads; {@code null} for named daemon
     *     threads ({@code rustmq-quic-*}, {@code rustmq-callback-*})
     * @return a transport
     */
    public static QuicTransport create(ClientConfig config, Executor callbackExecutor, ThreadFactory threadFactory) {
        Objects.requireNonNull(config, "config");
        if (!Quic.isAvailable()) {
            Throwable cause = Quic.unavailabilityCause();
            throw new RustMQException("the native QUIC library (netty-incubator-codec-native-quic) cannot be loaded"
                    + " on this platform: " + cause, cause, false);
        }
        TlsContexts tls = TlsContexts.create(config.tls());
        ExecutorService owned = null;
        Executor callbacks = callbackExecutor;
        if (callbacks == null) {
            owned = newCallbackPool(threadFactory != null ? threadFactory
                    : ClientThreads.factory((ThreadFactory) null, "rustmq-callback"));
            callbacks = owned;
        }
        return new QuicTransport(config, tls, callbacks, owned, threadFactory);
    }

    private static ExecutorService newCallbackPool(ThreadFactory threads) {
        int n = Math.max(2, Runtime.getRuntime().availableProcessors());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * Dials a broker: resolves the address if needed, runs the QUIC + TLS handshake and one empty stream round trip,
     * all within {@link ClientConfig#connectTimeout()}.
     *
     * @param address the broker; an unresolved address is resolved first, and its host name (or the configured
     *     {@link TlsConfig#serverName()}) is what the certificate must match
     * @return the connection; or a failed future: {@link io.rustmq.client.TlsException} for certificate and TLS
     *     problems (the message says which), {@link RequestTimeoutException} when the handshake does not finish in
     *     time (for example when no QUIC server answers), {@link ConnectionException} otherwise (unknown host,
     *     ICMP port unreachable, connection closed by the broker)
     */
    public CompletableFuture<BrokerConnection> connect(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        CompletableFuture<BrokerConnection> result = new CompletableFuture<>();
        if (closed.get()) {
            result.completeExceptionally(new ConnectionException("the transport is closed", null));
            return result;
        }
        long deadline = System.nanoTime() + config.connectTimeout().toNanos();
        String host = config.tls().serverName() != null ? config.tls().serverName() : address.getHostString();
        if (address.isUnresolved()) {
            run(() -> {
                InetSocketAddress resolved = new InetSocketAddress(address.getHostString(), address.getPort());
                if (resolved.isUnresolved()) {
                    stats.onError();
                    result.completeExceptionally(new ConnectionException("cannot resolve broker host '"
                            + address.getHostString() + "'", null));
                } else {
                    dial(resolved, host, deadline, result);
                }
            });
        } else {
            dial(address, host, deadline, result);
        }
        return result;
    }

    private void dial(InetSocketAddress remote, String host, long deadline,
                      CompletableFuture<BrokerConnection> result) {
        BrokerConnection conn = new BrokerConnection(this, remote);
        connections.add(conn);
        if (closed.get()) {
            connections.remove(conn);
            result.completeExceptionally(new ConnectionException("the transport is closed", null));
            return;
        }
        Attempt attempt = new Attempt(conn, result);
        // If the connection closes first (transport closed, broker gone), the attempt fails instead of waiting for
        // a timer that a stopped event loop would never run.
        conn.closedInternal().whenComplete((v, e) -> attempt.fail(null));
        VerifyingTrustManager verifier = tls.verifier();
        io.netty.channel.ChannelHandler codec = new QuicClientCodecBuilder()
                .sslEngineProvider(q -> {
                    QuicSslEngine engine = tls.context().newEngine(q.alloc(), host, remote.getPort());
                    if (verifier != null) {
                        attempt.engine = engine;
                        conn.expectation(verifier.expect(engine, host));
                    }
                    return engine;
                })
                .maxIdleTimeout(MAX_IDLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .initialMaxData(CONNECTION_WINDOW)
                .initialMaxStreamDataBidirectionalLocal(STREAM_WINDOW)
                .initialMaxStreamDataBidirectionalRemote(0)
                .initialMaxStreamDataUnidirectional(0)
                .initialMaxStreamsBidirectional(0)
                .initialMaxStreamsUnidirectional(0)
                .activeMigration(false)
                .maxRecvUdpPayloadSize(UdpPayload.MAX_RECEIVE)
                .maxSendUdpPayloadSize(UdpPayload.sendLimit(remote.getAddress()))
                .build();
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, UdpPayload.receiveAllocator())
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(codec, conn.reasons().udpErrorHandler(() -> attempt.fail(null)));
                    }
                });
        ChannelFuture udpFuture;
        try {
            // A connected UDP socket: ICMP "port unreachable" then surfaces as an error instead of silence.
            udpFuture = b.connect(remote);
        } catch (RejectedExecutionException e) {
            attempt.fail(new ConnectionException("the transport is closed", e));
            return;
        }
        Channel udp = udpFuture.channel();
        conn.attachUdp(udp);
        long remaining = deadline - System.nanoTime();
        attempt.timer = udp.eventLoop().schedule(() -> attempt.fail(connectTimeout(conn)),
                Math.max(0, remaining), TimeUnit.NANOSECONDS);
        udpFuture.addListener(f -> {
            if (!f.isSuccess()) {
                attempt.fail(new ConnectionException("cannot open a UDP socket to " + conn.remoteText() + ": "
                        + f.cause(), f.cause()));
                return;
            }
            if (attempt.isDone()) {
                return;
            }
            QuicChannel.newBootstrap(udp)
                    .handler(conn.connectionHandler())
                    .streamHandler(new RejectPeerStreams())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0)
                    .remoteAddress(remote)
                    .connect()
                    .addListener((Future<QuicChannel> qf) -> onHandshake(attempt, qf, deadline));
        });
    }

    private void onHandshake(Attempt attempt, Future<QuicChannel> qf, long deadline) {
        BrokerConnection conn = attempt.conn;
        attempt.forgetEngine(tls.verifier());
        if (!qf.isSuccess()) {
            attempt.fail(handshakeFailure(conn, qf.cause()));
            return;
        }
        QuicChannel quic = qf.getNow();
        conn.attachQuic(quic);
        if (attempt.isDone()) {
            quic.close();
            return;
        }
        long remaining = Math.max(1, deadline - System.nanoTime());
        conn.checkAndStart(remaining).whenComplete((v, e) -> {
            Runnable finish = () -> {
                if (e != null) {
                    attempt.fail(e instanceof RequestTimeoutException
                            ? new RequestTimeoutException("connecting to " + conn.remoteText() + ": the handshake"
                            + " succeeded but the broker did not answer on a stream within "
                            + config.connectTimeout().toMillis() + " ms")
                            : conn.failureFor("the connection check failed", e));
                } else {
                    attempt.succeed();
                }
            };
            try {
                quic.eventLoop().execute(finish);
            } catch (RejectedExecutionException rejected) {
                attempt.fail(new ConnectionException("the transport is closed", rejected));
            }
        });
    }

    private RequestTimeoutException connectTimeout(BrokerConnection conn) {
        // A QUIC server that rejects a handshake may drop it silently (Netty's does on an ALPN mismatch), so a
        // timeout cannot tell "nobody there" from "refused": say both.
        return new RequestTimeoutException("connecting to " + conn.remoteText() + " did not complete within "
                + config.connectTimeout().toMillis() + " ms: no QUIC broker answered there, or it dropped the"
                + " handshake (for example because it accepts none of our ALPN protocols " + config.tls().alpn()
                + ")");
    }

    private RustMQException handshakeFailure(BrokerConnection conn, Throwable cause) {
        RustMQException known = conn.closeReasonIfKnown();
        if (known != null) {
            return known;
        }
        if (closed.get() || conn.isCloseRequested()) {
            return conn.closeReason();
        }
        if (cause instanceof javax.net.ssl.SSLException) {
            return new io.rustmq.client.TlsException("TLS handshake with " + conn.remoteText() + " failed: "
                    + cause.getMessage(), cause);
        }
        if (cause instanceof io.netty.channel.ConnectTimeoutException) {
            return new RequestTimeoutException("the QUIC handshake with " + conn.remoteText() + " timed out: "
                    + cause.getMessage());
        }
        return new ConnectionException("the QUIC handshake with " + conn.remoteText() + " failed: " + cause, cause);
    }

    /** One connect in progress; completes exactly once, on the event loop or a callback thread. */
    private final class Attempt {
        final BrokerConnection conn;
        final CompletableFuture<BrokerConnection> result;
        final AtomicBoolean done = new AtomicBoolean();
        volatile ScheduledFuture<?> timer;
        volatile QuicSslEngine engine;

        Attempt(BrokerConnection conn, CompletableFuture<BrokerConnection> result) {
            this.conn = conn;
            this.result = result;
        }

        boolean isDone() {
            return done.get();
        }

        void forgetEngine(VerifyingTrustManager verifier) {
            if (verifier != null) {
                verifier.forget(engine);
            }
        }

        void succeed() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            cancelTimer();
            if (closed.get() || !conn.isActiveForCheck()) {
                stats.onError();
                RustMQException e = closed.get() ? new ConnectionException("the transport is closed", null)
                        : conn.closeReason();
                conn.closeAsync();
                completeExceptionally(result, e);
                return;
            }
            conn.markOpened();
            complete(result, conn);
        }

        /** Fails the attempt; a null error means "use what the connection knows". */
        void fail(RustMQException error) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            cancelTimer();
            forgetEngine(tls.verifier());
            RustMQException e = error;
            if (e == null || !(e instanceof RequestTimeoutException)) {
                RustMQException known = conn.closeReasonIfKnown();
                if (known != null) {
                    e = known;
                } else if (e == null) {
                    e = conn.closeReason();
                }
            }
            stats.onError();
            conn.closeAsync();
            completeExceptionally(result, e);
        }

        private void cancelTimer() {
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
        }
    }

    /** The broker may not open streams (we grant none); should one appear anyway, close it. */
    private static final class RejectPeerStreams extends ChannelInboundHandlerAdapter {
        @Override
        public boolean isSharable() {
            return true;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (ctx.channel() instanceof QuicStreamChannel) {
                ctx.close();
            }
        }
    }

    /**
     * Live counters across all connections of this transport.
     *
     * @return the statistics (the same object every call)
     */
    public TransportStats stats() {
        return stats;
    }

    /** The reusable arrays for this transport's large request frames. */
    FrameBuffers frameBuffers() {
        return frameBuffers;
    }

    /**
     * The configuration this transport was created with.
     *
     * @return the configuration
     */
    public ClientConfig config() {
        return config;
    }

    /**
     * Closes every connection (failing requests in flight), then stops the network threads and, if the transport
     * created it, the callback pool. Waits a bounded time (a few seconds at most). Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (BrokerConnection c : List.copyOf(connections)) {
            closing.add(c.closeAsync());
        }
        try {
            CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0])).get(2, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closed exceptionally or slowly: shut down anyway
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        if (ownedCallbacks != null) {
            ownedCallbacks.shutdown();
            try {
                if (!ownedCallbacks.awaitTermination(1, TimeUnit.SECONDS)) {
                    LOG.log(System.Logger.Level.DEBUG, "callback threads still busy after close");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    void connectionClosed(BrokerConnection c) {
        connections.remove(c);
    }

    /** Open connections of this transport (for tests). */
    int connectionCount() {
        return connections.size();
    }

    VerifyingTrustManager verifier() {
        return tls.verifier();
    }

    /**
     * Whether the calling thread is one of this transport's network threads (event loops).
     *
     * @return true on a network thread
     */
    boolean inEventLoop() {
        for (io.netty.util.concurrent.EventExecutor e : group) {
            if (e.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    void run(Runnable task) {
        try {
            callbacks.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    <T> void complete(CompletableFuture<T> f, T value) {
        run(() -> f.complete(value));
    }

    void completeExceptionally(CompletableFuture<?> f, Throwable error) {
        run(() -> f.completeExceptionally(error));
    }
}
