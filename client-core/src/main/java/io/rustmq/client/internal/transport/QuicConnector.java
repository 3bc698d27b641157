package io.rustmq.client.internal.transport;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.protocol.Request;
import io.rustmq.client.protocol.Response;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** The real {@link Connector}: QUIC connections from a {@link QuicTransport}. */
final class QuicConnector implements Connector {
    private final QuicTransport transport;

    QuicConnector(ClientConfig config, java.util.concurrent.ThreadFactory threadFactory) {
        this.transport = QuicTransport.create(config, null, threadFactory);
    }

    @Override
    public CompletableFuture<BrokerLink> connect(InetSocketAddress address) {
        return transport.connect(address).thenApply(Link::new);
    }

    @Override
    public TransportStats stats() {
        return transport.stats();
    }

    @Override
    public void runCallback(Runnable task) {
        transport.run(task);
    }

    @Override
    public boolean inNetworkThread() {
        return transport.inEventLoop();
    }

    @Override
    public void close() {
        transport.close();
    }

    /** Adapts a {@link BrokerConnection}. */
    private static final class Link implements BrokerLink {
        private final BrokerConnection connection;

        Link(BrokerConnection connection) {
            this.connection = connection;
        }

        @Override
        public CompletableFuture<Response> send(Request request) {
            return connection.send(request);
        }

        @Override
        public CompletableFuture<Response> send(Request request, Duration timeout) {
            return connection.send(request, timeout);
        }

        @Override
        public CompletableFuture<Response> sendInline(Request request) {
            return connection.sendInline(request);
        }

        @Override
        public Executor networkExecutor() {
            return connection.eventLoop();
        }

        @Override
        public boolean isActive() {
            return connection.isActive();
        }

        @Override
        public CompletableFuture<Void> closeFuture() {
            return connection.closeFuture();
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return connection.remoteAddress();
        }

        @Override
        public int inFlightRequests() {
            return connection.inFlightRequests();
        }

        @Override
        public void close() {
            connection.closeAsync();
        }

        @Override
        public String toString() {
            return connection.toString();
        }
    }
}
