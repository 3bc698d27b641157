package io.rustmq.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.RetryConfig;
import io.rustmq.client.TlsConfig;

/** quarkus.rustmq.* maps onto ClientConfig: defaults equal the client's, overrides win; configured brokers skip Dev Services. */
class ConfigMappingTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.rustmq.brokers", "127.0.0.1:19092,[::1]:19093")
            .overrideConfigKey("quarkus.rustmq.client-id", "orders-service")
            .overrideConfigKey("quarkus.rustmq.request-timeout", "5s")
            .overrideConfigKey("quarkus.rustmq.tls.server-name", "rustmq.example.com")
            .overrideConfigKey("quarkus.rustmq.retry.max-retries", "7")
            .overrideConfigKey("quarkus.rustmq.retry.jitter", "false");

    @Inject
    ClientConfig clientConfig;

    @Inject
    Config config;

    @Test
    void overriddenKeysReachTheClientConfig() {
        assertThat(clientConfig.brokers()).containsExactly("127.0.0.1:19092", "[::1]:19093");
        assertThat(clientConfig.clientId()).isEqualTo("orders-service");
        assertThat(clientConfig.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(clientConfig.tls().serverName()).isEqualTo("rustmq.example.com");
        assertThat(clientConfig.retry().maxRetries()).isEqualTo(7);
        assertThat(clientConfig.retry().jitter()).isFalse();
    }

    @Test
    void unsetKeysKeepTheClientDefaults() {
        ClientConfig defaults = ClientConfig.defaults();
        assertThat(clientConfig.connectTimeout()).isEqualTo(defaults.connectTimeout());
        assertThat(clientConfig.maxConnections()).isEqualTo(defaults.maxConnections());
        assertThat(clientConfig.keepAliveInterval()).isEqualTo(defaults.keepAliveInterval());
        assertThat(clientConfig.maxRequestBytes()).isEqualTo(defaults.maxRequestBytes());
        assertThat(clientConfig.maxResponseBytes()).isEqualTo(defaults.maxResponseBytes());
        assertThat(clientConfig.defaultPartitions()).isEqualTo(defaults.defaultPartitions());
        TlsConfig tls = clientConfig.tls();
        assertThat(tls.caCert()).isNull();
        assertThat(tls.insecureSkipVerify()).isFalse();
        assertThat(tls.alpn()).isEqualTo(List.of(TlsConfig.DEFAULT_ALPN));
        RetryConfig retry = clientConfig.retry();
        assertThat(retry.baseDelay()).isEqualTo(RetryConfig.defaults().baseDelay());
        assertThat(retry.maxDelay()).isEqualTo(RetryConfig.defaults().maxDelay());
        assertThat(retry.multiplier()).isEqualTo(RetryConfig.defaults().multiplier());
    }

    @Test
    void devServicesStayOffWhenBrokersAreConfigured() {
        assertThat(config.getOptionalValue("quarkus.rustmq.tls.ca-cert", String.class)).isEmpty();
        assertThat(config.getValue("quarkus.rustmq.brokers", String.class)).isEqualTo("127.0.0.1:19092,[::1]:19093");
    }
}
