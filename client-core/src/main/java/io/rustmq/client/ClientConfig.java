package io.rustmq.client;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * Everything a {@link RustMQClient} needs to reach brokers: addresses, timeouts, TLS, limits and retry policy.
 * Immutable; {@link Builder#build()} validates every field and names the field and value it rejects.
 *
 * <pre>{@code
 * ClientConfig config = ClientConfig.builder()
 *         .brokers("localhost:9092")
 *         .tls(TlsConfig.builder().caCert(Path.of("ca.pem")).build())
 *         .build();
 * }</pre>
 */
public final class ClientConfig {
    /** Default {@code maxRequestBytes}: 1 MiB, counting the whole frame including the type byte. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;
    /** Default {@code maxResponseBytes}: 64 MiB. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
    /** The shipped broker's single-read limit (spec §3.4): set {@code maxRequestBytes} to this to stay within it. */
    public static final int SHIPPED_BROKER_MAX_REQUEST_BYTES = 8192;

    private final List<String> brokers;
    private final List<InetSocketAddress> brokerAddresses;
    private final String clientId;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final TlsConfig tls;
    private final int maxConnections;
    private final Duration keepAliveInterval;
    private final int maxRequestBytes;
    private final int maxResponseBytes;
    private final int defaultPartitions;
    private final RetryConfig retry;
    private final ThreadFactory threadFactory;
    private final Duration closeTimeout;
    private final boolean tracing;
    private final io.rustmq.client.tracing.MessageTracer tracer;

    private ClientConfig(Builder b) {
        if (b.brokers == null || b.brokers.isEmpty()) {
            throw new ConfigurationException("brokers", b.brokers, "must list at least one host:port");
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String broker : b.brokers) {
            addresses.add(parseAddress(broker));
        }
        this.brokers = List.copyOf(b.brokers);
        this.brokerAddresses = List.copyOf(addresses);
        this.clientId = Validation.notBlank("clientId", b.clientId);
        this.connectTimeout = Validation.positive("connectTimeout", b.connectTimeout);
        this.requestTimeout = Validation.positive("requestTimeout", b.requestTimeout);
        if (b.tls == null) {
            throw new ConfigurationException("tls", null, "must not be null (use TlsConfig.defaults())");
        }
        this.tls = b.tls;
        this.maxConnections = Validation.atLeast("maxConnections", b.maxConnections, 1);
        this.keepAliveInterval = Validation.positive("keepAliveInterval", b.keepAliveInterval);
        this.maxRequestBytes = Validation.atLeast("maxRequestBytes", b.maxRequestBytes, 64);
        this.maxResponseBytes = Validation.atLeast("maxResponseBytes", b.maxResponseBytes, 64);
        this.defaultPartitions = Validation.atLeast("defaultPartitions", b.defaultPartitions, 1);
        if (b.retry == null) {
            throw new ConfigurationException("retry", null, "must not be null (use RetryConfig.defaults())");
        }
        this.retry = b.retry;
        this.threadFactory = b.threadFactory;
        this.closeTimeout = Validation.nonNegative("closeTimeout", b.closeTimeout);
        this.tracing = b.tracing;
        this.tracer = b.tracer;
    }

    static InetSocketAddress parseAddress(String broker) {
        if (broker == null || broker.isBlank()) {
            throw new ConfigurationException("brokers", broker, "an entry is blank; expected host:port");
        }
        String s = broker.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new ConfigurationException("brokers", broker, "expected host:port (IPv6 as [addr]:port)");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new ConfigurationException("brokers", broker, "an IPv6 address must be in brackets: [addr]:port");
        }
        if (host.isEmpty()) {
            throw new ConfigurationException("brokers", broker, "host is empty");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigurationException("brokers", broker, "port is not a number", e);
        }
        if (port < 1 || port > 65535) {
            throw new ConfigurationException("brokers", broker, "port must be between 1 and 65535");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /**
     * A configuration with every default: broker {@code localhost:9092}, TLS verified against the JDK trust store.
     *
     * @return the default configuration
     */
    public static ClientConfig defaults() {
        return builder().build();
    }

    /**
     * A builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this configuration's values, to derive a changed copy.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.brokers = brokers;
        b.clientId = clientId;
        b.connectTimeout = connectTimeout;
        b.requestTimeout = requestTimeout;
        b.tls = tls;
        b.maxConnections = maxConnections;
        b.keepAliveInterval = keepAliveInterval;
        b.maxRequestBytes = maxRequestBytes;
        b.maxResponseBytes = maxResponseBytes;
        b.defaultPartitions = defaultPartitions;
        b.retry = retry;
        b.threadFactory = threadFactory;
        b.closeTimeout = closeTimeout;
        b.tracing = tracing;
        b.tracer = tracer;
        return b;
    }

    /**
     * The bootstrap brokers as given.
     *
     * @return {@code host:port} strings
     */
    public List<String> brokers() {
        return brokers;
    }

    /**
     * The bootstrap brokers, parsed (unresolved: names are resolved when connecting).
     *
     * @return addresses in configuration order
     */
    public List<InetSocketAddress> brokerAddresses() {
        return brokerAddresses;
    }

    /**
     * The client id, used in member ids and logs.
     *
     * @return the id
     */
    public String clientId() {
        return clientId;
    }

    /**
     * The time allowed for a QUIC + TLS handshake.
     *
     * @return the timeout (default 10 s)
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * The time allowed for one request's response.
     *
     * @return the timeout (default 30 s)
     */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * TLS settings.
     *
     * @return the TLS configuration
     */
    public TlsConfig tls() {
        return tls;
    }

    /**
     * The most QUIC connections the client keeps open across all brokers.
     *
     * @return the limit (default 10)
     */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * How often idle connections are probed (QUIC PING and health checks).
     *
     * @return the interval (default 30 s)
     */
    public Duration keepAliveInterval() {
        return keepAliveInterval;
    }

    /**
     * The largest request frame the client sends, type byte included; larger ones are refused before sending.
     *
     * @return bytes (default 1 MiB; {@link #SHIPPED_BROKER_MAX_REQUEST_BYTES} for the shipped broker)
     */
    public int maxRequestBytes() {
        return maxRequestBytes;
    }

    /**
     * The largest response the client reads; a larger one fails with a {@link ProtocolException}.
     *
     * @return bytes (default 64 MiB)
     */
    public int maxResponseBytes() {
        return maxResponseBytes;
    }

    /**
     * The partition count assumed for topics that Metadata does not list (the shipped broker lists none).
     *
     * @return at least 1 (default 1)
     */
    public int defaultPartitions() {
        return defaultPartitions;
    }

    /**
     * Retry and reconnection backoff.
     *
     * @return the retry configuration
     */
    public RetryConfig retry() {
        return retry;
    }

    /**
     * The factory of every thread the client, its connections, producers, consumers and streams create, if one was
     * set; when empty they create named daemon threads ({@code rustmq-*}) themselves.
     *
     * @return the configured factory, or empty for the client's own named daemon threads
     */
    public Optional<ThreadFactory> threadFactory() {
        return Optional.ofNullable(threadFactory);
    }

    /**
     * The time {@link RustMQClient#close()} gives its streams to finish in-flight work and its producers to deliver
     * what they buffer; what is still undelivered then fails.
     *
     * @return the timeout (default 30 s; zero fails pending sends at once)
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * Whether producers inject trace context into message headers and record spans, and consumers and streams
     * record spans (issue 16). With tracing on and no {@link #tracer()}, OpenTelemetry's global instance is used
     * when {@code opentelemetry-api} is on the class path; without it nothing is traced and no header is added.
     *
     * @return {@code true} (the default) if tracing is on
     */
    public boolean tracing() {
        return tracing;
    }

    /**
     * The tracer set with {@link Builder#tracer}, used when {@link #tracing()} is on.
     *
     * @return the tracer, or empty for the default (OpenTelemetry's global instance, when present)
     */
    public Optional<io.rustmq.client.tracing.MessageTracer> tracer() {
        return Optional.ofNullable(tracer);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientConfig c && brokers.equals(c.brokers) && clientId.equals(c.clientId)
                && connectTimeout.equals(c.connectTimeout) && requestTimeout.equals(c.requestTimeout)
                && tls.equals(c.tls) && maxConnections == c.maxConnections
                && keepAliveInterval.equals(c.keepAliveInterval) && maxRequestBytes == c.maxRequestBytes
                && maxResponseBytes == c.maxResponseBytes && defaultPartitions == c.defaultPartitions
                && retry.equals(c.retry) && Objects.equals(threadFactory, c.threadFactory)
                && closeTimeout.equals(c.closeTimeout) && tracing == c.tracing && Objects.equals(tracer, c.tracer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(brokers, clientId, connectTimeout, requestTimeout, tls, maxConnections,
                keepAliveInterval, maxRequestBytes, maxResponseBytes, defaultPartitions, retry, threadFactory, closeTimeout, tracing, tracer);
    }

    @Override
    public String toString() {
        return "ClientConfig{brokers=" + brokers + ", clientId=" + clientId + ", connectTimeout=" + connectTimeout
                + ", requestTimeout=" + requestTimeout + ", tls=" + tls + ", maxConnections=" + maxConnections
                + ", keepAliveInterval=" + keepAliveInterval + ", maxRequestBytes=" + maxRequestBytes
                + ", maxResponseBytes=" + maxResponseBytes + ", defaultPartitions=" + defaultPartitions
                + ", retry=" + retry + ", closeTimeout=" + closeTimeout + (threadFactory == null ? "" : ", threadFactory=" + threadFactory)
                + ", tracing=" + tracing + (tracer == null ? "" : ", tracer=" + tracer) + "}";
    }

    /** Builds a {@link ClientConfig}; {@link #build()} validates every field. */
    public static final class Builder {
        private List<String> brokers = List.of("localhost:9092");
        private String clientId = "rustmq-java-client";
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private TlsConfig tls = TlsConfig.defaults();
        private int maxConnections = 10;
        private Duration keepAliveInterval = Duration.ofSeconds(30);
        private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
        private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private int defaultPartitions = 1;
        private RetryConfig retry = RetryConfig.defaults();
        private ThreadFactory threadFactory;
        private Duration closeTimeout = Duration.ofSeconds(30);
        private boolean tracing = true;
        private io.rustmq.client.tracing.MessageTracer tracer;

        private Builder() {
        }

        /**
         * Sets the bootstrap brokers.
         *
         * @param brokers one or more {@code host:port} ({@code [v6addr]:port} for IPv6); default {@code localhost:9092}
         * @return this builder
         */
        public Builder brokers(String... brokers) {
            this.brokers = brokers == null ? null : Arrays.asList(brokers);
            return this;
        }

        /**
         * Sets the bootstrap brokers.
         *
         * @param brokers one or more {@code host:port}
         * @return this builder
         */
        public Builder brokers(List<String> brokers) {
            this.brokers = brokers;
            return this;
        }

        /**
         * Sets the client id.
         *
         * @param clientId a non-blank name (default {@code rustmq-java-client})
         * @return this builder
         */
        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        /**
         * Sets the handshake timeout.
         *
         * @param connectTimeout a positive duration (default 10 s)
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * Sets the per-request timeout.
         *
         * @param requestTimeout a positive duration (default 30 s)
         * @return this builder
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /**
         * Sets TLS.
         *
         * @param tls the TLS configuration (default {@link TlsConfig#defaults()})
         * @return this builder
         */
        public Builder tls(TlsConfig tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Sets the connection limit.
         *
         * @param maxConnections at least 1 (default 10)
         * @return this builder
         */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * Sets the keep-alive and health-check interval.
         *
         * @param keepAliveInterval a positive duration (default 30 s)
         * @return this builder
         */
        public Builder keepAliveInterval(Duration keepAliveInterval) {
            this.keepAliveInterval = keepAliveInterval;
            return this;
        }

        /**
         * Sets the largest request frame sent.
         *
         * @param maxRequestBytes at least 64 (default 1 MiB)
         * @return this builder
         */
        public Builder maxRequestBytes(int maxRequestBytes) {
            this.maxRequestBytes = maxRequestBytes;
            return this;
        }

        /**
         * Sets the largest response read.
         *
         * @param maxResponseBytes at least 64 (default 64 MiB)
         * @return this builder
         */
        public Builder maxResponseBytes(int maxResponseBytes) {
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        /**
         * Sets the partition count assumed for topics that Metadata does not list.
         *
         * @param defaultPartitions at least 1 (default 1)
         * @return this builder
         */
        public Builder defaultPartitions(int defaultPartitions) {
            this.defaultPartitions = defaultPartitions;
            return this;
        }

        /**
         * Sets retry and reconnection backoff.
         *
         * @param retry the retry configuration (default {@link RetryConfig#defaults()})
         * @return this builder
         */
        public Builder retry(RetryConfig retry) {
            this.retry = retry;
            return this;
        }

        /**
         * Sets the factory of every thread the client creates: network event loops, callback and timer threads, the
         * connection pool's scheduler, consumer members, stream dispatchers and workers, retry timers. Give the
         * container's managed thread factory here (Jakarta EE, Quarkus) so that no thread escapes it. Threads made
         * by a given factory keep the names and daemon flag the factory gives them; the client never runs anything
         * on {@code ForkJoinPool.commonPool()}.
         *
         * @param threadFactory the factory, or {@code null} for the default: daemon threads named {@code rustmq-*}
         * @return this builder
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = threadFactory;
            return this;
        }

        /**
         * Sets how long {@link RustMQClient#close()} waits for streams to finish in-flight work and for producers to
         * deliver what they buffer.
         *
         * @param closeTimeout zero or more (default 30 s)
         * @return this builder
         */
        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
            return this;
        }

        /**
         * Turns tracing on or off: off, producers add no trace header and nothing records spans.
         *
         * @param tracing {@code true} (the default) to trace when a tracer is available
         * @return this builder
         */
        public Builder tracing(boolean tracing) {
            this.tracing = tracing;
            return this;
        }

        /**
         * Sets the tracer, for example {@code OpenTelemetryTracer.create(openTelemetry)} for an application's own
         * OpenTelemetry instance; used when {@link #tracing(boolean)} is on.
         *
         * @param tracer the tracer, or {@code null} for the default (OpenTelemetry's global instance, when present)
         * @return this builder
         */
        public Builder tracer(io.rustmq.client.tracing.MessageTracer tracer) {
            this.tracer = tracer;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the configuration
         * @throws ConfigurationException naming the first invalid field and its value
         */
        public ClientConfig build() {
            return new ClientConfig(this);
        }
    }
}
