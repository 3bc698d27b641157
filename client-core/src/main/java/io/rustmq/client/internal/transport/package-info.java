/**
 * The QUIC transport and the connection pool. Not API: these classes may change in any release; applications reach
 * the brokers through {@link io.rustmq.client.RustMQClient}.
 *
 * <p>{@link io.rustmq.client.internal.transport.QuicTransport} dials brokers and owns
 * the network threads, {@link io.rustmq.client.internal.transport.BrokerConnection} carries requests, one bidirectional stream
 * each, {@link io.rustmq.client.internal.transport.TransportStats} counts what went over the wire, and
 * {@link io.rustmq.client.internal.transport.ConnectionPool} keeps one connection per broker, routes each request to the
 * partition leader or group coordinator, reconnects lost brokers with {@link io.rustmq.client.internal.transport.Backoff}, and
 * runs health checks. No Netty type appears in a public
 * signature, so that the incubator QUIC codec used here (netty-incubator-codec-native-quic on Netty 4.1) can later be
 * swapped for Netty 4.2's codec by a package rename inside this package.
 *
 * <p>Also here: the retry policy ({@link io.rustmq.client.internal.transport.RetryPolicy}), the coordinator cache,
 * the connection slots, the pool's {@link io.rustmq.client.internal.transport.Scheduler} and future plumbing
 * ({@link io.rustmq.client.internal.transport.Futures}).
 *
 * <p>The pool is a facade over parts with one job each: {@code MetadataRouter} (the brokers known, partition
 * leaders and counts, automatic Metadata refreshes, any-broker selection), {@code HealthChecker} (checks and their
 * counters), {@code BrokerNode} (one broker's connection and reconnect loop), and the parts listed above. Every thread comes from the {@link java.util.concurrent.ThreadFactory}
 * given to {@link io.rustmq.client.internal.transport.ConnectionPool#create(io.rustmq.client.ClientConfig,
 * java.util.concurrent.ThreadFactory)} (by default named daemon threads): the transport's event loops and callback
 * threads, and the pool's one scheduler thread. Nothing runs on {@code ForkJoinPool.commonPool()}.
 *
 * <p>Choices worth knowing:
 * <ul>
 *   <li>Each request frame is written in one write that carries FIN; the response is read to end of stream, or,
 *       for typed requests, until a whole bincode body has been decoded (some QUIC stacks delay FIN). An error frame
 *       ({@code 0xFF} + text) ends only at end of stream.</li>
 *   <li>When the broker's concurrent-stream limit is reached, requests wait for stream credit (the codec's
 *       {@code QuicStreamLimitChangedEvent}) within their own timeout. The codec's {@code createStream} is never
 *       called without credit: it consumes a stream id even when it fails.</li>
 *   <li>A connect ends with one empty stream (FIN only) that the broker must end (the shipped broker answers an
 *       empty request with an empty stream). In TLS 1.3 a client finishes its side of the handshake before the
 *       server has judged the client certificate, so without this round trip a refused client certificate would only
 *       show up on the first request.</li>
 *   <li>The codec has no QUIC PING; an idle connection sends the same empty stream before half the negotiated idle
 *       timeout (at most every {@code keepAliveInterval}).</li>
 *   <li>Host names are checked by {@code VerifyingTrustManager} with the JDK's HTTPS rules: the codec's engine does
 *       no host-name check and rejects {@code setSSLParameters}.</li>
 *   <li>A handshake that fails (a refused certificate) or is abandoned closes the QUIC connection, so that its
 *       CONNECTION_CLOSE goes out, before the UDP socket: a broker that completes handshakes in its accept loop
 *       would otherwise wait for the dead one until its idle timeout.</li>
 *   <li>Retriable broker errors are classified by one table ({@link io.rustmq.client.BrokerErrorException.Kind});
 *       the size rule is stated and checked in {@link io.rustmq.client.protocol.SizeLimits}.</li>
 *   <li>The pool routes without locks: leaders live in an immutable map from topic to an array indexed by partition,
 *       replaced as a whole when Metadata answers; connected brokers in an array for round robin. Reconnection,
 *       retries and health checks run on one thread per pool (by default {@code rustmq-pool-<clientId>}), behind a small
 *       {@code Scheduler} interface so that unit tests drive time by hand against in-memory brokers.</li>
 * </ul>
 */
package io.rustmq.client.internal.transport;
