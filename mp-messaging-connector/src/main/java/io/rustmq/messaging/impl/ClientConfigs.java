package io.rustmq.messaging.impl;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.RustMQException;
import io.rustmq.client.TlsConfig;
import io.rustmq.messaging.RustMQConnectorCommonConfiguration;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Instance;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Builds a channel's {@link ClientConfig}: the base (the {@code client-configuration} bean, else the
 * {@code default-rustmq-client} bean, else the defaults) with the channel's connection attributes on top.
 */
public final class ClientConfigs {
    /** The identifier of the ClientConfig bean used as the base when a channel names none. */
    public static final String DEFAULT_CLIENT_BEAN = "default-rustmq-client";

    private ClientConfigs() {
    }

    /**
     * Builds the client configuration of a channel.
     *
     * @param c the channel's attributes
     * @param channel the channel name, for errors
     * @param direction {@code incoming} or {@code outgoing}, for errors
     * @param beans the {@code ClientConfig} beans
     * @return the configuration
     * @throws IllegalArgumentException naming the channel and attribute when a value is missing or wrong
     */
    public static ClientConfig build(RustMQConnectorCommonConfiguration c, String channel, String direction,
                                     Instance<ClientConfig> beans) {
        ClientConfig base = null;
        Optional<String> named = c.getClientConfiguration();
        if (named.isPresent()) {
            Instance<ClientConfig> sel = beans.select(Identifier.Literal.of(named.get()));
            if (!sel.isResolvable()) {
                throw Problems.badAttribute(channel, "client-configuration", named.get(),
                        "names no (single) @Identifier(\"" + named.get() + "\") bean of type ClientConfig");
            }
            base = sel.get();
        } else {
            Instance<ClientConfig> sel = beans.select(Identifier.Literal.of(DEFAULT_CLIENT_BEAN));
            if (sel.isResolvable()) {
                base = sel.get();
            }
        }
        Optional<String> brokers = c.getBrokers();
        if (base == null && brokers.isEmpty()) {
            throw Problems.missingAttribute(channel, direction, "brokers",
                    ", or name a ClientConfig bean with client-configuration");
        }
        ClientConfig.Builder b = base == null ? ClientConfig.builder() : base.toBuilder();
        try {
            if (brokers.isPresent()) {
                List<String> list = Arrays.stream(brokers.get().split(",")).map(String::trim)
                        .filter(s -> !s.isEmpty()).toList();
                if (list.isEmpty()) {
                    throw Problems.badAttribute(channel, "brokers", brokers.get(), "must name at least one host:port");
                }
                b.brokers(list);
            }
            c.getClientId().ifPresent(b::clientId);
            if (!c.getTracingEnabled()) {
                b.tracing(false);
            }
            c.getRequestTimeout().ifPresent(v -> b.requestTimeout(Durations.parse(channel, "request-timeout", v)));
            c.getConnectTimeout().ifPresent(v -> b.connectTimeout(Durations.parse(channel, "connect-timeout", v)));
            if (c.getTlsCaCert().isPresent() || c.getTlsClientCert().isPresent() || c.getTlsClientKey().isPresent()
                    || c.getTlsServerName().isPresent() || c.getTlsInsecureSkipVerify().isPresent()) {
                TlsConfig t = base == null ? TlsConfig.defaults() : base.tls();
                TlsConfig.Builder tb = TlsConfig.builder().alpn(t.alpn())
                        .insecureSkipVerify(c.getTlsInsecureSkipVerify().orElse(t.insecureSkipVerify()));
                Path ca = c.getTlsCaCert().map(Path::of).orElse(t.caCert());
                Path cert = c.getTlsClientCert().map(Path::of).orElse(t.clientCert());
                Path key = c.getTlsClientKey().map(Path::of).orElse(t.clientKey());
                String server = c.getTlsServerName().orElse(t.serverName());
                if (ca != null) {
                    tb.caCert(ca);
                }
                if (cert != null) {
                    tb.clientCert(cert);
                }
                if (key != null) {
                    tb.clientKey(key);
                }
                if (server != null) {
                    tb.serverName(server);
                }
                b.tls(tb.build());
            }
            return b.build();
        } catch (RustMQException e) {
            throw new IllegalArgumentException("smallrye-rustmq channel '" + channel + "': " + e.getMessage(), e);
        }
    }
}
