package io.rustmq.jca.api;

import io.rustmq.client.RustMQException;

/** A connection handle was used after {@link RustMQConnection#close()}, or after the server destroyed it. */
public class RustMQConnectionClosedException extends RustMQException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was attempted
     */
    public RustMQConnectionClosedException(String message) {
        super(message, null, false);
    }
}
