package io.rustmq.jca.api;

import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;

import java.io.Serializable;

/**
 * Opens connections to RustMQ brokers through the application server's connection pool. Bound in JNDI by the server
 * (hence {@link Serializable} and {@link Referenceable}, as the Connector Architecture requires); inject it with
 * {@code @Resource}.
 */
public interface RustMQConnectionFactory extends Serializable, Referenceable {
    /**
     * Takes a connection from the pool, opening one if needed. Close it when done (it goes back to the pool).
     *
     * @return a connection handle for the calling thread's unit of work
     * @throws RustMQResourceException if no broker can be reached; the message names the configured brokers
     * @throws ResourceException on any other failure of the server's connection manager
     */
    RustMQConnection createConnection() throws ResourceException;
}
