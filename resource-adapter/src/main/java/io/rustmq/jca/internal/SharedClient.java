package io.rustmq.jca.internal;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.producer.ProducerConfig;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link RustMQClient} shared by every managed connection of one factory configuration, with one producer per
 * topic (cached until the client closes). Reference-counted by {@link ClientRegistry}; not public API.
 */
public final class SharedClient {
    private static final System.Logger LOG = System.getLogger(SharedClient.class.getName());

    private final ClientRegistry.Key key;
    private final RustMQClient client;
    private final Map<String, Producer> producers = new ConcurrentHashMap<>();
    private int references;
    private boolean broken;
    private boolean closed;

    SharedClient(ClientRegistry.Key key) {
        this.key = key;
        this.client = RustMQClient.create(key.clientConfig());
    }

    /**
     * The client.
     *
     * @return the shared client
     */
    public RustMQClient client() {
        return client;
    }

    /**
     * The client configuration.
     *
     * @return the configuration
     */
    public ClientConfig clientConfig() {
        return key.clientConfig();
    }

    /**
     * The producer for a topic, created on first use.
     *
     * @param topic the topic
     * @return the cached producer
     */
    public Producer producer(String topic) {
        return producers.computeIfAbsent(topic, t -> client.createProducer(t, key.producerConfig()));
    }

    /** Flushes every producer created so far. */
    public void flush() {
        for (Producer p : producers.values()) {
            p.flush();
        }
    }

    /**
     * The producer configuration.
     *
     * @return the configuration
     */
    public ProducerConfig producerConfig() {
        return key.producerConfig();
    }

    ClientRegistry.Key key() {
        return key;
    }

    synchronized void retain() {
        references++;
    }

    /** @return true if this was the last reference (the caller closes) */
    synchronized boolean release() {
        return --references <= 0;
    }

    synchronized boolean isBroken() {
        return broken;
    }

    synchronized void markBroken() {
        broken = true;
    }

    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Producer p : producers.values()) {
            try {
                p.close(java.time.Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing a RustMQ producer failed", e);
            }
        }
        producers.clear();
        client.close();
    }
}
