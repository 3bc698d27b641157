package io.rustmq.client.producer;

import io.rustmq.client.RequestTimeoutException;

/**
 * A send waited {@link ProducerConfig#maxBlockTime()} for room in {@link ProducerConfig#bufferMemory()} and found
 * none: messages are produced faster than the broker takes them, or the broker is unreachable. Nothing was sent.
 * Retriable, once earlier sends have completed.
 */
public class BufferExhaustedException extends RequestTimeoutException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param needed the bytes the message needed
     * @param bufferMemory the configured buffer memory in bytes
     * @param inUse the bytes in use when the wait ended
     * @param maxBlockMillis the configured maximum block time in milliseconds
     */
    public BufferExhaustedException(long needed, long bufferMemory, long inUse, long maxBlockMillis) {
        super("no room for a message of " + needed + " bytes within maxBlockTime = " + maxBlockMillis
                + " ms: bufferMemory = " + bufferMemory + " bytes, of which " + inUse
                + " are held by buffered and in-flight messages");
    }
}
