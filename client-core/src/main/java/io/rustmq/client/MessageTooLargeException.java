package io.rustmq.client;

/**
 * A message or request frame is larger than the configured limit; the message names the limit (its configuration
 * field) and by how many bytes it was exceeded. Thrown before anything is sent, so nothing was written to the
 * broker. Not retriable. The size rule is stated on {@link io.rustmq.client.protocol.SizeLimits}.
 */
public class MessageTooLargeException extends RustMQException {
    private static final long serialVersionUID = 1L;

    private final long size;
    private final long limit;

    /**
     * Creates an exception.
     *
     * @param what what was too large (for example "request frame")
     * @param size its size in bytes
     * @param limit the limit in bytes
     * @param limitName the name of the configuration field that sets the limit
     */
    public MessageTooLargeException(String what, long size, long limit, String limitName) {
        super(what + " of " + size + " bytes exceeds " + limitName + " = " + limit + " bytes by " + (size - limit)
                + " bytes", null, false);
        this.size = size;
        this.limit = limit;
    }

    /**
     * The size that was refused.
     *
     * @return size in bytes
     */
    public long size() {
        return size;
    }

    /**
     * The limit that was exceeded.
     *
     * @return limit in bytes
     */
    public long limit() {
        return limit;
    }
}
