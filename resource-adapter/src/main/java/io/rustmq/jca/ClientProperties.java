package io.rustmq.jca;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.ConfigurationException;
import io.rustmq.client.RetryConfig;
import io.rustmq.client.TlsConfig;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The client configuration properties shared by the resource adapter, the managed connection factory and the
 * activation spec, named as the {@link ClientConfig} fields (DESIGN §5; TLS and retry fields prefixed {@code tls} and
 * {@code retry}). Durations are in milliseconds. An unset ({@code null}) property falls back to the resource
 * adapter's value, then to the client's default.
 */
public abstract class ClientProperties implements Serializable {
    private static final long serialVersionUID = 1L;

    private String brokers;
    private String clientId;
    private Long connectTimeout;
    private Long requestTimeout;
    private Integer maxConnections;
    private Long keepAliveInterval;
    private Integer maxRequestBytes;
    private Integer maxResponseBytes;
    private Integer defaultPartitions;
    private String tlsCaCert;
    private String tlsClientCert;
    private String tlsClientKey;
    private String tlsServerName;
    private Boolean tlsInsecureSkipVerify;
    private Integer maxRetries;
    private Long retryBaseDelay;
    private Long retryMaxDelay;

    /**
     * The bootstrap brokers.
     *
     * @return comma-separated {@code host:port} list, or null if unset
     */
    public String getBrokers() {
        return brokers;
    }

    /**
     * Sets the bootstrap brokers.
     *
     * @param brokers comma-separated {@code host:port} list
     */
    public void setBrokers(String brokers) {
        this.brokers = brokers;
    }

    /**
     * The client id sent to brokers.
     *
     * @return the id, or null if unset
     */
    public String getClientId() {
        return clientId;
    }

    /**
     * Sets the client id.
     *
     * @param clientId the id
     */
    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    /**
     * The connect timeout.
     *
     * @return milliseconds, or null if unset
     */
    public Long getConnectTimeout() {
        return connectTimeout;
    }

    /**
     * Sets the connect timeout.
     *
     * @param connectTimeout milliseconds
     */
    public void setConnectTimeout(Long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /**
     * The request timeout.
     *
     * @return milliseconds, or null if unset
     */
    public Long getRequestTimeout() {
        return requestTimeout;
    }

    /**
     * Sets the request timeout.
     *
     * @param requestTimeout milliseconds
     */
    public void setRequestTimeout(Long requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    /**
     * The most connections per broker.
     *
     * @return the count, or null if unset
     */
    public Integer getMaxConnections() {
        return maxConnections;
    }

    /**
     * Sets the most connections per broker.
     *
     * @param maxConnections the count
     */
    public void setMaxConnections(Integer maxConnections) {
        this.maxConnections = maxConnections;
    }

    /**
     * The background health-check interval.
     *
     * @return milliseconds, or null if unset
     */
    public Long getKeepAliveInterval() {
        return keepAliveInterval;
    }

    /**
     * Sets the background health-check interval.
     *
     * @param keepAliveInterval milliseconds
     */
    public void setKeepAliveInterval(Long keepAliveInterval) {
        this.keepAliveInterval = keepAliveInterval;
    }

    /**
     * The largest request frame the client sends.
     *
     * @return bytes, or null if unset
     */
    public Integer getMaxRequestBytes() {
        return maxRequestBytes;
    }

    /**
     * Sets the largest request frame.
     *
     * @param maxRequestBytes bytes
     */
    public void setMaxRequestBytes(Integer maxRequestBytes) {
        this.maxRequestBytes = maxRequestBytes;
    }

    /**
     * The largest response the client reads.
     *
     * @return bytes, or null if unset
     */
    public Integer getMaxResponseBytes() {
        return maxResponseBytes;
    }

    /**
     * Sets the largest response.
     *
     * @param maxResponseBytes bytes
     */
    public void setMaxResponseBytes(Integer maxResponseBytes) {
        this.maxResponseBytes = maxResponseBytes;
    }

    /**
     * The partition count assumed for topics the brokers do not list.
     *
     * @return the count, or null if unset
     */
    public Integer getDefaultPartitions() {
        return defaultPartitions;
    }

    /**
     * Sets the partition count assumed for unlisted topics.
     *
     * @param defaultPartitions the count
     */
    public void setDefaultPartitions(Integer defaultPartitions) {
        this.defaultPartitions = defaultPartitions;
    }

    /**
     * The PEM file of the CA that signs the brokers' certificates.
     *
     * @return the path, or null if unset (the JDK trust store is used)
     */
    public String getTlsCaCert() {
        return tlsCaCert;
    }

    /**
     * Sets the CA PEM file.
     *
     * @param tlsCaCert the path
     */
    public void setTlsCaCert(String tlsCaCert) {
        this.tlsCaCert = tlsCaCert;
    }

    /**
     * The client certificate PEM file for mutual TLS.
     *
     * @return the path, or null if unset
     */
    public String getTlsClientCert() {
        return tlsClientCert;
    }

    /**
     * Sets the client certificate PEM file.
     *
     * @param tlsClientCert the path
     */
    public void setTlsClientCert(String tlsClientCert) {
        this.tlsClientCert = tlsClientCert;
    }

    /**
     * The client private key PEM file for mutual TLS.
     *
     * @return the path, or null if unset
     */
    public String getTlsClientKey() {
        return tlsClientKey;
    }

    /**
     * Sets the client private key PEM file.
     *
     * @param tlsClientKey the path
     */
    public void setTlsClientKey(String tlsClientKey) {
        this.tlsClientKey = tlsClientKey;
    }

    /**
     * The host name the brokers' certificates must carry.
     *
     * @return the name, or null if unset (the broker's host is checked)
     */
    public String getTlsServerName() {
        return tlsServerName;
    }

    /**
     * Sets the expected certificate host name.
     *
     * @param tlsServerName the name
     */
    public void setTlsServerName(String tlsServerName) {
        this.tlsServerName = tlsServerName;
    }

    /**
     * Whether broker certificates go unchecked (development only).
     *
     * @return the flag, or null if unset
     */
    public Boolean getTlsInsecureSkipVerify() {
        return tlsInsecureSkipVerify;
    }

    /**
     * Sets whether broker certificates go unchecked.
     *
     * @param tlsInsecureSkipVerify true to skip verification
     */
    public void setTlsInsecureSkipVerify(Boolean tlsInsecureSkipVerify) {
        this.tlsInsecureSkipVerify = tlsInsecureSkipVerify;
    }

    /**
     * How many times a failed request is retried.
     *
     * @return the count, or null if unset
     */
    public Integer getMaxRetries() {
        return maxRetries;
    }

    /**
     * Sets how many times a failed request is retried.
     *
     * @param maxRetries the count
     */
    public void setMaxRetries(Integer maxRetries) {
        this.maxRetries = maxRetries;
    }

    /**
     * The first retry delay.
     *
     * @return milliseconds, or null if unset
     */
    public Long getRetryBaseDelay() {
        return retryBaseDelay;
    }

    /**
     * Sets the first retry delay.
     *
     * @param retryBaseDelay milliseconds
     */
    public void setRetryBaseDelay(Long retryBaseDelay) {
        this.retryBaseDelay = retryBaseDelay;
    }

    /**
     * The longest retry delay.
     *
     * @return milliseconds, or null if unset
     */
    public Long getRetryMaxDelay() {
        return retryMaxDelay;
    }

    /**
     * Sets the longest retry delay.
     *
     * @param retryMaxDelay milliseconds
     */
    public void setRetryMaxDelay(Long retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }

    /**
     * The client properties by name, for equals, hashCode and messages.
     *
     * @return name to value, unset ones included as null, in declaration order
     */
    protected Map<String, Object> clientProperties() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("brokers", brokers);
        m.put("clientId", clientId);
        m.put("connectTimeout", connectTimeout);
        m.put("requestTimeout", requestTimeout);
        m.put("maxConnections", maxConnections);
        m.put("keepAliveInterval", keepAliveInterval);
        m.put("maxRequestBytes", maxRequestBytes);
        m.put("maxResponseBytes", maxResponseBytes);
        m.put("defaultPartitions", defaultPartitions);
        m.put("tlsCaCert", tlsCaCert);
        m.put("tlsClientCert", tlsClientCert);
        m.put("tlsClientKey", tlsClientKey);
        m.put("tlsServerName", tlsServerName);
        m.put("tlsInsecureSkipVerify", tlsInsecureSkipVerify);
        m.put("maxRetries", maxRetries);
        m.put("retryBaseDelay", retryBaseDelay);
        m.put("retryMaxDelay", retryMaxDelay);
        return m;
    }

    /**
     * The client properties that are set, for messages and logs.
     *
     * @return name to value, set ones only
     */
    protected Map<String, Object> setClientProperties() {
        Map<String, Object> m = clientProperties();
        m.values().removeIf(Objects::isNull);
        return m;
    }

    /**
     * Builds the client configuration: each property from this object, else from {@code fallback}, else the client's
     * default.
     *
     * @param fallback the adapter's properties, possibly null
     * @return the validated configuration
     * @throws ConfigurationException naming the JCA property that is invalid
     */
    public ClientConfig toClientConfig(ClientProperties fallback) {
        ClientConfig.Builder b = ClientConfig.builder();
        String br = pick(fallback, ClientProperties::getBrokers);
        if (br != null) {
            List<String> list = Arrays.stream(br.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            if (list.isEmpty()) {
                throw new ConfigurationException("brokers", br, "must list at least one host:port");
            }
            b.brokers(list);
        }
        set(fallback, ClientProperties::getClientId, b::clientId);
        setMillis(fallback, ClientProperties::getConnectTimeout, b::connectTimeout);
        setMillis(fallback, ClientProperties::getRequestTimeout, b::requestTimeout);
        set(fallback, ClientProperties::getMaxConnections, b::maxConnections);
        setMillis(fallback, ClientProperties::getKeepAliveInterval, b::keepAliveInterval);
        set(fallback, ClientProperties::getMaxRequestBytes, b::maxRequestBytes);
        set(fallback, ClientProperties::getMaxResponseBytes, b::maxResponseBytes);
        set(fallback, ClientProperties::getDefaultPartitions, b::defaultPartitions);

        TlsConfig.Builder tls = TlsConfig.builder();
        set(fallback, ClientProperties::getTlsCaCert, v -> tls.caCert(Path.of(v)));
        set(fallback, ClientProperties::getTlsClientCert, v -> tls.clientCert(Path.of(v)));
        set(fallback, ClientProperties::getTlsClientKey, v -> tls.clientKey(Path.of(v)));
        set(fallback, ClientProperties::getTlsServerName, tls::serverName);
        set(fallback, ClientProperties::getTlsInsecureSkipVerify, tls::insecureSkipVerify);
        b.tls(rename(tls::build, "tls"));

        RetryConfig.Builder retry = RetryConfig.builder();
        set(fallback, ClientProperties::getMaxRetries, retry::maxRetries);
        setMillis(fallback, ClientProperties::getRetryBaseDelay, retry::baseDelay);
        setMillis(fallback, ClientProperties::getRetryMaxDelay, retry::maxDelay);
        b.retry(rename(retry::build, "retry"));
        return b.build();
    }

    /** Prefixes a nested builder's field name with the JCA property prefix ({@code tls} or {@code retry}). */
    private static <T> T rename(java.util.function.Supplier<T> build, String prefix) {
        try {
            return build.get();
        } catch (ConfigurationException e) {
            String f = e.field();
            String name = prefix.equals("retry") && f.equals("maxRetries") ? f
                    : prefix + Character.toUpperCase(f.charAt(0)) + f.substring(1);
            throw new ConfigurationException(name, null, e.getMessage(), e);
        }
    }

    private <T> T pick(ClientProperties fallback, Function<ClientProperties, T> getter) {
        T own = getter.apply(this);
        return own != null || fallback == null ? own : getter.apply(fallback);
    }

    private <T> void set(ClientProperties fallback, Function<ClientProperties, T> getter,
                         java.util.function.Consumer<T> setter) {
        T v = pick(fallback, getter);
        if (v != null) {
            setter.accept(v);
        }
    }

    private void setMillis(ClientProperties fallback, Function<ClientProperties, Long> getter,
                           java.util.function.Consumer<Duration> setter) {
        set(fallback, getter, ms -> setter.accept(Duration.ofMillis(ms)));
    }

    /**
     * Equality over every client property (subclasses add theirs).
     *
     * @param o the other object
     * @return true if the same class with equal properties
     */
    protected boolean sameClientProperties(ClientProperties o) {
        return Objects.equals(clientProperties(), o.clientProperties());
    }
}
