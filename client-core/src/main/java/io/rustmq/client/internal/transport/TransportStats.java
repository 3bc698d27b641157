package io.rustmq.client.internal.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of one {@link QuicTransport}, across all its connections. Thread-safe; each getter reads the current
 * sum. Only requests sent through {@link BrokerConnection#send} and {@link BrokerConnection#sendFrame} count; the
 * transport's own empty keep-alive and connect-check streams do not.
 *
 * <ul>
 *   <li>a request counts once in {@link #requestsSent()} and adds its frame length (type byte included) to
 *       {@link #bytesSent()} when the frame has been handed to QUIC;</li>
 *   <li>every byte read from a request's stream adds to {@link #bytesReceived()}; a request whose stream brought a
 *       complete answer (a response, an error frame, or an empty stream) counts once in
 *       {@link #responsesReceived()};</li>
 *   <li>every request that fails, for any reason (refused as too large, timeout, broker error frame, protocol
 *       violation, lost connection), and every failed connect counts once in {@link #errors()}.</li>
 * </ul>
 */
public final class TransportStats {
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder requestsSent = new LongAdder();
    private final LongAdder responsesReceived = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder connectionsOpened = new LongAdder();
    private final LongAdder activeConnections = new LongAdder();

    TransportStats() {
    }

    /**
     * Request-frame bytes handed to QUIC.
     *
     * @return bytes
     */
    public long bytesSent() {
        return bytesSent.sum();
    }

    /**
     * Response bytes read from request streams.
     *
     * @return bytes
     */
    public long bytesReceived() {
        return bytesReceived.sum();
    }

    /**
     * Requests whose frame was written to a stream.
     *
     * @return count
     */
    public long requestsSent() {
        return requestsSent.sum();
    }

    /**
     * Requests whose stream brought a complete answer (success, error frame or empty).
     *
     * @return count
     */
    public long responsesReceived() {
        return responsesReceived.sum();
    }

    /**
     * Failed requests and failed connects.
     *
     * @return count
     */
    public long errors() {
        return errors.sum();
    }

    /**
     * Connections whose handshake succeeded, since the transport was created.
     *
     * @return count
     */
    public long connectionsOpened() {
        return connectionsOpened.sum();
    }

    /**
     * Connections open now.
     *
     * @return count
     */
    public long activeConnections() {
        return activeConnections.sum();
    }

    void onRequestSent(int frameBytes) {
        requestsSent.increment();
        bytesSent.add(frameBytes);
    }

    void onBytesReceived(int n) {
        bytesReceived.add(n);
    }

    void onResponse() {
        responsesReceived.increment();
    }

    void onError() {
        errors.increment();
    }

    void onConnectionOpened() {
        connectionsOpened.increment();
        activeConnections.increment();
    }

    void onConnectionClosed() {
        activeConnections.decrement();
    }

    @Override
    public String toString() {
        return "TransportStats{bytesSent=" + bytesSent() + ", bytesReceived=" + bytesReceived() + ", requestsSent="
                + requestsSent() + ", responsesReceived=" + responsesReceived() + ", errors=" + errors()
                + ", connectionsOpened=" + connectionsOpened() + ", activeConnections=" + activeConnections() + "}";
    }
}
