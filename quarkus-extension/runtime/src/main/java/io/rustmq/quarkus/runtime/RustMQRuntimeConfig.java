package io.rustmq.quarkus.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Run-time configuration of the RustMQ client, {@code quarkus.rustmq.*}: one key per {@code ClientConfig} field,
 * named as the field in kebab case. {@code smallrye-rustmq} channels take these values as defaults.
 */
@ConfigMapping(prefix = "quarkus.rustmq")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface RustMQRuntimeConfig {

    /**
     * The bootstrap brokers, {@code host:port} ({@code [v6addr]:port} for IPv6), comma separated. When unset in dev
     * and test mode, Dev Services start an embedded broker and set this; in production the client's default
     * {@code localhost:9092} applies.
     */
    Optional<List<String>> brokers();

    /** The client id, used in consumer member ids and logs. */
    @WithDefault("rustmq-java-client")
    String clientId();

    /** The time allowed for a QUIC + TLS handshake. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** The time allowed for one request's response. */
    @WithDefault("30s")
    Duration requestTimeout();

    /** TLS settings; the broker's certificate is verified unless {@code insecure-skip-verify} is set. */
    Tls tls();

    /** The most QUIC connections the client keeps open across all brokers. */
    @WithDefault("10")
    int maxConnections();

    /** How often idle connections are probed. */
    @WithDefault("30s")
    Duration keepAliveInterval();

    /** The largest request frame sent, in bytes, type byte included (8192 for the shipped Rust broker). */
    @WithDefault("1048576")
    int maxRequestBytes();

    /** The largest response read, in bytes. */
    @WithDefault("67108864")
    int maxResponseBytes();

    /** The partition count assumed for topics that Metadata does not list. */
    @WithDefault("1")
    int defaultPartitions();

    /** Retry and reconnection backoff. */
    Retry retry();

    /** Tracing of sends and receives. */
    Tracing tracing();

    /** Tracing, {@code quarkus.rustmq.tracing.*}. */
    interface Tracing {
        /**
         * Whether the client and the {@code smallrye-rustmq} channels add W3C trace headers to sent messages and
         * record spans; with {@code quarkus-opentelemetry} they use the application's OpenTelemetry.
         */
        @WithDefault("true")
        boolean enabled();
    }

    /** TLS settings of the QUIC connection, {@code quarkus.rustmq.tls.*}. */
    interface Tls {
        /** PEM file of the CA (or self-signed certificate) to trust; the JDK trust store when unset. */
        Optional<Path> caCert();

        /** PEM client certificate for mutual TLS; needs {@code client-key}. */
        Optional<Path> clientCert();

        /** PEM private key (PKCS#8) of the client certificate. */
        Optional<Path> clientKey();

        /** The host name to verify and send as SNI instead of the broker's host. */
        Optional<String> serverName();

        /** Skips certificate verification; for development only. */
        @WithDefault("false")
        boolean insecureSkipVerify();

        /** The ALPN protocols offered, in order of preference. */
        @WithDefault("rustmq")
        List<String> alpn();
    }

    /** Retry and reconnection backoff, {@code quarkus.rustmq.retry.*}. */
    interface Retry {
        /** How many times a failed request is tried again (0 = never). */
        @WithDefault("3")
        int maxRetries();

        /** The delay before the first retry. */
        @WithDefault("100ms")
        Duration baseDelay();

        /** The cap on the delay between retries. */
        @WithDefault("10s")
        Duration maxDelay();

        /** The factor the delay grows by with each retry, at least 1.0. */
        @WithDefault("2.0")
        double multiplier();

        /** Whether delays are randomised to spread retries of many clients. */
        @WithDefault("true")
        boolean jitter();
    }
}
