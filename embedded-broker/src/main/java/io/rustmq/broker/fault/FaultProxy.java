package io.rustmq.broker.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback UDP proxy for fault-injection tests: clients connect to {@link #address()} instead of the broker, and
 * every datagram, in either direction, may be dropped, delayed (mean plus or minus a uniform jitter, so delayed
 * datagrams also overtake each other), duplicated or held back behind the next one (reordered), or lost while the
 * path is blackholed. Faults are drawn from one {@link Random} per direction, seeded from {@link Builder#seed}, so a
 * run with the same traffic replays the same decisions; {@link #stats()} counts what was done. The rates can be
 * changed while traffic flows ({@link #faults(Faults)}, {@link #blackhole(Duration)}).
 *
 * <p>Each client address gets its own upstream socket, so the broker sees one peer per client, as it would without
 * the proxy. Threads: one receiving thread for the client side, one per client for the broker side, and one
 * scheduler for delayed datagrams, all daemons named {@code rustmq-fault-proxy-*}; {@link #close()} stops them.
 * Only loopback addresses are accepted as the target: this is a test tool.
 */
public final class FaultProxy implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FaultProxy.class.getName());
    private static final int MAX_DATAGRAM = 65_535;

    /**
     * The fault rates of both directions.
     *
     * @param loss probability in [0, 1] that a datagram is dropped
     * @param delay mean extra delay of every datagram (zero for none)
     * @param jitter each delay is {@code delay} plus a uniform value in [-jitter, +jitter], never below zero
     * @param duplicate probability in [0, 1] that a datagram is sent twice
     * @param reorder probability in [0, 1] that a datagram is held back and sent right after the next one of its
     *     direction
     */
    public record Faults(double loss, Duration delay, Duration jitter, double duplicate, double reorder) {
        /** No faults: every datagram is forwarded at once. */
        public static final Faults NONE = new Faults(0, Duration.ZERO, Duration.ZERO, 0, 0);

        /**
         * Checks the rates.
         *
         * @throws IllegalArgumentException if a probability is outside [0, 1] or a duration is negative
         */
        public Faults {
            checkRate("loss", loss);
            checkRate("duplicate", duplicate);
            checkRate("reorder", reorder);
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(jitter, "jitter");
            if (delay.isNegative() || jitter.isNegative()) {
                throw new IllegalArgumentException("delay and jitter must not be negative, got " + delay + " and "
                        + jitter);
            }
        }

        private static void checkRate(String name, double p) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException(name + " must be a probability in [0, 1], got " + p);
            }
        }

        /**
         * Only loss.
         *
         * @param loss probability in [0, 1]
         * @return the faults
         */
        public static Faults loss(double loss) {
            return new Faults(loss, Duration.ZERO, Duration.ZERO, 0, 0);
        }

        /**
         * The same faults with a delay and jitter.
         *
         * @param mean the mean delay
         * @param plusMinus the jitter around it
         * @return the faults
         */
        public Faults withDelay(Duration mean, Duration plusMinus) {
            return new Faults(loss, mean, plusMinus, duplicate, reorder);
        }

        /**
         * The same faults with a duplication rate.
         *
         * @param p probability in [0, 1]
         * @return the faults
         */
        public Faults withDuplicate(double p) {
            return new Faults(loss, delay, jitter, p, reorder);
        }

        /**
         * The same faults with a reordering rate.
         *
         * @param p probability in [0, 1]
         * @return the faults
         */
        public Faults withReorder(double p) {
            return new Faults(loss, delay, jitter, duplicate, p);
        }
    }

    /**
     * What the proxy did so far, counted over both directions.
     *
     * @param received datagrams received from either side
     * @param forwarded datagrams sent on (duplicates included)
     * @param dropped datagrams dropped by the loss rate
     * @param blackholed datagrams dropped because the path was blackholed
     * @param delayed datagrams sent later than received
     * @param duplicated datagrams sent twice
     * @param reordered datagrams held back behind a later one
     * @param clients client addresses seen
     */
    public record Stats(long received, long forwarded, long dropped, long blackholed, long delayed, long duplicated,
                        long reordered, int clients) {
    }

    /** Builds a proxy. */
    public static final class Builder {
        private InetSocketAddress target;
        private long seed = 1;
        private Faults faults = Faults.NONE;

        private Builder() {
        }

        /**
         * The broker to forward to; without one, datagrams from clients are dropped until {@link #target(String)}
         * names it (so that a broker can be started knowing the proxy's port, for {@code advertisedPort}).
         *
         * @param host a loopback host, such as {@code 127.0.0.1}
         * @param port its UDP port
         * @return this builder
         */
        public Builder target(String host, int port) {
            this.target = new InetSocketAddress(host, port);
            return this;
        }

        /**
         * The broker to forward to, as {@code host:port} (what {@code EmbeddedBroker.bootstrap()} returns).
         *
         * @param hostPort for example {@code 127.0.0.1:9092}
         * @return this builder
         * @throws IllegalArgumentException if it has no port
         */
        public Builder target(String hostPort) {
            int colon = hostPort.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("target must be host:port, got '" + hostPort + "'");
            }
            return target(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        }

        /**
         * The seed of the fault decisions (default 1): the same seed and traffic give the same faults.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The initial faults (default {@link Faults#NONE}).
         *
         * @param faults the rates
         * @return this builder
         */
        public Builder faults(Faults faults) {
            this.faults = Objects.requireNonNull(faults, "faults");
            return this;
        }

        /**
         * Binds the proxy on {@code 127.0.0.1} at a free port and starts forwarding.
         *
         * @return the running proxy
         * @throws IllegalArgumentException if no target is set or it is not a loopback address
         * @throws UncheckedIOException if the socket cannot be bound
         */
        public FaultProxy start() {
            if (target != null) {
                checkLoopback(target);
            }
            try {
                return new FaultProxy(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bind the fault proxy on 127.0.0.1", e);
            }
        }
    }

    /** One direction's random source and held-back datagram. */
    private final class Direction {
        final Random random;
        DatagramPacket held;
        DatagramSocket heldVia;

        Direction(long seed) {
            this.random = new Random(seed);
        }
    }

    private volatile InetSocketAddress target;
    private final DatagramSocket front;
    private final Map<SocketAddress, Upstream> upstreams = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final ThreadFactory threads;
    private final Direction toBroker;
    private final Direction toClient;
    private volatile Faults faults;
    private volatile long blackholeUntilNanos;
    private volatile boolean closed;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong blackholed = new AtomicLong();
    private final AtomicLong delayed = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private final AtomicLong reordered = new AtomicLong();

    private FaultProxy(Builder b) throws IOException {
        this.target = b.target;
        this.faults = b.faults;
        this.toBroker = new Direction(b.seed);
        this.toClient = new Direction(b.seed * 31 + 17);
        AtomicInteger n = new AtomicInteger();
        this.threads = r -> {
            Thread t = new Thread(r, "rustmq-fault-proxy-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.front = bind();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(threads);
        threads.newThread(this::frontLoop).start();
    }

    private static InetSocketAddress checkLoopback(InetSocketAddress target) {
        if (target.isUnresolved() || !target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("target must be a loopback address, got " + target);
        }
        return target;
    }

    /**
     * Forwards from now on to another broker address (or the first one).
     *
     * @param hostPort a loopback {@code host:port}, such as {@code EmbeddedBroker.bootstrap()}
     * @throws IllegalArgumentException if it has no port or is not a loopback address
     */
    public void target(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("target must be host:port, got '" + hostPort + "'");
        }
        this.target = checkLoopback(new InetSocketAddress(hostPort.substring(0, colon),
                Integer.parseInt(hostPort.substring(colon + 1))));
    }

    /**
     * Starts building a proxy.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private static DatagramSocket bind() throws SocketException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setReceiveBufferSize(4 << 20);
        s.setSendBufferSize(4 << 20);
        return s;
    }

    /**
     * Where clients connect instead of the broker.
     *
     * @return {@code 127.0.0.1:port}
     */
    public String address() {
        return "127.0.0.1:" + front.getLocalPort();
    }

    /**
     * The proxy's UDP port.
     *
     * @return the port
     */
    public int port() {
        return front.getLocalPort();
    }

    /**
     * Changes the fault rates from now on (datagrams already delayed keep their schedule).
     *
     * @param newFaults the rates
     */
    public void faults(Faults newFaults) {
        this.faults = Objects.requireNonNull(newFaults, "faults");
    }

    /**
     * The current fault rates.
     *
     * @return them
     */
    public Faults faults() {
        return faults;
    }

    /**
     * Drops every datagram in both directions for the given time from now.
     *
     * @param duration how long; zero or negative ends a blackhole at once
     */
    public void blackhole(Duration duration) {
        blackholeUntilNanos = System.nanoTime() + Math.max(0, duration.toNanos());
    }

    /**
     * Whether the path is blackholed now.
     *
     * @return {@code true} while {@link #blackhole(Duration)} is in force
     */
    public boolean isBlackholed() {
        return System.nanoTime() - blackholeUntilNanos < 0;
    }

    /**
     * What the proxy did so far.
     *
     * @return the counters
     */
    public Stats stats() {
        return new Stats(received.get(), forwarded.get(), dropped.get(), blackholed.get(), delayed.get(),
                duplicated.get(), reordered.get(), upstreams.size());
    }

    private void frontLoop() {
        byte[] buf = new byte[MAX_DATAGRAM];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                front.receive(p);
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "fault proxy: receiving from clients failed", e);
                }
                return;
            }
            SocketAddress client = p.getSocketAddress();
            InetSocketAddress to = target;
            if (to == null) {
                received.incrementAndGet();
                dropped.incrementAndGet();
                continue;
            }
            Upstream up;
            try {
                up = upstreams.computeIfAbsent(client, c -> {
                    try {
                        return new Upstream(c);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                LOG.log(System.Logger.Level.WARNING, "fault proxy: cannot open an upstream socket for " + client, e);
                continue;
            }
            handle(toBroker, Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength()),
                    up.socket, to);
        }
    }

    /** The broker side of one client. */
    private final class Upstream {
        final DatagramSocket socket;
        final SocketAddress client;

        Upstream(SocketAddress client) throws IOException {
            this.client = client;
            this.socket = bind();
            threads.newThread(this::loop).start();
        }

        void loop() {
            byte[] buf = new byte[MAX_DATAGRAM];
            while (!closed) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (IOException e) {
                    if (!closed) {
                        LOG.log(System.Logger.Level.WARNING, "fault proxy: receiving from the broker failed", e);
                    }
                    return;
                }
                handle(toClient, Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength()),
                        front, client);
            }
        }
    }

    /** Applies the faults to one datagram; the decisions of a direction are drawn in arrival order. */
    private void handle(Direction d, byte[] data, DatagramSocket via, SocketAddress to) {
        received.incrementAndGet();
        if (isBlackholed()) {
            blackholed.incrementAndGet();
            return;
        }
        Faults f = faults;
        long delayNanos;
        boolean duplicate;
        DatagramPacket release = null;
        DatagramSocket releaseVia = null;
        DatagramPacket packet = new DatagramPacket(data, data.length, to);
        synchronized (d) {
            if (f.loss() > 0 && d.random.nextDouble() < f.loss()) {
                dropped.incrementAndGet();
                return;
            }
            long jitter = f.jitter().toNanos();
            delayNanos = f.delay().toNanos() + (jitter == 0 ? 0 : (long) ((d.random.nextDouble() * 2 - 1) * jitter));
            duplicate = f.duplicate() > 0 && d.random.nextDouble() < f.duplicate();
            boolean holdBack = f.reorder() > 0 && d.random.nextDouble() < f.reorder();
            if (d.held != null) {
                release = d.held;
                releaseVia = d.heldVia;
                d.held = null;
            } else if (holdBack) {
                d.held = packet;
                d.heldVia = via;
                reordered.incrementAndGet();
                releaseLater(d, packet, Math.max(HOLD_LIMIT_NANOS, delayNanos));
                return;
            }
        }
        send(packet, via, Math.max(0, delayNanos));
        if (duplicate) {
            duplicated.incrementAndGet();
            send(packet, via, Math.max(0, delayNanos));
        }
        if (release != null) {
            send(release, releaseVia, Math.max(0, delayNanos));
        }
    }

    /** A held-back datagram that no later one overtook within this time is sent anyway (it is not a loss). */
    private static final long HOLD_LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private void releaseLater(Direction d, DatagramPacket packet, long afterNanos) {
        try {
            scheduler.schedule(() -> {
                DatagramSocket via;
                synchronized (d) {
                    if (d.held != packet) {
                        return;
                    }
                    via = d.heldVia;
                    d.held = null;
                }
                sendNow(packet, via);
            }, afterNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            dropped.incrementAndGet();
        }
    }

    private void send(DatagramPacket packet, DatagramSocket via, long delayNanos) {
        if (delayNanos == 0) {
            sendNow(packet, via);
            return;
        }
        delayed.incrementAndGet();
        try {
            scheduler.schedule(() -> sendNow(packet, via), delayNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed while the datagram was delayed: it is lost, as on a path that went away
            dropped.incrementAndGet();
        }
    }

    private void sendNow(DatagramPacket packet, DatagramSocket via) {
        if (closed) {
            return;
        }
        try {
            via.send(packet);
            forwarded.incrementAndGet();
        } catch (IOException e) {
            if (!closed) {
                LOG.log(System.Logger.Level.WARNING, "fault proxy: sending to " + packet.getSocketAddress()
                        + " failed", e);
            }
        }
    }

    /** Stops forwarding and closes every socket and thread; closing twice is harmless. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        front.close();
        upstreams.values().forEach(u -> u.socket.close());
    }

    @Override
    public String toString() {
        return "FaultProxy[" + address() + " -> " + target + ", " + faults + "]";
    }
}
