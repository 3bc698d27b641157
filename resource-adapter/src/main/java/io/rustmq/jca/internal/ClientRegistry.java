package io.rustmq.jca.internal;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.producer.ProducerConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every client one resource-adapter instance opened: the outbound clients shared per factory configuration, and
 * the inbound clients of endpoint activations. {@link #closeAll()} closes them all (adapter stop). Not public API.
 */
public final class ClientRegistry {
    /**
     * What identifies a shared outbound client.
     *
     * @param clientConfig the client configuration
     * @param producerConfig the producer configuration
     */
    public record Key(ClientConfig clientConfig, ProducerConfig producerConfig) {
    }

    private final Map<Key, SharedClient> shared = new HashMap<>();
    private final Set<RustMQClient> others = ConcurrentHashMap.newKeySet();
    private boolean closed;

    /**
     * Takes a reference on the shared client for a configuration, creating it if none is usable.
     *
     * @param key the configuration
     * @return the client; give it back with {@link #release}
     * @throws IllegalStateException if the registry was closed (adapter stopped)
     */
    public synchronized SharedClient acquire(Key key) {
        if (closed) {
            throw new IllegalStateException("the RustMQ resource adapter is stopped");
        }
        SharedClient c = shared.get(key);
        if (c == null || c.isBroken()) {
            c = new SharedClient(key);
            shared.put(key, c);
        }
        c.retain();
        return c;
    }

    /**
     * Gives a reference back; the client closes when its last reference goes and it is broken or replaced.
     * A healthy client stays open for the next connection (the pool may drain and refill).
     *
     * @param c the client
     */
    public void release(SharedClient c) {
        boolean close;
        synchronized (this) {
            boolean last = c.release();
            boolean current = shared.get(c.key()) == c;
            close = last && (c.isBroken() || !current);
            if (close && current) {
                shared.remove(c.key());
            }
        }
        if (close) {
            c.close();
        }
    }

    /**
     * Marks a shared client broken: connections created from now on get a new client; this one closes once its last
     * connection is destroyed.
     *
     * @param c the client
     */
    public synchronized void markBroken(SharedClient c) {
        c.markBroken();
    }

    /**
     * Tracks a client opened for something else (an endpoint activation), so that {@link #closeAll()} closes it.
     *
     * @param client the client
     */
    public void track(RustMQClient client) {
        others.add(client);
    }

    /**
     * Stops tracking a client its owner closed.
     *
     * @param client the client
     */
    public void untrack(RustMQClient client) {
        others.remove(client);
    }

    /**
     * How many clients are open now (shared and tracked).
     *
     * @return the count
     */
    public synchronized int openClients() {
        return shared.size() + others.size();
    }

    /** Closes every client; later {@link #acquire} calls fail. */
    public void closeAll() {
        List<SharedClient> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(shared.values());
            shared.clear();
        }
        for (SharedClient c : toClose) {
            c.close();
        }
        for (RustMQClient c : others) {
            c.close();
        }
        others.clear();
    }
}
