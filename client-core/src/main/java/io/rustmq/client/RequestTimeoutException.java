package io.rustmq.client;

/**
 * An operation did not complete within its time limit (request timeout, connect timeout, or a blocking call's
 * maximum wait). Retriable: the outcome is unknown, so a retried produce may duplicate unless idempotence is on.
 */
public class RequestTimeoutException extends RustMQException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what timed out and after how long
     */
    public RequestTimeoutException(String message) {
        super(message, null, true);
    }
}
