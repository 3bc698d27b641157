package io.rustmq.jca.outbound;

import io.rustmq.jca.api.RustMQConnection;
import io.rustmq.jca.api.RustMQConnectionFactory;
import io.rustmq.jca.api.RustMQResourceException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;

import javax.naming.Reference;

/** The application-facing connection factory: asks the container's connection manager for a pooled connection. */
public class RustMQConnectionFactoryImpl implements RustMQConnectionFactory {
    private static final long serialVersionUID = 1L;

    private final RustMQManagedConnectionFactory mcf;
    private final ConnectionManager cm;
    private Reference reference;

    /**
     * Creates the factory.
     *
     * @param mcf the managed connection factory
     * @param cm the container's connection manager
     */
    public RustMQConnectionFactoryImpl(RustMQManagedConnectionFactory mcf, ConnectionManager cm) {
        this.mcf = mcf;
        this.cm = cm;
    }

    @Override
    public RustMQConnection createConnection() throws ResourceException {
        try {
            return (RustMQConnection) cm.allocateConnection(mcf, null);
        } catch (RustMQResourceException e) {
            throw e;
        } catch (ResourceException e) {
            Throwable root = e;
            while (root.getCause() != null && !(root instanceof RustMQResourceException)) {
                root = root.getCause();
            }
            if (root instanceof RustMQResourceException r) {
                throw new RustMQResourceException(r.getMessage(), e);
            }
            throw new RustMQResourceException("cannot get a RustMQ connection to brokers " + mcf.getBrokersOrDefault()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The JNDI reference the container set.
     *
     * @return the reference
     */
    @Override
    public Reference getReference() {
        return reference;
    }

    /**
     * Sets the JNDI reference.
     *
     * @param reference the reference
     */
    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }
}
