package io.rustmq.broker;

import io.rustmq.broker.group.GroupCoordinator;
import io.rustmq.broker.storage.TopicRegistry;
import io.rustmq.broker.tls.Certificates;
import io.rustmq.broker.tls.CertifiedKey;
import io.rustmq.client.protocol.BrokerInfo;
import io.rustmq.client.protocol.FindCoordinatorResponse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Several {@link EmbeddedBroker}s in one JVM that behave as one cluster, for testing how clients route requests and
 * survive a broker going away. The brokers share one set of topics and partition logs, one consumer-group
 * coordinator and one view of who leads what:
 *
 * <ul>
 *   <li><b>Leadership.</b> Partition <i>p</i> of a topic is led by broker {@code p mod n} (round robin), or the next
 *       live broker if that one is stopped, when the partition is first seen. Stopping a broker moves each
 *       partition it led to a live broker (round robin over the live ones); restarting it does not move leadership
 *       back ({@link #electPreferredLeaders()} does).</li>
 *   <li><b>Produce</b> to a broker that does not lead the partition is refused with
 *       {@code 0xFF "Error: Not leader for partition: t:p"}, as the real broker does for a follower.</li>
 *   <li><b>Fetch</b> is served by every broker from the shared log (as a follower with an up-to-date replica would
 *       be): consumers keep reading while leadership moves. {@link BrokerCounters} show where fetches went.</li>
 *   <li><b>Metadata</b> lists every live broker and each partition's leader; all brokers are listed as replicas.</li>
 *   <li><b>Groups.</b> One coordinator state serves every broker, so group requests succeed on any broker;
 *       FindCoordinator names one live broker per group (by the group id's hash), with the bind host unchanged (so
 *       a cluster bound to {@code 0.0.0.0} answers {@code 0.0.0.0}, as the real broker does).</li>
 *   <li><b>TLS.</b> At start the cluster creates a CA and one server certificate it signs (names {@code localhost},
 *       {@code 127.0.0.1}, {@code ::1} and the bind host), used by every broker; clients trust
 *       {@link #caCertificatePem()} and verify for real. A restarted broker keeps its port and certificate, so
 *       clients reconnect to it.</li>
 * </ul>
 *
 * <pre>{@code
 * try (EmbeddedCluster cluster = EmbeddedCluster.builder().brokers(3).topic("orders", 6).build().start()) {
 *     ClientConfig config = ClientConfig.builder().brokers(cluster.bootstrapServers())
 *             .tls(TlsConfig.builder().caCert(cluster.caCertificatePem()).build()).build();
 *     cluster.stopBroker(cluster.leaderIndex("orders", 0));
 * }
 * }</pre>
 *
 * Thread-safe. A closed cluster cannot be started again.
 */
public final class EmbeddedCluster implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EmbeddedCluster.class.getName());
    private static final int RESTART_BIND_ATTEMPTS = 20;

    private final String host;
    private final int size;
    private final Map<String, Integer> initialTopics;
    private final boolean autoCreateTopics;
    private final int defaultPartitions;
    private final List<Member> members = new ArrayList<>();
    private final View view = new View();
    private final Object leadership = new Object();
    private final ConcurrentHashMap<String, String[]> leaders = new ConcurrentHashMap<>();
    private int moveCursor;

    private enum Phase { NEW, RUNNING, CLOSED }

    private Phase phase = Phase.NEW;
    private Path pemDir;
    private Path caPem;
    private Path serverPem;
    private Path serverKeyPem;
    private volatile TopicRegistry topics;
    private volatile GroupCoordinator groups;
    private ScheduledExecutorService reaper;

    /** One broker slot of the cluster: fixed id, port (after the first start) and counters. */
    private static final class Member {
        final int index;
        final String id;
        final BrokerCounters counters = new BrokerCounters();
        volatile int port;
        volatile boolean live;
        volatile EmbeddedBroker broker;

        Member(int index, String id) {
            this.index = index;
            this.id = id;
        }
    }

    private EmbeddedCluster(Builder b) {
        this.host = b.host;
        this.size = b.brokers;
        this.initialTopics = new LinkedHashMap<>(b.topics);
        this.autoCreateTopics = b.autoCreateTopics;
        this.defaultPartitions = b.defaultPartitions;
        for (int i = 0; i < size; i++) {
            members.add(new Member(i, "broker-" + i));
        }
    }

    /**
     * Starts configuring a cluster. Defaults: 3 brokers with ids {@code broker-0}…, host {@code 127.0.0.1}, free
     * ports, no topics, no auto-creation, 1 default partition.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Generates the certificates and starts every broker on a free port.
     *
     * @return this cluster, running
     * @throws IllegalStateException if already started or closed
     * @throws EmbeddedBrokerException if a broker cannot start or the certificates cannot be written
     */
    public synchronized EmbeddedCluster start() {
        if (phase != Phase.NEW) {
            throw new IllegalStateException("the cluster was already " + (phase == Phase.RUNNING ? "started"
                    : "closed"));
        }
        phase = Phase.RUNNING;
        try {
            writeCertificates();
            for (Member m : members) {
                EmbeddedBroker broker = newBroker(m, 0).start();
                if (topics == null) {
                    topics = broker.topicRegistry();
                    groups = broker.groupCoordinator();
                    initialTopics.forEach(topics::create);
                }
                m.port = broker.address().getPort();
                m.broker = broker;
                m.live = true;
            }
            reaper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rustmq-cluster-reaper");
                t.setDaemon(true);
                return t;
            });
            long every = EmbeddedBroker.REAPER_INTERVAL.toMillis();
            reaper.scheduleAtFixedRate(this::reap, every, every, TimeUnit.MILLISECONDS);
            LOG.log(System.Logger.Level.INFO, "RustMQ embedded cluster of {0} brokers: {1}", size,
                    bootstrapServers());
            return this;
        } catch (IOException | RuntimeException e) {
            close();
            throw new EmbeddedBrokerException("cannot start the embedded cluster: " + e.getMessage(), e);
        }
    }

    private void writeCertificates() throws IOException {
        CertifiedKey ca = Certificates.certificateAuthority("RustMQ embedded cluster CA");
        List<String> names = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        String advertised = EmbeddedBroker.advertisedHost(h);
        if (advertised.equals(h) && !names.contains(h)) {
            names.add(h);
        }
        CertifiedKey server = Certificates.issueServer(ca, "localhost", names);
        pemDir = Files.createTempDirectory("rustmq-cluster-");
        caPem = ca.writeCertificatePem(pemDir.resolve("ca.pem"));
        serverPem = server.writeCertificatePem(pemDir.resolve("server.pem"));
        serverKeyPem = server.writePrivateKeyPem(pemDir.resolve("server-key.pem"));
    }

    private EmbeddedBroker newBroker(Member m, int port) {
        EmbeddedBroker.Builder b = EmbeddedBroker.builder().host(host).port(port).brokerId(m.id)
                .autoCreateTopics(autoCreateTopics).defaultPartitions(defaultPartitions)
                .certificate(serverPem, serverKeyPem)
                .cluster(view).counters(m.counters).runReaper(false);
        if (topics != null) {
            b.sharedState(topics, groups);
        }
        return b.build();
    }

    private void reap() {
        try {
            groups.evictExpired();
            topics.enforceRetention(System.currentTimeMillis());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "consumer-group reaper failed", e);
        }
    }

    /**
     * The number of brokers, running or stopped.
     *
     * @return the size given to the builder
     */
    public int size() {
        return size;
    }

    /**
     * The address of every broker, running or stopped, in index order: what clients list as bootstrap brokers.
     *
     * @return {@code host:port} strings (a wildcard bind host is given as the loopback address)
     * @throws IllegalStateException if the cluster has not been started
     */
    public List<String> bootstrapServers() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            out.add(bootstrap(i));
        }
        return out;
    }

    /**
     * The address of one broker, running or stopped.
     *
     * @param index 0 to {@code size() - 1}
     * @return {@code host:port}
     * @throws IllegalStateException if the cluster has not been started
     */
    public String bootstrap(int index) {
        Member m = member(index);
        if (m.port == 0) {
            throw new IllegalStateException("the cluster has not been started");
        }
        String h = EmbeddedBroker.advertisedHost(host);
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + m.port;
    }

    /**
     * The PEM file of the CA that signed every broker's certificate: what clients trust.
     *
     * @return the path, valid until {@link #close()}
     * @throws IllegalStateException if the cluster has not been started
     */
    public synchronized Path caCertificatePem() {
        if (caPem == null) {
            throw new IllegalStateException("the cluster has not been started");
        }
        return caPem;
    }

    /**
     * The id of a broker.
     *
     * @param index 0 to {@code size() - 1}
     * @return {@code broker-<index>}
     */
    public String brokerId(int index) {
        return member(index).id;
    }

    /**
     * The running broker at an index.
     *
     * @param index 0 to {@code size() - 1}
     * @return the broker
     * @throws IllegalStateException if that broker is stopped
     */
    public EmbeddedBroker broker(int index) {
        EmbeddedBroker b = member(index).broker;
        if (b == null) {
            throw new IllegalStateException("broker " + brokerId(index) + " is not running");
        }
        return b;
    }

    /**
     * Whether a broker is running.
     *
     * @param index 0 to {@code size() - 1}
     * @return {@code true} between its start and its stop
     */
    public boolean isRunning(int index) {
        return member(index).live;
    }

    /**
     * The request counters of a broker, kept across its restarts.
     *
     * @param index 0 to {@code size() - 1}
     * @return the live counters
     */
    public BrokerCounters counters(int index) {
        return member(index).counters;
    }

    /**
     * Stops a broker: first moves the leadership of each partition it leads to a live broker, then closes it (its
     * clients' connections are closed). Its port stays reserved for {@link #startBroker(int)}.
     *
     * @param index 0 to {@code size() - 1}
     * @throws IllegalStateException if the broker is not running or the cluster is not running
     */
    public synchronized void stopBroker(int index) {
        requireRunning();
        Member m = member(index);
        if (!m.live) {
            throw new IllegalStateException("broker " + m.id + " is already stopped");
        }
        m.live = false;
        moveLeadershipAway(m.id);
        EmbeddedBroker b = m.broker;
        m.broker = null;
        b.close();
        LOG.log(System.Logger.Level.INFO, "embedded cluster: stopped {0}", m.id);
    }

    /**
     * Starts a stopped broker again, on the same port with the same certificate and the shared state, so that
     * clients reconnect to it. Leadership does not move back by itself.
     *
     * @param index 0 to {@code size() - 1}
     * @return the new broker instance
     * @throws IllegalStateException if the broker is running or the cluster is not running
     * @throws EmbeddedBrokerException if the port cannot be bound again
     */
    public synchronized EmbeddedBroker startBroker(int index) {
        requireRunning();
        Member m = member(index);
        if (m.live) {
            throw new IllegalStateException("broker " + m.id + " is already running");
        }
        EmbeddedBrokerException last = null;
        for (int attempt = 1; attempt <= RESTART_BIND_ATTEMPTS; attempt++) {
            try {
                EmbeddedBroker b = newBroker(m, m.port).start();
                m.broker = b;
                m.live = true;
                LOG.log(System.Logger.Level.INFO, "embedded cluster: restarted {0} on port {1}", m.id,
                        String.valueOf(m.port));
                return b;
            } catch (EmbeddedBrokerException e) {
                // The port may not be free again yet: try a little later.
                last = e;
                LOG.log(System.Logger.Level.DEBUG, () -> "restarting " + m.id + " failed: " + e.getMessage());
                sleep(100);
            }
        }
        throw last;
    }

    /**
     * The current leader of a partition, assigning leadership if the partition was not seen yet.
     *
     * @param topic the topic
     * @param partition the partition
     * @return the leader's broker id, or {@code null} if the topic or partition does not exist or no broker is live
     */
    public String leader(String topic, int partition) {
        int count = topics == null ? 0 : topics.partitionCount(topic);
        if (partition < 0 || partition >= count) {
            return null;
        }
        return view.leader(null, topic, partition, count);
    }

    /**
     * The index of the current leader of a partition.
     *
     * @param topic the topic
     * @param partition the partition
     * @return the broker index, or -1 if there is none (see {@link #leader})
     */
    public int leaderIndex(String topic, int partition) {
        String id = leader(topic, partition);
        for (Member m : members) {
            if (m.id.equals(id)) {
                return m.index;
            }
        }
        return -1;
    }

    /**
     * Gives every partition back to its preferred leader (broker {@code p mod n}) where that broker is live.
     */
    public void electPreferredLeaders() {
        synchronized (leadership) {
            leaders.replaceAll((topic, ids) -> assign(ids.length));
        }
    }

    /**
     * Creates a topic in the shared registry. Creating an existing topic with the same partition count does nothing.
     *
     * @param name the topic name, not empty
     * @param partitions 1 to {@value TopicRegistry#MAX_PARTITIONS}
     * @throws IllegalArgumentException if the name or count is invalid, or the topic exists with another count
     * @throws IllegalStateException if the cluster has not been started
     */
    public void createTopic(String name, int partitions) {
        requireStarted().create(name, partitions);
    }

    /**
     * The topics and their partition counts.
     *
     * @return an immutable snapshot, sorted by name
     */
    public Map<String, Integer> topics() {
        return requireStarted().partitionCounts();
    }

    /**
     * The log end offset of a partition in the shared log: how many records it holds.
     *
     * @param topic the topic
     * @param partition the partition
     * @return the next offset to be assigned; 0 for an unknown topic or partition
     * @throws IllegalStateException if the cluster has not been started
     */
    public long logEndOffset(String topic, int partition) {
        io.rustmq.broker.storage.PartitionLog log = requireStarted().partition(topic, partition);
        return log == null ? 0 : log.logEndOffset();
    }

    /**
     * The shared topic registry.
     *
     * @return the registry
     * @throws IllegalStateException if the cluster has not been started
     */
    public TopicRegistry topicRegistry() {
        return requireStarted();
    }

    /**
     * The shared consumer-group coordinator.
     *
     * @return the coordinator
     * @throws IllegalStateException if the cluster has not been started
     */
    public GroupCoordinator groupCoordinator() {
        requireStarted();
        return groups;
    }

    /**
     * Stops every broker, the reaper, and deletes the certificate files. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        if (reaper != null) {
            reaper.shutdownNow();
        }
        for (Member m : members) {
            m.live = false;
            EmbeddedBroker b = m.broker;
            m.broker = null;
            if (b != null) {
                b.close();
            }
        }
        if (pemDir != null) {
            try (Stream<Path> files = Files.walk(pemDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot delete " + pemDir, e);
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("EmbeddedCluster[");
        for (Member m : members) {
            s.append(m.index == 0 ? "" : ", ").append(m.id).append(m.live ? " up" : " down");
        }
        return s.append("]").toString();
    }

    // ------------------------------------------------------------------------------------------------------------

    private Member member(int index) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("broker index must be 0 to " + (size - 1) + ", got " + index);
        }
        return members.get(index);
    }

    private void requireRunning() {
        if (phase != Phase.RUNNING) {
            throw new IllegalStateException("the cluster is not running (" + phase + ")");
        }
    }

    private synchronized TopicRegistry requireStarted() {
        if (topics == null) {
            throw new IllegalStateException("the cluster has not been started");
        }
        return topics;
    }

    private List<Member> live() {
        List<Member> out = new ArrayList<>();
        for (Member m : members) {
            if (m.live) {
                out.add(m);
            }
        }
        return out;
    }

    /** Under the leadership lock: preferred leaders, each replaced by the next live broker if it is down. */
    private String[] assign(int count) {
        String[] ids = new String[count];
        for (int p = 0; p < count; p++) {
            for (int k = 0; k < size; k++) {
                Member m = members.get((p + k) % size);
                if (m.live) {
                    ids[p] = m.id;
                    break;
                }
            }
        }
        return ids;
    }

    private void moveLeadershipAway(String id) {
        synchronized (leadership) {
            List<Member> live = live();
            leaders.replaceAll((topic, ids) -> {
                String[] next = ids.clone();
                for (int p = 0; p < next.length; p++) {
                    if (id.equals(next[p])) {
                        next[p] = live.isEmpty() ? null : live.get(Math.floorMod(moveCursor++, live.size())).id;
                    }
                }
                return next;
            });
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedBrokerException("interrupted while restarting a broker", e);
        }
    }

    /** The shared view the brokers answer from. */
    private final class View implements ClusterView {
        @Override
        public List<BrokerInfo> brokers(BrokerRequestHandler.Identity self) {
            List<BrokerInfo> out = new ArrayList<>();
            String advertised = EmbeddedBroker.advertisedHost(host);
            for (Member m : members) {
                if (m.live) {
                    out.add(new BrokerInfo(m.id, advertised, m.port, 0, ""));
                }
            }
            return out;
        }

        @Override
        public String leader(BrokerRequestHandler.Identity self, String topic, int partition, int partitionCount) {
            String[] ids = leaders.get(topic);
            if (ids == null || ids.length != partitionCount) {
                synchronized (leadership) {
                    ids = leaders.get(topic);
                    if (ids == null || ids.length != partitionCount) {
                        ids = assign(partitionCount);
                        leaders.put(topic, ids);
                    }
                }
            }
            return ids[partition];
        }

        @Override
        public List<String> replicas(BrokerRequestHandler.Identity self) {
            List<String> ids = new ArrayList<>(size);
            for (Member m : members) {
                ids.add(m.id);
            }
            return ids;
        }

        @Override
        public FindCoordinatorResponse coordinator(BrokerRequestHandler.Identity self, String groupId) {
            List<Member> live = live();
            if (live.isEmpty()) {
                return new FindCoordinatorResponse(self.brokerId(), self.bindHost(), self.port(), 0);
            }
            Member m = live.get(Math.floorMod(groupId.hashCode(), live.size()));
            return new FindCoordinatorResponse(m.id, host, m.port, 0);
        }
    }

    /** Configures an {@link EmbeddedCluster}. Setters check their argument at once. Not thread-safe. */
    public static final class Builder {
        private int brokers = 3;
        private String host = "127.0.0.1";
        private final Map<String, Integer> topics = new LinkedHashMap<>();
        private boolean autoCreateTopics;
        private int defaultPartitions = 1;

        private Builder() {
        }

        /**
         * The number of brokers.
         *
         * @param brokers 1 to 32; default 3
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder brokers(int brokers) {
            if (brokers < 1 || brokers > 32) {
                throw new IllegalArgumentException("brokers must be 1 to 32, got " + brokers);
            }
            this.brokers = brokers;
            return this;
        }

        /**
         * The host every broker binds (each on its own port); {@code 0.0.0.0} binds every IPv4 interface, is listed
         * in Metadata as {@code 127.0.0.1} and returned unchanged by FindCoordinator.
         *
         * @param host a host name or IP literal; default {@code 127.0.0.1}
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder host(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host.trim();
            return this;
        }

        /**
         * A topic to create at start. Repeatable; a repeated name replaces the count.
         *
         * @param name the topic name, not empty
         * @param partitions 1 to {@value TopicRegistry#MAX_PARTITIONS}
         * @return this builder
         * @throws IllegalArgumentException if the name is empty or the count out of range
         */
        public Builder topic(String name, int partitions) {
            TopicRegistry.checkTopic(name, partitions);
            topics.put(name, partitions);
            return this;
        }

        /**
         * Whether a Metadata, Produce or JoinGroup naming an unknown topic creates it (see
         * {@link EmbeddedBroker.Builder#autoCreateTopics(boolean)}).
         *
         * @param autoCreateTopics default {@code false}
         * @return this builder
         */
        public Builder autoCreateTopics(boolean autoCreateTopics) {
            this.autoCreateTopics = autoCreateTopics;
            return this;
        }

        /**
         * The partition count of automatically created topics.
         *
         * @param defaultPartitions 1 to {@value TopicRegistry#MAX_PARTITIONS}; default 1
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder defaultPartitions(int defaultPartitions) {
            TopicRegistry.checkDefaultPartitions(defaultPartitions);
            this.defaultPartitions = defaultPartitions;
            return this;
        }

        /**
         * Builds a cluster (not started).
         *
         * @return a new cluster; call {@link EmbeddedCluster#start()}
         */
        public EmbeddedCluster build() {
            return new EmbeddedCluster(this);
        }
    }
}
