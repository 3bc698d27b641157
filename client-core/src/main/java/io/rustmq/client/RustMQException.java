package io.rustmq.client;

/**
 * Root of every error this client throws. Unchecked, so that callers handle only what they can act on.
 *
 * <p>{@link #isRetriable()} tells whether the same operation may succeed if tried again (a lost connection, a
 * timeout, a broker that was not ready); non-retriable errors (bad configuration, a message that is too large, a
 * protocol violation) will fail again unchanged.
 */
public class RustMQException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean retriable;

    /**
     * Creates an exception.
     *
     * @param message what went wrong, for humans
     * @param cause the underlying failure, or {@code null}
     * @param retriable whether the operation may succeed if tried again
     */
    public RustMQException(String message, Throwable cause, boolean retriable) {
        super(message, cause);
        this.retriable = retriable;
    }

    /**
     * Creates an exception, optionally without a stack trace (for failures that are expected and frequent, such as
     * a decoder finding that more bytes are needed, where capturing the stack would dominate the cost).
     *
     * @param message what went wrong, for humans
     * @param cause the underlying failure, or {@code null}
     * @param retriable whether the operation may succeed if tried again
     * @param writableStackTrace whether to capture the stack trace
     */
    protected RustMQException(String message, Throwable cause, boolean retriable, boolean writableStackTrace) {
        super(message, cause, true, writableStackTrace);
        this.retriable = retriable;
    }

    /**
     * Creates a non-retriable exception without a cause.
     *
     * @param message what went wrong, for humans
     */
    public RustMQException(String message) {
        this(message, null, false);
    }

    /**
     * Tells whether the failed operation may succeed if it is tried again unchanged.
     *
     * @return {@code true} for transient failures (connection, timeout, broker busy), {@code false} otherwise
     */
    public boolean isRetriable() {
        return retriable;
    }
}
