package io.rustmq.client.internal.transport;

import io.rustmq.client.ConnectionException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.internal.transport.Scheduler;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One broker as the pool sees it: its address, its id once Metadata named it, and at most one connection, with the
 * reconnection loop of that broker.
 *
 * <p>States: {@code IDLE} (no connection, none wanted now: never used, evicted, or over {@code maxConnections}),
 * {@code CONNECTING}, {@code UP} and {@code DOWN} (the last connect failed or the connection was lost; a reconnect
 * attempt is scheduled). Reconnect attempt <i>n</i> (1-based, counted from the loss or the first failed connect)
 * waits {@link Backoff#delay(int) backoff.delay(n)} after the previous failure; attempts go on until one succeeds,
 * the pool closes, or the broker is retired (no longer listed by Metadata). A connection slot (counted against
 * {@code maxConnections}) is held exactly while the state is {@code CONNECTING} or {@code UP}.
 *
 * <p>Thread-safe: transitions happen under this object's lock, which is never held while calling into other nodes,
 * the connector, or futures' dependents.
 */
final class BrokerNode {
    private static final System.Logger LOG = System.getLogger(BrokerNode.class.getName());

    /** The connection state. */
    enum State { IDLE, CONNECTING, UP, DOWN }

    private final ConnectionPool pool;
    private final InetSocketAddress address;
    private final String addressText;
    private final boolean bootstrap;

    private volatile String brokerId;
    /** The open connection while {@code UP}, else null: the lock-free fast path reads it. */
    private volatile BrokerLink link;
    private volatile State state = State.IDLE;

    // Guarded by this.
    private CompletableFuture<BrokerLink> connecting;
    private int attempt;
    private RustMQException lastFailure;
    private Scheduler.Cancellable reconnectTimer;
    private long nextAttemptNanos;
    private boolean retired;
    private boolean everUp;

    BrokerNode(ConnectionPool pool, InetSocketAddress address, boolean bootstrap) {
        this.pool = pool;
        this.address = address;
        this.addressText = hostPort(address.getHostString(), address.getPort());
        this.bootstrap = bootstrap;
    }

    static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    InetSocketAddress address() {
        return address;
    }

    String addressText() {
        return addressText;
    }

    boolean isBootstrap() {
        return bootstrap;
    }

    String brokerId() {
        return brokerId;
    }

    void brokerId(String id) {
        this.brokerId = id;
    }

    State state() {
        return state;
    }

    /**
     * The open connection, if this node is up: the fast path of every request.
     *
     * @return the link, or null
     */
    BrokerLink activeLink() {
        BrokerLink l = link;
        return l != null && l.isActive() ? l : null;
    }

    boolean isUp() {
        return activeLink() != null;
    }

    /**
     * Whether this broker cannot be used because of a failure: it is down, or a reconnect attempt is in progress.
     *
     * @return {@code false} when connected, idle, or connecting for the first time
     */
    synchronized boolean isFailing() {
        return !retired && (state == State.DOWN || (state == State.CONNECTING && attempt > 0));
    }

    synchronized boolean isRetired() {
        return retired;
    }

    /**
     * The connection, opening one if the node is idle.
     *
     * @param mayEvict whether an idle connection to another broker may be closed to stay within
     *     {@code maxConnections}
     * @return the open link; or a future failed with a retriable {@link ConnectionException} when the broker is down
     *     (reconnecting in the background) or no connection slot is free
     */
    CompletableFuture<BrokerLink> connection(boolean mayEvict) {
        BrokerLink l = activeLink();
        if (l != null) {
            return CompletableFuture.completedFuture(l);
        }
        synchronized (this) {
            CompletableFuture<BrokerLink> known = pendingOrFailure();
            if (known != null) {
                return known;
            }
        }
        // IDLE: reserve a slot without holding this lock (reserving may evict another node).
        if (!pool.reserveSlot(this, mayEvict)) {
            return CompletableFuture.failedFuture(new ConnectionException("cannot connect to broker " + describe()
                    + ": all maxConnections = " + pool.config().maxConnections() + " connections are in use", null));
        }
        CompletableFuture<BrokerLink> f;
        synchronized (this) {
            CompletableFuture<BrokerLink> known = pendingOrFailure();
            if (known != null) {
                pool.releaseSlot();
                return known;
            }
            f = begin();
        }
        dial(f);
        return f;
    }

    /** Under the lock: the pending connect, a failure for DOWN or retired, or null when IDLE. */
    private CompletableFuture<BrokerLink> pendingOrFailure() {
        if (retired) {
            return CompletableFuture.failedFuture(new ConnectionException("broker " + describe()
                    + " is no longer part of the cluster", null));
        }
        switch (state) {
            case CONNECTING:
                return connecting;
            case UP:
                BrokerLink l = link;
                if (l != null && l.isActive()) {
                    return CompletableFuture.completedFuture(l);
                }
                return CompletableFuture.failedFuture(new ConnectionException("the connection to broker "
                        + describe() + " was lost", null));
            case DOWN:
                return CompletableFuture.failedFuture(unavailable());
            default:
                return null;
        }
    }

    /** Connects if the node is idle and a slot is free, without evicting anyone: eager connects. */
    void connectIfIdle() {
        if (state != State.IDLE || isRetired()) {
            return;
        }
        connection(false).whenComplete((l, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.DEBUG, () -> "eager connect to " + describe() + " failed: " + e);
            }
        });
    }

    private CompletableFuture<BrokerLink> begin() {
        state = State.CONNECTING;
        connecting = new CompletableFuture<>();
        return connecting;
    }

    private void dial(CompletableFuture<BrokerLink> f) {
        CompletableFuture<BrokerLink> dialled;
        try {
            dialled = pool.connector().connect(address);
        } catch (RuntimeException e) {
            dialled = CompletableFuture.failedFuture(e);
        }
        dialled.whenComplete(this::onConnect);
    }

    private void onConnect(BrokerLink l, Throwable error) {
        CompletableFuture<BrokerLink> f;
        RustMQException failure = null;
        boolean reconnected = false;
        boolean discard = false;
        synchronized (this) {
            f = connecting;
            connecting = null;
            if (error == null && (retired || pool.isClosed())) {
                discard = true;
                failure = new ConnectionException("broker " + describe() + " is no longer used", null);
                state = State.IDLE;
                pool.releaseSlot();
            } else if (error == null) {
                state = State.UP;
                link = l;
                reconnected = everUp || attempt > 0;
                everUp = true;
                attempt = 0;
                lastFailure = null;
            } else {
                failure = ConnectionPool.unwrap(error);
                lastFailure = failure;
                state = State.DOWN;
                pool.releaseSlot();
                scheduleReconnect(attempt + 1);
            }
        }
        if (discard) {
            l.close();
            f.completeExceptionally(failure);
        } else if (failure == null) {
            LOG.log(System.Logger.Level.DEBUG, () -> "connected to broker " + describe());
            l.closeFuture().whenComplete((v, e) -> onClosed(l, e));
            pool.nodeUp(this, reconnected);
            f.complete(l);
        } else {
            RustMQException why = failure;
            LOG.log(System.Logger.Level.DEBUG, () -> "connecting to broker " + describe() + " failed: "
                    + why.getMessage());
            pool.nodeDown(this);
            f.completeExceptionally(failure);
        }
    }

    private void onClosed(BrokerLink l, Throwable error) {
        synchronized (this) {
            if (link != l) {
                return; // evicted or retired: already handled
            }
            link = null;
            pool.releaseSlot();
            if (retired || pool.isClosed()) {
                state = State.IDLE;
                return;
            }
            state = State.DOWN;
            lastFailure = error != null ? ConnectionPool.unwrap(error)
                    : new ConnectionException("the connection to broker " + describe() + " was closed", null);
            attempt = 0;
            scheduleReconnect(1);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "lost the connection to broker " + describe() + ": " + error);
        pool.nodeDown(this);
    }

    /** Under the lock: schedules reconnect attempt number {@code n}. */
    private void scheduleReconnect(int n) {
        if (retired || pool.isClosed()) {
            return;
        }
        long delay = pool.backoff().delay(n).toNanos();
        nextAttemptNanos = pool.scheduler().nanoTime() + delay;
        reconnectTimer = pool.scheduler().schedule(() -> reconnect(n), delay);
    }

    private void reconnect(int n) {
        synchronized (this) {
            if (state != State.DOWN || retired || pool.isClosed()) {
                return;
            }
        }
        if (!pool.reserveSlot(this, false)) {
            synchronized (this) {
                if (state == State.DOWN) {
                    // Other brokers use every slot: connect again on demand.
                    state = State.IDLE;
                    reconnectTimer = null;
                }
            }
            pool.nodeDown(this);
            return;
        }
        CompletableFuture<BrokerLink> f;
        synchronized (this) {
            if (state != State.DOWN || retired || pool.isClosed()) {
                pool.releaseSlot();
                return;
            }
            attempt = n;
            reconnectTimer = null;
            f = begin();
        }
        pool.onReconnectAttempt(this, n);
        dial(f);
    }

    /**
     * Closes this node's connection if it is idle (no request in flight), to free a connection slot. The node
     * becomes {@code IDLE}: it reconnects on demand only.
     *
     * @return whether the connection was closed
     */
    boolean evictIfIdle() {
        BrokerLink l;
        synchronized (this) {
            l = link;
            if (state != State.UP || l == null || l.inFlightRequests() > 0) {
                return false;
            }
            link = null;
            state = State.IDLE;
            pool.releaseSlot();
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "closing the idle connection to broker " + describe()
                + " to stay within maxConnections");
        l.close();
        return true;
    }

    /** Stops using this broker: cancels reconnection and closes its connection. */
    void retire() {
        BrokerLink l;
        synchronized (this) {
            if (retired) {
                return;
            }
            retired = true;
            if (reconnectTimer != null) {
                reconnectTimer.cancel();
                reconnectTimer = null;
            }
            l = link;
            link = null;
            if (state == State.UP) {
                pool.releaseSlot();
                state = State.IDLE;
            } else if (state == State.DOWN) {
                state = State.IDLE;
            }
        }
        if (l != null) {
            l.close();
        }
    }

    /** Cancels a pending reconnect (the pool is closing). */
    synchronized void cancelReconnect() {
        if (reconnectTimer != null) {
            reconnectTimer.cancel();
            reconnectTimer = null;
        }
    }

    /**
     * Under the lock: why this DOWN node cannot take requests now. A failure that retrying cannot cure (a TLS or
     * configuration problem) is returned itself, so that callers do not retry; otherwise a retriable
     * {@link ConnectionException} saying when the next attempt is.
     */
    private RustMQException unavailable() {
        RustMQException last = lastFailure;
        if (last != null && !last.isRetriable()) {
            return last;
        }
        return new ConnectionException(unavailableText(), last);
    }

    private String unavailableText() {
        long inMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(nextAttemptNanos - pool.scheduler().nanoTime()));
        RustMQException last = lastFailure;
        return "broker " + describe() + " is unavailable" + (last == null ? "" : " (" + last.getMessage() + ")")
                + (reconnectTimer == null ? "" : "; reconnect attempt " + (attempt + 1) + " in " + inMs + " ms");
    }

    /**
     * Why this node cannot be used now, if it is down.
     *
     * @return the failure requests would get, or null if the node is not down
     */
    synchronized RustMQException failureIfDown() {
        return state == State.DOWN ? unavailable() : null;
    }

    /**
     * A short account of this node for error messages: why it cannot be used, if it cannot.
     *
     * @return e.g. {@code "broker-1 (127.0.0.1:9092): unavailable (...)"}
     */
    synchronized String status() {
        switch (state) {
            case UP:
                return describe() + ": connected";
            case CONNECTING:
                return describe() + ": connecting";
            case DOWN:
                return unavailableText();
            default:
                return describe() + (lastFailure == null ? ": not connected" : ": not connected ("
                        + lastFailure.getMessage() + ")");
        }
    }

    String describe() {
        String id = brokerId;
        return id == null ? addressText : id + " (" + addressText + ")";
    }

    @Override
    public String toString() {
        return "BrokerNode{" + describe() + ", " + state + (bootstrap ? ", bootstrap" : "") + "}";
    }
}
