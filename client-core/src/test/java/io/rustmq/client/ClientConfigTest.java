package io.rustmq.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientConfigTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        ClientConfig c = ClientConfig.defaults();
        assertThat(c.brokers()).containsExactly("localhost:9092");
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxConnections()).isEqualTo(10);
        assertThat(c.keepAliveInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxRequestBytes()).isEqualTo(1024 * 1024);
        assertThat(c.maxResponseBytes()).isEqualTo(64 * 1024 * 1024);
        assertThat(c.tls().alpn()).containsExactly("rustmq");
        assertThat(c.tls().insecureSkipVerify()).isFalse();
        RetryConfig r = c.retry();
        assertThat(r.maxRetries()).isEqualTo(3);
        assertThat(r.baseDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(r.maxDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(r.multiplier()).isEqualTo(2.0);
        assertThat(r.jitter()).isTrue();
    }

    @Test
    void brokersAreParsedIncludingIpv6() {
        ClientConfig c = ClientConfig.builder().brokers("a.example:1", "[::1]:9093", "10.0.0.1:65535").build();
        assertThat(c.brokerAddresses()).extracting(a -> a.getHostString() + "/" + a.getPort())
                .containsExactly("a.example/1", "::1/9093", "10.0.0.1/65535");
    }

    @Test
    void badBrokerEntriesNameTheFieldAndValue() {
        for (String bad : List.of("nohost", "host:", ":9092", "host:0", "host:70000", "host:abc", "::1:9092", " ")) {
            assertThatThrownBy(() -> ClientConfig.builder().brokers(bad).build())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("brokers")
                    .satisfies(e -> assertThat(((ConfigurationException) e).field()).isEqualTo("brokers"));
        }
        assertThatThrownBy(() -> ClientConfig.builder().brokers(List.of()).build())
                .hasMessageContaining("brokers").hasMessageContaining("at least one");
    }

    @Test
    void eachNumericAndDurationRuleNamesItsField() {
        assertRejected(ClientConfig.builder().clientId(" "), "clientId");
        assertRejected(ClientConfig.builder().connectTimeout(Duration.ZERO), "connectTimeout = PT0S");
        assertRejected(ClientConfig.builder().requestTimeout(Duration.ofMillis(-1)), "requestTimeout = PT-0.001S");
        assertRejected(ClientConfig.builder().requestTimeout(null), "requestTimeout = null");
        assertRejected(ClientConfig.builder().maxConnections(0), "maxConnections = 0");
        assertRejected(ClientConfig.builder().keepAliveInterval(Duration.ZERO), "keepAliveInterval = PT0S");
        assertRejected(ClientConfig.builder().maxRequestBytes(10), "maxRequestBytes = 10");
        assertRejected(ClientConfig.builder().maxResponseBytes(0), "maxResponseBytes = 0");
        assertRejected(ClientConfig.builder().defaultPartitions(0), "defaultPartitions = 0");
        assertRejected(ClientConfig.builder().tls(null), "tls = null");
        assertRejected(ClientConfig.builder().retry(null), "retry = null");
    }

    @Test
    void retryRulesNameTheirField() {
        assertThatThrownBy(() -> RetryConfig.builder().maxRetries(-1).build()).hasMessageContaining("retry.maxRetries = -1");
        assertThatThrownBy(() -> RetryConfig.builder().baseDelay(Duration.ZERO).build())
                .hasMessageContaining("retry.baseDelay = PT0S");
        assertThatThrownBy(() -> RetryConfig.builder().baseDelay(Duration.ofSeconds(5)).maxDelay(Duration.ofSeconds(1))
                .build()).hasMessageContaining("retry.maxDelay = PT1S");
        assertThatThrownBy(() -> RetryConfig.builder().multiplier(0.5).build())
                .hasMessageContaining("retry.multiplier = 0.5");
        assertThatThrownBy(() -> RetryConfig.builder().multiplier(Double.NaN).build())
                .hasMessageContaining("retry.multiplier = NaN");
    }

    @Test
    void backoffGrowsByTheMultiplierUpToTheCap() {
        RetryConfig r = RetryConfig.builder().baseDelay(Duration.ofMillis(100)).maxDelay(Duration.ofMillis(500))
                .multiplier(2).build();
        assertThat(r.delayBeforeAttempt(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(r.delayBeforeAttempt(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(r.delayBeforeAttempt(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(r.delayBeforeAttempt(4)).isEqualTo(Duration.ofMillis(500));
        assertThat(r.delayBeforeAttempt(60)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void tlsRulesNameTheirField(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> TlsConfig.builder().caCert(missing).build())
                .hasMessageContaining("tls.caCert").hasMessageContaining("missing.pem");
        Path pem = Files.writeString(dir.resolve("cert.pem"), "x");
        assertThatThrownBy(() -> TlsConfig.builder().clientCert(pem).build())
                .hasMessageContaining("tls.clientKey").hasMessageContaining("set together");
        assertThatThrownBy(() -> TlsConfig.builder().alpn(List.of()).build()).hasMessageContaining("tls.alpn");
        assertThatThrownBy(() -> TlsConfig.builder().serverName(" ").build()).hasMessageContaining("tls.serverName");
    }

    private static void assertRejected(ClientConfig.Builder b, String expected) {
        assertThatThrownBy(b::build).isInstanceOf(ConfigurationException.class).hasMessageContaining(expected);
    }
}
