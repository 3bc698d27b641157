package io.rustmq.broker;

import io.rustmq.broker.group.GroupCoordinator;
import io.rustmq.broker.network.QuicBrokerServer;
import io.rustmq.broker.network.ServerSettings;
import io.rustmq.broker.storage.LogDirectory;
import io.rustmq.broker.storage.PartitionLog;
import io.rustmq.broker.storage.RetentionPolicy;
import io.rustmq.broker.storage.TopicRegistry;
import io.rustmq.broker.tls.Certificates;
import io.rustmq.broker.tls.CertifiedKey;
import io.rustmq.broker.tls.Pem;
import io.rustmq.client.protocol.Frames;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A RustMQ broker in the JVM: speaks RustMQ's QUIC wire protocol (ALPN {@code rustmq}) and keeps topics, partition
 * logs, consumer groups and committed offsets in memory, bounded by retention (default 256 MiB per partition), and,
 * with a {@linkplain Builder#logDir(Path) log directory}, also on disk so that a restarted broker continues. For
 * tests, demos and development services.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).topic("orders", 3).build().start()) {
 *     String bootstrap = broker.bootstrap();        // "127.0.0.1:54321"
 *     Path trust = broker.certificatePem();         // trust this as a CA
 * }
 * }</pre>
 *
 * <p>The state (a {@link TopicRegistry} and a {@link GroupCoordinator}) is separate from the network server. A
 * broker cannot be restarted once closed. Thread-safe.
 */
public final class EmbeddedBroker implements AutoCloseable {
    /** The QUIC idle timeout. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** How often expired consumer-group members are evicted. */
    public static final Duration REAPER_INTERVAL = Duration.ofSeconds(1);

    private static final System.Logger LOG = System.getLogger(EmbeddedBroker.class.getName());

    private final String host;
    private final int requestedPort;
    private final String brokerId;
    private final boolean autoCreateTopics;
    private final int defaultPartitions;
    private final int maxRequestBytes;
    private final int advertisedPort;
    private final CertifiedKey configuredKey;
    private final Path configuredCertPem;
    private final List<X509Certificate> clientCas;
    private final TopicRegistry topics;
    private final GroupCoordinator groups;
    private final AtomicInteger responsesToDrop = new AtomicInteger();
    private final FaultInjection faults = new FaultInjection();
    private SequenceGapHold gapHold;
    private final ClusterView cluster;
    private final BrokerCounters counters;
    private final boolean runReaper;
    private final Duration statsInterval;
    private final LogDirectory logDirectory;

    private enum Phase { NEW, RUNNING, CLOSED }

    private Phase phase = Phase.NEW;
    private QuicBrokerServer server;
    private ScheduledExecutorService reaper;
    private CertifiedKey serverKey;
    private Path certificatePem;
    private boolean deletePemOnClose;

    private EmbeddedBroker(Builder b, CertifiedKey configuredKey, List<X509Certificate> clientCas) {
        this.host = b.host;
        this.requestedPort = b.port;
        this.brokerId = b.brokerId;
        this.autoCreateTopics = b.autoCreateTopics;
        this.defaultPartitions = b.defaultPartitions;
        this.maxRequestBytes = b.maxRequestBytes;
        this.advertisedPort = b.advertisedPort;
        this.configuredKey = configuredKey;
        this.configuredCertPem = b.certPem;
        this.clientCas = clientCas;
        this.topics = b.sharedTopics != null ? b.sharedTopics : new TopicRegistry(b.retention, b.topicPolicies());
        this.groups = b.sharedGroups != null ? b.sharedGroups
                : new GroupCoordinator(topics::partitionCount, () -> System.nanoTime() / 1_000_000L);
        this.cluster = b.cluster != null ? b.cluster : ClusterView.single();
        this.counters = b.counters != null ? b.counters : new BrokerCounters();
        this.runReaper = b.runReaper;
        this.statsInterval = b.statsInterval;
        this.logDirectory = b.sharedTopics == null && b.logDir != null ? openLogDirectory(b.logDir) : null;
        try {
            b.topics.forEach(topics::create);
        } catch (RuntimeException e) {
            if (logDirectory != null) {
                logDirectory.close();
            }
            throw e;
        }
    }

    private LogDirectory openLogDirectory(Path dir) {
        LogDirectory d = null;
        try {
            d = LogDirectory.open(dir);
            d.load(topics, groups);
            return d;
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            if (d != null) {
                d.close();
            }
            throw new IllegalArgumentException("logDir " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts configuring a broker. Defaults: host {@code 127.0.0.1}, port 9092, broker id {@code broker-0}, no
     * topics, no auto-creation, 1 default partition, a self-signed certificate, no client certificates, 1 MiB
     * request limit, retention 256 MiB per partition and no age limit, memory only, statistics logged at start only.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Generates the certificate if none was configured, binds the UDP port and starts serving.
     *
     * @return this broker, running
     * @throws IllegalStateException if the broker was already started or closed
     * @throws EmbeddedBrokerException if the port cannot be bound, the native QUIC library is unavailable or the
     *     TLS material is unusable
     */
    public synchronized EmbeddedBroker start() {
        if (phase != Phase.NEW) {
            throw new IllegalStateException("broker " + brokerId + " was already " + (phase == Phase.RUNNING
                    ? "started" : "closed") + "; build a new one");
        }
        try {
            if (configuredKey != null) {
                serverKey = configuredKey;
                certificatePem = configuredCertPem;
            } else {
                serverKey = Certificates.selfSignedServer(extraCertificateNames(host));
                certificatePem = Files.createTempFile("rustmq-broker-" + safe(brokerId) + "-", ".pem");
                certificatePem.toFile().deleteOnExit(); // also when the JVM ends without close()
                deletePemOnClose = true;
                serverKey.writeCertificatePem(certificatePem);
            }
            gapHold = new SequenceGapHold(brokerId);
            Dispatcher dispatcher = new Dispatcher(faults, gapHold);
            server = QuicBrokerServer.start(new ServerSettings(host, requestedPort, serverKey, clientCas,
                    maxRequestBytes, IDLE_TIMEOUT), dispatcher);
            int port = server.localAddress().getPort();
            dispatcher.delegate = new BrokerRequestHandler(
                    new BrokerRequestHandler.Identity(brokerId, advertisedHost(host), host,
                            advertisedPort > 0 ? advertisedPort : port),
                    topics, groups, autoCreateTopics, defaultPartitions, System::currentTimeMillis, responsesToDrop,
                    cluster, counters);
            if (runReaper || !statsInterval.isZero()) {
                reaper = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "rustmq-broker-reaper-" + brokerId);
                    t.setDaemon(true);
                    return t;
                });
            }
            if (runReaper) {
                reaper.scheduleAtFixedRate(this::reap, REAPER_INTERVAL.toMillis(), REAPER_INTERVAL.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            if (!statsInterval.isZero()) {
                reaper.scheduleAtFixedRate(this::logStats, statsInterval.toMillis(), statsInterval.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            phase = Phase.RUNNING;
            LOG.log(System.Logger.Level.INFO, "RustMQ embedded broker {0} listening on {1} (QUIC, ALPN {2}{3})",
                    brokerId, bootstrap(), ServerSettings.ALPN, clientCas.isEmpty() ? "" : ", client certificates"
                            + " required");
            logStats();
            return this;
        } catch (IOException | RuntimeException e) {
            phase = Phase.CLOSED;
            releaseResources();
            throw new EmbeddedBrokerException("cannot start embedded broker " + brokerId + " on " + host + ":"
                    + requestedPort + ": " + e.getMessage(), e);
        }
    }

    private void reap() {
        try {
            groups.evictExpired();
            topics.enforceRetention(System.currentTimeMillis());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "consumer-group and retention reaper failed", e);
        }
    }

    /** Logs the statistics line: what the partitions retain, the default retention and the log directory. */
    private void logStats() {
        LOG.log(System.Logger.Level.INFO, statsLine());
    }

    /**
     * The statistics line the broker logs at start and every stats interval.
     *
     * @return e.g. {@code "RustMQ embedded broker broker-0 retains 1048576 bytes (1.0 MiB) in 1024 records across 3
     *     partitions; retention 268435456 bytes per partition, no age limit; log dir none"}
     */
    public String statsLine() {
        TopicRegistry.Usage u = topics.usage();
        return "RustMQ embedded broker " + brokerId + " retains " + u.bytes() + " bytes (" + mib(u.bytes())
                + " MiB) in " + u.records() + " records across " + u.partitions() + " partitions; "
                + topics.defaultRetention() + "; log dir " + (logDirectory == null ? "none" : logDirectory.path());
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
    }

    /**
     * The UDP address the broker is bound to.
     *
     * @return the bound address, with the real port
     * @throws IllegalStateException if the broker is not running
     */
    public synchronized InetSocketAddress address() {
        requireRunning();
        return server.localAddress();
    }

    /**
     * The address clients should connect to, {@code host:port}: the configured host (a wildcard address mapped to
     * the loopback address; IPv6 literals in brackets) and the bound port.
     *
     * @return e.g. {@code "127.0.0.1:54321"}
     * @throws IllegalStateException if the broker is not running
     */
    public synchronized String bootstrap() {
        requireRunning();
        String h = advertisedHost(host);
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + server.localAddress().getPort();
    }

    /**
     * The PEM file of the server certificate in use. For the generated self-signed certificate, a temporary file
     * (deleted on {@link #close()}, or when the JVM exits if the broker was never closed) that clients can trust as a
     * CA; otherwise the configured file.
     *
     * @return the path
     * @throws IllegalStateException if the broker is not running
     */
    public synchronized Path certificatePem() {
        requireRunning();
        return certificatePem;
    }

    /**
     * The SHA-256 fingerprint of the server certificate in use.
     *
     * @return 32 upper-case hex pairs separated by colons
     * @throws IllegalStateException if the broker is not running
     */
    public synchronized String fingerprintSha256() {
        requireRunning();
        return serverKey.fingerprintSha256();
    }

    /**
     * This broker's id.
     *
     * @return the id given to the builder
     */
    public String brokerId() {
        return brokerId;
    }

    /**
     * Creates a topic (also before start). Creating an existing topic with the same partition count does nothing.
     *
     * @param name the topic name, not empty
     * @param partitions the partition count, 1 to {@value TopicRegistry#MAX_PARTITIONS}
     * @throws IllegalArgumentException if the name or count is invalid, or the topic exists with another count
     */
    public void createTopic(String name, int partitions) {
        topics.create(name, partitions);
    }

    /**
     * The topics and their partition counts.
     *
     * @return an immutable snapshot, sorted by name
     */
    public Map<String, Integer> topics() {
        return topics.partitionCounts();
    }

    /**
     * The log end offset (high watermark) of a partition: how many records it holds.
     *
     * @param topic the topic
     * @param partition the partition
     * @return the offset the next record will get; 0 for an unknown topic or partition
     */
    public long logEndOffset(String topic, int partition) {
        PartitionLog log = topics.partition(topic, partition);
        return log == null ? 0 : log.logEndOffset();
    }

    /**
     * The log start offset of a partition: the first offset still retained.
     *
     * @param topic the topic
     * @param partition the partition
     * @return the offset; 0 for an unknown topic or partition
     */
    public long logStartOffset(String topic, int partition) {
        PartitionLog log = topics.partition(topic, partition);
        return log == null ? 0 : log.logStartOffset();
    }

    /**
     * Test hook: drops a partition's records below {@code offset}, as retention would, so that tests can create a
     * log start above 0. An offset past the end drops everything (the log start becomes the log end).
     *
     * @param topic the topic
     * @param partition the partition
     * @param offset the new log start offset
     * @return the log start offset afterwards
     * @throws IllegalArgumentException if the topic or partition is unknown
     */
    public long truncateBefore(String topic, int partition, long offset) {
        PartitionLog log = topics.partition(topic, partition);
        if (log == null) {
            throw new IllegalArgumentException("no partition " + topic + ":" + Integer.toUnsignedString(partition));
        }
        return log.truncateBefore(offset);
    }

    /**
     * The bytes every partition retains together (see {@link PartitionLog#retainedBytes()}).
     *
     * @return bytes
     */
    public long retainedBytes() {
        return topics.usage().bytes();
    }

    /**
     * The log directory in use.
     *
     * @return its path, or {@code null} when the broker keeps everything in memory only
     */
    public Path logDir() {
        return logDirectory == null ? null : logDirectory.path();
    }

    /**
     * How often the statistics line is logged.
     *
     * @return the interval; zero when only logged at start
     */
    public Duration statsInterval() {
        return statsInterval;
    }

    /**
     * The topic registry behind this broker (topics and partition logs). Exposed for tests and for sharing state
     * between brokers.
     *
     * @return the registry
     */
    public TopicRegistry topicRegistry() {
        return topics;
    }

    /**
     * The consumer-group coordinator behind this broker.
     *
     * @return the coordinator
     */
    public GroupCoordinator groupCoordinator() {
        return groups;
    }

    /**
     * Counts of the requests this broker received (by type, and Produce/Fetch by partition), for tests that check
     * where a client sends its requests.
     *
     * @return the live counters (in a cluster, kept across restarts of this broker)
     */
    public BrokerCounters counters() {
        return counters;
    }

    /**
     * Test hook: the next {@code n} Produce requests are handled (their records stored) but get no response; their
     * stream is reset instead (RESET_STREAM and STOP_SENDING with application error code 0x52), so a client sees a
     * failed request and retries. Replaces any count still pending.
     *
     * @param n how many Produce responses to drop, 0 to stop dropping
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public void dropResponses(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        responsesToDrop.set(n);
    }

    /**
     * Test hooks that delay, reorder and drop Produce handling and answers, or stop answering altogether.
     *
     * @return this broker's fault injection (all off until set)
     */
    public FaultInjection faults() {
        return faults;
    }

    /**
     * Whether the broker is serving.
     *
     * @return {@code true} between {@link #start()} and {@link #close()}
     */
    public synchronized boolean isRunning() {
        return phase == Phase.RUNNING;
    }

    /**
     * Stops serving: closes client connections, releases the port, stops the reaper and deletes the generated
     * certificate file. Waits at most about 5 seconds. Idempotent; a closed broker cannot be restarted.
     */
    @Override
    public synchronized void close() {
        if (phase == Phase.CLOSED) {
            return;
        }
        boolean wasRunning = phase == Phase.RUNNING;
        phase = Phase.CLOSED;
        releaseResources();
        if (wasRunning) {
            LOG.log(System.Logger.Level.INFO, "RustMQ embedded broker {0} closed", brokerId);
        }
    }

    private void releaseResources() {
        faults.close();
        if (gapHold != null) {
            gapHold.close();
        }
        if (reaper != null) {
            reaper.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
        if (logDirectory != null) {
            logDirectory.close();
        }
        if (deletePemOnClose && certificatePem != null) {
            try {
                Files.deleteIfExists(certificatePem);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot delete " + certificatePem, e);
            }
        }
    }

    private void requireRunning() {
        if (phase != Phase.RUNNING) {
            throw new IllegalStateException("broker " + brokerId + " is not running (" + phase + ")");
        }
    }

    @Override
    public String toString() {
        return "EmbeddedBroker[" + brokerId + ", " + phase + (phase == Phase.RUNNING ? ", " + bootstrap() : "")
                + "]";
    }

    static String advertisedHost(String host) {
        String h = stripBrackets(host);
        if (h.equals("0.0.0.0")) {
            return "127.0.0.1";
        }
        if (h.equals("::") || h.equals("0:0:0:0:0:0:0:0")) {
            return "::1";
        }
        return h;
    }

    private static String stripBrackets(String h) {
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    private static List<String> extraCertificateNames(String host) {
        String h = stripBrackets(host);
        List<String> names = new ArrayList<>();
        if (!advertisedHost(h).equals(h)) {
            return names; // a wildcard: the loopback names are always included
        }
        names.add(h);
        return names;
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Routes requests to the handler once the port is known; before that, answers like a broker not yet ready. */
    private static final class Dispatcher implements io.rustmq.broker.network.RequestProcessor {
        private final FaultInjection faults;
        private final SequenceGapHold gapHold;
        volatile BrokerRequestHandler delegate;

        Dispatcher(FaultInjection faults, SequenceGapHold gapHold) {
            this.faults = faults;
            this.gapHold = gapHold;
        }

        @Override
        public java.util.concurrent.CompletableFuture<byte[]> processAsync(io.rustmq.client.protocol.Request request) {
            java.util.concurrent.CompletableFuture<byte[]> answer = faults.process(request, this::process);
            if (request.type() != io.rustmq.client.protocol.RequestType.PRODUCE) {
                return answer;
            }
            // a request above its producer's expected sequence waits briefly for the gap to fill (SequenceGapHold)
            return answer.thenCompose(frame -> gapHold.answer(frame, () -> process(request)));
        }

        @Override
        public byte[] process(io.rustmq.client.protocol.Request request) {
            BrokerRequestHandler d = delegate;
            if (d == null) {
                return Frames.encodeError("Error: Configuration error: Broker core not initialized");
            }
            return d.process(request);
        }
    }

    /**
     * Configures an {@link EmbeddedBroker}. Setters check their argument at once and throw
     * {@link IllegalArgumentException} naming the field; {@link #build()} reads the PEM files. Not thread-safe; can
     * build several brokers.
     */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 9092;
        private String brokerId = "broker-0";
        private final Map<String, Integer> topics = new LinkedHashMap<>();
        private boolean autoCreateTopics;
        private int defaultPartitions = 1;
        private Path certPem;
        private Path keyPem;
        private Path clientCaPem;
        private int maxRequestBytes = 1 << 20;
        private RetentionPolicy retention = RetentionPolicy.DEFAULT;
        /** Topic to its own {bytes, ms}; {@link #UNSET} where the broker-wide value applies. */
        private final Map<String, long[]> topicRetention = new HashMap<>();
        private static final long UNSET = Long.MIN_VALUE;
        private Path logDir;
        private Duration statsInterval = Duration.ZERO;
        private int advertisedPort;
        // Set by EmbeddedCluster: shared state, the cluster's view, counters kept across restarts, one reaper.
        private TopicRegistry sharedTopics;
        private GroupCoordinator sharedGroups;
        private ClusterView cluster;
        private BrokerCounters counters;
        private boolean runReaper = true;

        private Builder() {
        }

        /** Brokers built from now on share these topics and groups instead of having their own. */
        Builder sharedState(TopicRegistry topics, GroupCoordinator groups) {
            this.sharedTopics = topics;
            this.sharedGroups = groups;
            return this;
        }

        /** Brokers built from now on answer Metadata, leadership and FindCoordinator from this view. */
        Builder cluster(ClusterView view) {
            this.cluster = view;
            return this;
        }

        /** The next broker built counts its requests here. */
        Builder counters(BrokerCounters counters) {
            this.counters = counters;
            return this;
        }

        /** Whether brokers built from now on evict expired group members themselves (a cluster runs one reaper). */
        Builder runReaper(boolean runReaper) {
            this.runReaper = runReaper;
            return this;
        }

        /**
         * The host name or IP literal to bind; {@code 0.0.0.0} binds every IPv4 interface (and is advertised as
         * {@code 127.0.0.1}).
         *
         * @param host the host, default {@code 127.0.0.1}
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
         * The UDP port to bind.
         *
         * @param port 0 to 65535, 0 for any free port; default 9092
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * The broker id reported in Metadata and FindCoordinator and used as partition leader.
         *
         * @param brokerId not blank; default {@code broker-0}
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder brokerId(String brokerId) {
            if (brokerId == null || brokerId.isBlank()) {
                throw new IllegalArgumentException("brokerId must not be blank");
            }
            this.brokerId = brokerId;
            return this;
        }

        /**
         * A topic to create at build time. Repeatable; a repeated name replaces the count.
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
         * Whether a Metadata, Produce or JoinGroup naming an unknown topic creates it with {@link #defaultPartitions}
         * partitions. Off: a Produce to an unknown topic gets {@code Error: Partition not found: <topic>:<p>}.
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
         * Serve this certificate instead of a generated self-signed one.
         *
         * @param certPem PEM certificate chain, leaf first
         * @param keyPem PEM private key of the leaf (PKCS#8, or OpenSSL EC/RSA form; unencrypted)
         * @return this builder
         * @throws IllegalArgumentException if a path is null
         */
        public Builder certificate(Path certPem, Path keyPem) {
            if (certPem == null) {
                throw new IllegalArgumentException("certificate certPem must not be null");
            }
            if (keyPem == null) {
                throw new IllegalArgumentException("certificate keyPem must not be null");
            }
            this.certPem = certPem;
            this.keyPem = keyPem;
            return this;
        }

        /**
         * Require client certificates signed by these CAs (mutual TLS): clients without a valid certificate fail
         * the handshake.
         *
         * @param caPem PEM file with one or more CA certificates
         * @return this builder
         * @throws IllegalArgumentException if null
         */
        public Builder clientCa(Path caPem) {
            if (caPem == null) {
                throw new IllegalArgumentException("clientCa must not be null");
            }
            this.clientCaPem = caPem;
            return this;
        }

        /**
         * The largest request frame accepted, type byte included; bigger frames get a 0xFF "too large" error.
         *
         * @param maxRequestBytes at least 9 (the smallest valid frame); default 1 MiB
         * @return this builder
         * @throws IllegalArgumentException if below 9
         */
        public Builder maxRequestBytes(int maxRequestBytes) {
            if (maxRequestBytes < 9) {
                throw new IllegalArgumentException("maxRequestBytes must be at least 9, got " + maxRequestBytes);
            }
            this.maxRequestBytes = maxRequestBytes;
            return this;
        }

        /**
         * The most bytes each partition retains (records counted by their encoded size); older records are dropped
         * from the front past it. Topics with their own limit ({@link #topicRetentionBytes}) keep theirs.
         *
         * @param retentionBytes positive bytes, or -1 for unlimited; default 256 MiB
         * @return this builder
         * @throws IllegalArgumentException if neither positive nor -1
         */
        public Builder retentionBytes(long retentionBytes) {
            this.retention = retention.withMaxBytes(retentionBytes);
            return this;
        }

        /**
         * The age (by the broker's timestamp) after which records are dropped, checked at each append and every
         * second.
         *
         * @param retentionMs positive milliseconds, or -1 for no age limit (the default)
         * @return this builder
         * @throws IllegalArgumentException if neither positive nor -1
         */
        public Builder retentionMs(long retentionMs) {
            this.retention = retention.withMaxAgeMs(retentionMs);
            return this;
        }

        /**
         * One topic's own size limit, overriding {@link #retentionBytes} (also for a topic created later).
         *
         * @param topic the topic name, not empty
         * @param retentionBytes positive bytes, or -1 for unlimited
         * @return this builder
         * @throws IllegalArgumentException if the name is empty or the limit neither positive nor -1
         */
        public Builder topicRetentionBytes(String topic, long retentionBytes) {
            RetentionPolicy.checkBytes("topicRetentionBytes", retentionBytes);
            topicLimits(topic)[0] = retentionBytes;
            return this;
        }

        /**
         * One topic's own age limit, overriding {@link #retentionMs} (also for a topic created later).
         *
         * @param topic the topic name, not empty
         * @param retentionMs positive milliseconds, or -1 for no age limit
         * @return this builder
         * @throws IllegalArgumentException if the name is empty or the limit neither positive nor -1
         */
        public Builder topicRetentionMs(String topic, long retentionMs) {
            RetentionPolicy.checkMillis("topicRetentionMs", retentionMs);
            topicLimits(topic)[1] = retentionMs;
            return this;
        }

        private long[] topicLimits(String topic) {
            if (topic == null || topic.isEmpty()) {
                throw new IllegalArgumentException("topic name must not be empty");
            }
            return topicRetention.computeIfAbsent(topic, k -> new long[] {UNSET, UNSET});
        }

        /** Each topic's own policy; a limit it did not set follows the broker-wide one. */
        Map<String, RetentionPolicy> topicPolicies() {
            Map<String, RetentionPolicy> out = new HashMap<>();
            topicRetention.forEach((t, l) -> out.put(t, new RetentionPolicy(l[0] == UNSET ? retention.maxBytes()
                    : l[0], l[1] == UNSET ? retention.maxAgeMs() : l[1])));
            return out;
        }

        /**
         * The broker-wide retention configured so far.
         *
         * @return the policy
         */
        public RetentionPolicy retention() {
            return retention;
        }

        /**
         * Keep topics, records, committed offsets and idempotence state in this directory too, and read them back
         * at start, so that a broker restarted on it continues where it stopped. Created if missing; one broker at a
         * time. Without it everything is in memory only.
         *
         * @param logDir the directory, or {@code null} for memory only (the default)
         * @return this builder
         */
        public Builder logDir(Path logDir) {
            this.logDir = logDir;
            return this;
        }

        /**
         * How often the broker logs what it retains (it always logs it once at start).
         *
         * @param statsInterval positive, or zero for only at start (the default)
         * @return this builder
         * @throws IllegalArgumentException if null or negative
         */
        public Builder statsInterval(Duration statsInterval) {
            if (statsInterval == null || statsInterval.isNegative()) {
                throw new IllegalArgumentException("statsInterval must be zero or positive, got " + statsInterval);
            }
            if (!statsInterval.isZero() && statsInterval.toMillis() < 1) {
                throw new IllegalArgumentException("statsInterval must be at least 1 ms, got " + statsInterval);
            }
            this.statsInterval = statsInterval;
            return this;
        }

        /**
         * The port this broker names in Metadata and FindCoordinator answers instead of the one it is bound to, so
         * that clients keep talking through something in between (a fault-injection proxy, a port forward).
         *
         * @param port 1 to 65535; 0 (the default) advertises the bound port
         * @return this builder
         * @throws IllegalArgumentException if outside 0 to 65535
         */
        public Builder advertisedPort(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("advertisedPort must be between 0 and 65535, got " + port);
            }
            this.advertisedPort = port;
            return this;
        }

        /**
         * Builds a broker (not started): reads the PEM files and creates the configured topics.
         *
         * @return a new broker; call {@link EmbeddedBroker#start()}
         * @throws IllegalArgumentException naming the field if a PEM file is missing, unreadable or holds no
         *     certificate or key, or the log directory cannot be read, written or locked
         */
        public EmbeddedBroker build() {
            CertifiedKey key = null;
            if (certPem != null) {
                List<X509Certificate> chain = readCertificates("certificate certPem", certPem);
                try {
                    key = new CertifiedKey(Pem.readPrivateKey(keyPem), chain);
                } catch (IOException e) {
                    throw new IllegalArgumentException("certificate keyPem " + keyPem + ": " + e.getMessage(), e);
                }
            }
            List<X509Certificate> cas = clientCaPem == null ? List.of()
                    : readCertificates("clientCa", clientCaPem);
            return new EmbeddedBroker(this, key, cas);
        }

        private static List<X509Certificate> readCertificates(String field, Path file) {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException(field + " " + file + " is not a readable file");
            }
            try {
                return Pem.readCertificates(file);
            } catch (IOException e) {
                throw new IllegalArgumentException(field + " " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
