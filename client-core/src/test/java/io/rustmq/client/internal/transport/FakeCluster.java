package io.rustmq.client.internal.transport;

import io.rustmq.client.BrokerErrorException;
import io.rustmq.client.ConnectionException;
import io.rustmq.client.protocol.BrokerInfo;
import io.rustmq.client.protocol.ConsumerHeartbeatResponse;
import io.rustmq.client.protocol.FetchResponse;
import io.rustmq.client.protocol.FindCoordinatorResponse;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.JoinGroupRequest;
import io.rustmq.client.protocol.JoinGroupResponse;
import io.rustmq.client.protocol.MetadataResponse;
import io.rustmq.client.protocol.PartitionMetadata;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.ProduceResponse;
import io.rustmq.client.protocol.Request;
import io.rustmq.client.protocol.Response;
import io.rustmq.client.protocol.TopicMetadata;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * In-memory brokers behind a fake {@link Connector}, for testing the pool's routing and reconnection without a
 * network. Answers complete synchronously on the caller's thread. Brokers are reached by {@code host:port}; a broker
 * may advertise another host in Metadata.
 */
final class FakeCluster {
    final TransportStats stats = new TransportStats();
    final Map<String, FakeBroker> brokers = new LinkedHashMap<>();
    /** Topic to leader broker id per partition; listed in Metadata. */
    final Map<String, String[]> leaders = Collections.synchronizedMap(new LinkedHashMap<>());
    /** The FindCoordinator answer: id, host, port; null to answer with the receiving broker itself. */
    volatile FindCoordinatorResponse coordinator;
    final List<InetSocketAddress> dialled = new CopyOnWriteArrayList<>();

    FakeBroker add(String id, String host, int port) {
        FakeBroker b = new FakeBroker(id, host, port, (byte) (brokers.size() + 1));
        brokers.put(host + ":" + port, b);
        return b;
    }

    FakeBroker broker(String id) {
        return brokers.values().stream().filter(b -> b.id.equals(id)).findFirst().orElseThrow();
    }

    Connector connector() {
        return new Connector() {
            @Override
            public CompletableFuture<BrokerLink> connect(InetSocketAddress address) {
                dialled.add(address);
                FakeBroker b = brokers.get(address.getHostString() + ":" + address.getPort());
                if (b != null && b.connectFailure != null) {
                    stats.onError();
                    return CompletableFuture.failedFuture(b.connectFailure.get());
                }
                if (b == null || !b.up) {
                    stats.onError();
                    return CompletableFuture.failedFuture(new ConnectionException("nothing is listening on "
                            + address.getHostString() + ":" + address.getPort(), null));
                }
                FakeLink link = new FakeLink(b);
                b.links.add(link);
                stats.onConnectionOpened();
                return CompletableFuture.completedFuture(link);
            }

            @Override
            public TransportStats stats() {
                return stats;
            }

            @Override
            public void close() {
                for (FakeBroker b : brokers.values()) {
                    for (FakeLink l : b.links) {
                        l.close();
                    }
                }
            }
        };
    }

    MetadataResponse metadata(FakeBroker self) {
        List<BrokerInfo> infos = new ArrayList<>();
        for (FakeBroker b : brokers.values()) {
            if (b.up && b.listed) {
                infos.add(new BrokerInfo(b.id, b.advertisedHost, b.port, 0, ""));
            }
        }
        List<TopicMetadata> topics = new ArrayList<>();
        synchronized (leaders) {
            leaders.forEach((t, ids) -> {
                List<PartitionMetadata> ps = new ArrayList<>();
                for (int p = 0; p < ids.length; p++) {
                    ps.add(new PartitionMetadata(p, ids[p], List.of()));
                }
                topics.add(new TopicMetadata(t, ps));
            });
        }
        return new MetadataResponse(infos, topics);
    }

    /** One fake broker. */
    final class FakeBroker {
        final String id;
        final String host;
        final int port;
        volatile String advertisedHost;
        volatile boolean up = true;
        volatile boolean listed = true;
        /** When set, every connect fails with this. */
        volatile java.util.function.Supplier<RuntimeException> connectFailure;
        final List<Request> received = new CopyOnWriteArrayList<>();
        final List<FakeLink> links = new CopyOnWriteArrayList<>();
        /** Overrides the answer: return a Response, a RuntimeException to fail with, a future, or null for default. */
        volatile Function<Request, Object> override = r -> null;

        final InetAddress ip;

        FakeBroker(String id, String host, int port, byte lastOctet) {
            try {
                this.ip = InetAddress.getByAddress(host, new byte[] {10, 0, 0, lastOctet});
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
            this.id = id;
            this.host = host;
            this.port = port;
            this.advertisedHost = host;
        }

        Object answer(Request r) {
            Object o = override.apply(r);
            if (o != null) {
                return o;
            }
            switch (r.type()) {
                case METADATA:
                    return metadata(this);
                case FIND_COORDINATOR: {
                    FindCoordinatorResponse c = coordinator;
                    return c != null ? c : new FindCoordinatorResponse(id, host, port, 0);
                }
                case PRODUCE: {
                    ProduceRequest p = (ProduceRequest) r;
                    String[] ids = leaders.get(p.topic());
                    if (ids != null && (p.partitionId() >= ids.length || !id.equals(ids[p.partitionId()]))) {
                        return new BrokerErrorException("Error: Not leader for partition: " + p.topic() + ":"
                                + p.partitionId());
                    }
                    return new ProduceResponse(received.size(), 0, null);
                }
                case FETCH:
                    return new FetchResponse(List.of(), 0, 0, null);
                case JOIN_GROUP: {
                    JoinGroupRequest j = (JoinGroupRequest) r;
                    return new JoinGroupResponse(1, "m-1", "m-1", Map.of(), 0);
                }
                case CONSUMER_HEARTBEAT:
                    return new ConsumerHeartbeatResponse(0);
                default:
                    throw new IllegalStateException("not faked: " + r.type());
            }
        }

        /** Stops the broker: its connections are lost and new ones fail. */
        void kill() {
            up = false;
            for (FakeLink l : links) {
                l.lose();
            }
        }

        long count(io.rustmq.client.protocol.RequestType type) {
            return received.stream().filter(r -> r.type() == type).count();
        }

        List<Integer> producedPartitions() {
            List<Integer> out = new ArrayList<>();
            for (Request r : received) {
                if (r instanceof ProduceRequest p) {
                    out.add(p.partitionId());
                }
            }
            return out;
        }

        int openLinks() {
            return (int) links.stream().filter(FakeLink::isActive).count();
        }
    }

    /** One fake connection. */
    final class FakeLink implements BrokerLink {
        final FakeBroker broker;
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        volatile boolean active = true;

        FakeLink(FakeBroker broker) {
            this.broker = broker;
        }

        @Override
        public CompletableFuture<Response> send(Request request) {
            return send(request, Duration.ofSeconds(30));
        }

        @SuppressWarnings("unchecked")
        @Override
        public CompletableFuture<Response> send(Request request, Duration timeout) {
            if (!active) {
                stats.onError();
                return CompletableFuture.failedFuture(new ConnectionException("the connection to " + broker.id
                        + " is closed", null));
            }
            broker.received.add(request);
            stats.onRequestSent(Frames.encodeRequest(request).length);
            Object answer = broker.answer(request);
            if (answer instanceof CompletableFuture<?> f) {
                return (CompletableFuture<Response>) f;
            }
            if (answer instanceof RuntimeException e) {
                stats.onResponse();
                stats.onError();
                return CompletableFuture.failedFuture(e);
            }
            Response response = (Response) answer;
            stats.onBytesReceived(Frames.encodeResponse(response).length);
            stats.onResponse();
            return CompletableFuture.completedFuture(response);
        }

        @Override
        public boolean isActive() {
            return active;
        }

        @Override
        public CompletableFuture<Void> closeFuture() {
            return closed;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return new InetSocketAddress(broker.ip, broker.port);
        }

        @Override
        public int inFlightRequests() {
            return 0;
        }

        @Override
        public void close() {
            if (active) {
                active = false;
                stats.onConnectionClosed();
                closed.complete(null);
            }
        }

        void lose() {
            if (active) {
                active = false;
                stats.onConnectionClosed();
                closed.completeExceptionally(new ConnectionException("the connection to " + broker.id
                        + " was lost", null));
            }
        }
    }
}
