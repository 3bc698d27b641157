package io.rustmq.jca;

import io.rustmq.jca.inbound.EndpointActivation;
import io.rustmq.jca.inbound.RustMQActivationSpec;
import io.rustmq.jca.internal.ClientRegistry;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkManager;

import javax.transaction.xa.XAResource;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The RustMQ resource adapter: holds the adapter-wide defaults (brokers, TLS, client id, retry) that connection
 * factories and activation specs fall back to, runs message-driven-bean activations on the container's
 * {@link WorkManager}, and closes every client it opened when stopped. Configured by {@code META-INF/ra.xml}.
 */
public class RustMQResourceAdapter extends ClientProperties implements ResourceAdapter {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(RustMQResourceAdapter.class.getName());

    private transient volatile WorkManager workManager;
    private transient volatile ClientRegistry registry = new ClientRegistry();
    private final transient Map<Key, EndpointActivation> activations = new ConcurrentHashMap<>();

    private record Key(MessageEndpointFactory factory, ActivationSpec spec) {
    }

    /** Creates the adapter; the container sets its properties, then calls {@link #start}. */
    public RustMQResourceAdapter() {
    }

    /**
     * Starts the adapter: keeps the container's work manager for deliveries.
     *
     * @param ctx the container's bootstrap context
     * @throws ResourceAdapterInternalException if the adapter-wide properties are invalid (the message names the
     *     property)
     */
    @Override
    public void start(BootstrapContext ctx) throws ResourceAdapterInternalException {
        try {
            toClientConfig(null);
        } catch (RuntimeException e) {
            throw new ResourceAdapterInternalException("RustMQ resource adapter: " + e.getMessage(), e);
        }
        this.workManager = ctx.getWorkManager();
        if (registry == null) {
            registry = new ClientRegistry();
        }
        LOG.log(System.Logger.Level.INFO, "RustMQ resource adapter started (brokers {0})", getBrokers());
    }

    /** Stops the adapter: deactivates every endpoint (bounded), then closes every client it opened. */
    @Override
    public void stop() {
        for (EndpointActivation a : new ArrayList<>(activations.values())) {
            a.stop();
        }
        activations.clear();
        registry.closeAll();
        LOG.log(System.Logger.Level.INFO, "RustMQ resource adapter stopped; every client closed");
    }

    /**
     * Starts delivering messages to a message-driven bean.
     *
     * @param factory the container's endpoint factory
     * @param spec a {@link RustMQActivationSpec}
     * @throws NotSupportedException if the spec is not a RustMQ one
     * @throws ResourceException if the spec is invalid or the consumer cannot be created
     */
    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        if (!(spec instanceof RustMQActivationSpec rs)) {
            throw new NotSupportedException("not a RustMQ activation spec: " + spec);
        }
        rs.validate();
        if (workManager == null) {
            throw new ResourceAdapterInternalException("the RustMQ resource adapter is not started");
        }
        EndpointActivation a = new EndpointActivation(this, factory, rs, workManager, registry);
        a.start();
        activations.put(new Key(factory, spec), a);
    }

    /**
     * Stops delivering to a message-driven bean: stops fetching, waits for in-flight deliveries up to the spec's
     * {@code shutdownTimeout}, commits and leaves the group.
     *
     * @param factory the endpoint factory given at activation
     * @param spec the spec given at activation
     */
    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        EndpointActivation a = activations.remove(new Key(factory, spec));
        if (a != null) {
            a.stop();
        }
    }

    /**
     * No XA: RustMQ has no transactions.
     *
     * @param specs ignored
     * @return an empty array
     */
    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    /**
     * The clients this adapter opened; for managed connection factories of this adapter.
     *
     * @return the registry
     */
    public ClientRegistry registry() {
        return registry;
    }

    /**
     * How many endpoint activations are running.
     *
     * @return the count
     */
    public int activeEndpoints() {
        return activations.size();
    }

    /**
     * Equality over the adapter-wide properties, as the Connector Architecture requires.
     *
     * @param o the other object
     * @return true if a RustMQ adapter with the same properties
     */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof RustMQResourceAdapter other && getClass() == other.getClass()
                && sameClientProperties(other);
    }

    /**
     * Hash over the adapter-wide properties.
     *
     * @return the hash
     */
    @Override
    public int hashCode() {
        return Objects.hash(clientProperties());
    }

    /**
     * The adapter with its properties.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "RustMQResourceAdapter" + setClientProperties();
    }
}
