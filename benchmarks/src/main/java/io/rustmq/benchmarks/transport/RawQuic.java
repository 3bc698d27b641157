package io.rustmq.benchmarks.transport;

/** Settings shared by the raw QUIC server and client of the transport benchmark. */
final class RawQuic {
    /** ALPN, as the broker. */
    static final String ALPN = "rustmq";
    /** UDP socket buffers (VERSIONS pitfall #3). */
    static final int UDP_BUFFER = 4 << 20;
    /** Connection flow-control window, as the embedded broker. */
    static final long CONNECTION_WINDOW = 32L << 20;
    /** Stream flow-control window, as the embedded broker. */
    static final long STREAM_WINDOW = 8L << 20;
    /** Concurrent bidirectional streams the server allows, as the embedded broker. */
    static final int MAX_STREAMS = 1000;
    /** First byte of a stream whose bytes the server counts and answers with the count (8 bytes) at FIN. */
    static final byte SINK = 'S';
    /** First byte of a stream the server echoes back whole at FIN. */
    static final byte ECHO = 'E';
    /** The start of the line the server prints when ready. */
    static final String READY = "RawQuicServer listening on ";

    private RawQuic() {
    }
}
