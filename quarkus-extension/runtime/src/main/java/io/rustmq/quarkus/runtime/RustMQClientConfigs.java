package io.rustmq.quarkus.runtime;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.ConfigurationException;
import io.rustmq.client.RetryConfig;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.tracing.MessageTracer;

/** Turns {@code quarkus.rustmq.*} into a validated {@link ClientConfig}. */
public final class RustMQClientConfigs {

    /** The prefix of every run-time key of this extension. */
    public static final String PREFIX = "quarkus.rustmq.";

    private static final Map<String, String> KEYS = Map.ofEntries(
            Map.entry("brokers", "brokers"),
            Map.entry("clientId", "client-id"),
            Map.entry("connectTimeout", "connect-timeout"),
            Map.entry("requestTimeout", "request-timeout"),
            Map.entry("maxConnections", "max-connections"),
            Map.entry("keepAliveInterval", "keep-alive-interval"),
            Map.entry("maxRequestBytes", "max-request-bytes"),
            Map.entry("maxResponseBytes", "max-response-bytes"),
            Map.entry("defaultPartitions", "default-partitions"),
            Map.entry("tls.caCert", "tls.ca-cert"),
            Map.entry("tls.clientCert", "tls.client-cert"),
            Map.entry("tls.clientKey", "tls.client-key"),
            Map.entry("tls.serverName", "tls.server-name"),
            Map.entry("tls.alpn", "tls.alpn"),
            Map.entry("retry.maxRetries", "retry.max-retries"),
            Map.entry("retry.baseDelay", "retry.base-delay"),
            Map.entry("retry.maxDelay", "retry.max-delay"),
            Map.entry("retry.multiplier", "retry.multiplier"));

    private RustMQClientConfigs() {
    }

    /**
     * Builds the client configuration; unset brokers fall back to the client's default {@code localhost:9092}.
     *
     * @param config the mapped {@code quarkus.rustmq.*} values
     * @return the validated configuration
     * @throws io.quarkus.runtime.configuration.ConfigurationException naming the {@code quarkus.rustmq.*} key and the
     *     bad value
     */
    public static ClientConfig toClientConfig(RustMQRuntimeConfig config) {
        return toClientConfig(config, null);
    }

    /**
     * Builds the client configuration with a tracer; {@code quarkus.rustmq.tracing.enabled} turns tracing on or off.
     *
     * @param config the mapped {@code quarkus.rustmq.*} values
     * @param tracer the tracer to use, or {@code null} for the client's default (OpenTelemetry's global instance)
     * @return the validated configuration
     * @throws io.quarkus.runtime.configuration.ConfigurationException naming the {@code quarkus.rustmq.*} key and the
     *     bad value
     */
    public static ClientConfig toClientConfig(RustMQRuntimeConfig config, MessageTracer tracer) {
        try {
            ClientConfig.Builder b = ClientConfig.builder()
                    .clientId(config.clientId())
                    .connectTimeout(config.connectTimeout())
                    .requestTimeout(config.requestTimeout())
                    .maxConnections(config.maxConnections())
                    .keepAliveInterval(config.keepAliveInterval())
                    .maxRequestBytes(config.maxRequestBytes())
                    .maxResponseBytes(config.maxResponseBytes())
                    .defaultPartitions(config.defaultPartitions())
                    .tls(tls(config.tls()))
                    .retry(RetryConfig.builder()
                            .maxRetries(config.retry().maxRetries())
                            .baseDelay(config.retry().baseDelay())
                            .maxDelay(config.retry().maxDelay())
                            .multiplier(config.retry().multiplier())
                            .jitter(config.retry().jitter())
                            .build())
                    .tracing(config.tracing().enabled())
                    .tracer(tracer);
            config.brokers().ifPresent(b::brokers);
            return b.build();
        } catch (ConfigurationException e) {
            String key = quarkusKey(e.field());
            String message = e.getMessage().replaceFirst(Pattern.quote(e.field()), Matcher.quoteReplacement(key));
            throw new io.quarkus.runtime.configuration.ConfigurationException(message, e, Set.of(key));
        }
    }

    /**
     * The {@code quarkus.rustmq.*} key of a {@code ClientConfig} field name.
     *
     * @param field a field name as {@link ConfigurationException#field()} reports it, e.g. {@code tls.caCert}
     * @return the full key, e.g. {@code quarkus.rustmq.tls.ca-cert}
     */
    public static String quarkusKey(String field) {
        return PREFIX + KEYS.getOrDefault(field, field);
    }

    private static TlsConfig tls(RustMQRuntimeConfig.Tls tls) {
        TlsConfig.Builder b = TlsConfig.builder()
                .insecureSkipVerify(tls.insecureSkipVerify())
                .alpn(tls.alpn());
        tls.caCert().ifPresent(b::caCert);
        tls.clientCert().ifPresent(b::clientCert);
        tls.clientKey().ifPresent(b::clientKey);
        tls.serverName().ifPresent(b::serverName);
        return b.build();
    }
}
