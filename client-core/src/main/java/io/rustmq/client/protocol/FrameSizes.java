package io.rustmq.client.protocol;

/**
 * The size of the last frame of each request type seen on one connection, so that the next one is collected into a
 * buffer of about that size instead of one that doubles from a few hundred bytes (each doubling copies the whole
 * frame again and touches fresh memory: for a 1 MiB Fetch response, eleven arrays and about 2 MiB of copying).
 * Used by a connection's response reader on the client and its request reader on the broker. Not thread-safe: one
 * instance per connection, used on that connection's event loop.
 */
public final class FrameSizes {
    private final int[] last = new int[RequestType.values().length];

    /**
     * Remembers the size of a whole frame.
     *
     * @param type the request type the frame belongs to (a request, or the response to one)
     * @param bytes the frame's length in bytes; negative values are ignored
     */
    public void record(RequestType type, int bytes) {
        if (type != null && bytes >= 0) {
            last[type.ordinal()] = bytes;
        }
    }

    /**
     * The buffer size to grow to for the next frame of a type once it outgrows its first read: the last such
     * frame's length plus a quarter, so that a frame slightly larger than the last still fits without a copy.
     *
     * @param type the request type, or {@code null} for none
     * @return bytes, 0 when nothing was seen yet
     */
    public int hint(RequestType type) {
        if (type == null) {
            return 0;
        }
        long n = last[type.ordinal()];
        return (int) Math.min(Integer.MAX_VALUE - 8, n + (n >> 2));
    }
}
