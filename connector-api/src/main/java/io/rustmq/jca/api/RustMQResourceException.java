package io.rustmq.jca.api;

import jakarta.resource.ResourceException;

/**
 * A connection could not be created or used, for example because no broker answered; the message names the brokers
 * and the cause.
 */
public class RustMQResourceException extends ResourceException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the brokers
     * @param cause the underlying failure, possibly null
     */
    public RustMQResourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
