package io.rustmq.messaging.impl;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.RustMQClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@link RustMQClient} per distinct {@link ClientConfig}: channels with equal connection settings share it. A
 * client is closed when its last channel releases it, or by {@link #closeAll()}.
 */
public final class ClientRegistry {
    private static final System.Logger LOG = System.getLogger(ClientRegistry.class.getName());

    private final Map<ClientConfig, Entry> clients = new HashMap<>();

    private static final class Entry {
        final RustMQClient client;
        int users;

        Entry(RustMQClient client) {
            this.client = client;
        }
    }

    /** Creates an empty registry. */
    public ClientRegistry() {
    }

    /**
     * The client for a configuration, created on first use.
     *
     * @param config the connection settings
     * @return the shared client; give it back with {@link #release(RustMQClient)}
     */
    public synchronized RustMQClient acquire(ClientConfig config) {
        Entry e = clients.computeIfAbsent(config, c -> new Entry(RustMQClient.create(c)));
        e.users++;
        return e.client;
    }

    /**
     * Gives a client back; the last user closes it.
     *
     * @param client a client from {@link #acquire(ClientConfig)}
     */
    public void release(RustMQClient client) {
        RustMQClient toClose = null;
        synchronized (this) {
            Entry e = clients.get(client.config());
            if (e != null && e.client == client && --e.users == 0) {
                clients.remove(client.config());
                toClose = client;
            }
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    /**
     * How many distinct clients are open.
     *
     * @return the count
     */
    public synchronized int size() {
        return clients.size();
    }

    /** Closes every client. */
    public void closeAll() {
        List<RustMQClient> all;
        synchronized (this) {
            all = new ArrayList<>();
            clients.values().forEach(e -> all.add(e.client));
            clients.clear();
        }
        for (RustMQClient c : all) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing a RustMQ client failed", e);
            }
        }
    }
}
