package io.rustmq.jca.outbound;

import io.rustmq.jca.internal.SharedClient;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;

import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A pooled connection: a reference on its factory configuration's shared client, handing out lightweight
 * {@link RustMQConnectionHandle}s. A handle that meets a broken connection reports it here and this connection tells
 * the pool with {@link ConnectionEvent#CONNECTION_ERROR_OCCURRED}; the pool then destroys it and later connections
 * get a new client.
 */
public class RustMQManagedConnection implements ManagedConnection {
    private static final System.Logger LOG = System.getLogger(RustMQManagedConnection.class.getName());

    private final RustMQManagedConnectionFactory factory;
    private final SharedClient client;
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<RustMQConnectionHandle> handles = ConcurrentHashMap.newKeySet();
    private volatile boolean broken;
    private volatile boolean destroyed;
    private PrintWriter logWriter;

    RustMQManagedConnection(RustMQManagedConnectionFactory factory, SharedClient client) {
        this.factory = factory;
        this.client = client;
    }

    RustMQManagedConnectionFactory factory() {
        return factory;
    }

    SharedClient client() {
        return client;
    }

    boolean isBroken() {
        return broken;
    }

    boolean isValid() {
        if (broken || destroyed) {
            return false;
        }
        try {
            return client.client().healthCheck().isHealthy();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "RustMQ connection failed validation", e);
            return false;
        }
    }

    /**
     * A new handle on this connection.
     *
     * @param subject ignored
     * @param info ignored
     * @return a {@link RustMQConnectionHandle}
     * @throws ResourceException if this connection was destroyed
     */
    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        if (destroyed) {
            throw new ResourceException("RustMQ managed connection was destroyed");
        }
        RustMQConnectionHandle h = new RustMQConnectionHandle(this);
        handles.add(h);
        return h;
    }

    /**
     * Moves a handle to this connection.
     *
     * @param connection a {@link RustMQConnectionHandle}
     * @throws ResourceException if it is another kind of object
     */
    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof RustMQConnectionHandle h)) {
            throw new ResourceException("not a RustMQ connection handle: " + connection);
        }
        h.owner().handles.remove(h);
        h.associate(this);
        handles.add(h);
    }

    /** Invalidates every handle still open, so the connection can go back to the pool. */
    @Override
    public void cleanup() {
        for (RustMQConnectionHandle h : handles) {
            h.invalidate();
        }
        handles.clear();
    }

    /** Invalidates the handles and gives the shared client back (closed when its last connection goes). */
    @Override
    public void destroy() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        cleanup();
        factory.registry().release(client);
    }

    /**
     * Registers a pool listener.
     *
     * @param listener the listener
     */
    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    /**
     * Removes a pool listener.
     *
     * @param listener the listener
     */
    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    /**
     * Not supported: RustMQ has no transactions.
     *
     * @return never
     * @throws NotSupportedException always
     */
    @Override
    public XAResource getXAResource() throws ResourceException {
        throw new NotSupportedException("RustMQ has no transactions (NoTransaction)");
    }

    /**
     * Not supported: RustMQ has no transactions.
     *
     * @return never
     * @throws NotSupportedException always
     */
    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        throw new NotSupportedException("RustMQ has no transactions (NoTransaction)");
    }

    /**
     * Product name and version, and the connection's brokers as user name.
     *
     * @return the metadata
     */
    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new ManagedConnectionMetaData() {
            @Override
            public String getEISProductName() {
                return "RustMQ";
            }

            @Override
            public String getEISProductVersion() {
                return "1";
            }

            @Override
            public int getMaxConnections() {
                return 0;
            }

            @Override
            public String getUserName() {
                return String.join(",", client.clientConfig().brokers());
            }
        };
    }

    /**
     * Sets the container's log writer.
     *
     * @param out the writer
     */
    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    /**
     * The container's log writer.
     *
     * @return the writer
     */
    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    void handleClosed(RustMQConnectionHandle h) {
        handles.remove(h);
        if (broken || destroyed) {
            return; // the pool was told of the error and destroys this connection; a close event would confuse it
        }
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        event.setConnectionHandle(h);
        for (ConnectionEventListener l : listeners) {
            l.connectionClosed(event);
        }
    }

    void connectionError(RustMQConnectionHandle h, Exception e) {
        if (broken) {
            return;
        }
        broken = true;
        factory.registry().markBroken(client);
        LOG.log(System.Logger.Level.WARNING, "RustMQ connection to " + client.clientConfig().brokers()
                + " broke; telling the pool to replace it: " + e);
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_ERROR_OCCURRED, e);
        event.setConnectionHandle(h);
        for (ConnectionEventListener l : listeners) {
            l.connectionErrorOccurred(event);
        }
    }
}
