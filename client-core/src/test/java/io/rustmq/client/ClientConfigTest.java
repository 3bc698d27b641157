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
        assertThat(c.clientId()).isEqualTo("rustmq-java-client");
        assertThat(c.defaultPartitions()).isEqualTo(1);
        assertThat(c.tls().caCert()).isNull();
        assertThat(c.tls().clientCert()).isNull();
        assertThat(c.tls().clientKey()).isNull();
        assertThat(c.tls().serverName()).isNull();
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

    /** One validation rule: what to build, the field it names and the whole message. */
    private record Rule(String field, String message, Runnable build) {
    }

    private static void assertRules(List<Rule> rules) {
        for (Rule rule : rules) {
            assertThatThrownBy(rule.build()::run).as(rule.message())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage(rule.message())
                    .satisfies(e -> assertThat(((ConfigurationException) e).field()).isEqualTo(rule.field()))
                    .satisfies(e -> assertThat(((RustMQException) e).isRetriable()).isFalse());
        }
    }

    @Test
    void everyBrokerAddressRuleSaysWhatIsWrongWithTheEntry() {
        String prefix = "Invalid configuration: brokers = ";
        assertRules(List.of(
                new Rule("brokers", prefix + "null: must list at least one host:port",
                        () -> ClientConfig.builder().brokers((List<String>) null).build()),
                new Rule("brokers", prefix + "null: must list at least one host:port",
                        () -> ClientConfig.builder().brokers((String[]) null).build()),
                new Rule("brokers", prefix + "[]: must list at least one host:port",
                        () -> ClientConfig.builder().brokers(List.of()).build()),
                new Rule("brokers", prefix + "' ': an entry is blank; expected host:port",
                        () -> ClientConfig.builder().brokers(" ").build()),
                new Rule("brokers", prefix + "null: an entry is blank; expected host:port",
                        () -> ClientConfig.builder().brokers(java.util.Arrays.asList("a:1", null)).build()),
                new Rule("brokers", prefix + "'nohost': expected host:port (IPv6 as [addr]:port)",
                        () -> ClientConfig.builder().brokers("nohost").build()),
                new Rule("brokers", prefix + "'host:': expected host:port (IPv6 as [addr]:port)",
                        () -> ClientConfig.builder().brokers("host:").build()),
                new Rule("brokers", prefix + "':9092': expected host:port (IPv6 as [addr]:port)",
                        () -> ClientConfig.builder().brokers(":9092").build()),
                new Rule("brokers", prefix + "'::1:9092': an IPv6 address must be in brackets: [addr]:port",
                        () -> ClientConfig.builder().brokers("::1:9092").build()),
                new Rule("brokers", prefix + "'[]:9092': host is empty",
                        () -> ClientConfig.builder().brokers("[]:9092").build()),
                new Rule("brokers", prefix + "'host:abc': port is not a number",
                        () -> ClientConfig.builder().brokers("host:abc").build()),
                new Rule("brokers", prefix + "'host:0': port must be between 1 and 65535",
                        () -> ClientConfig.builder().brokers("host:0").build()),
                new Rule("brokers", prefix + "'host:70000': port must be between 1 and 65535",
                        () -> ClientConfig.builder().brokers("host:70000").build())));
    }

    @Test
    void everyClientConfigFieldRuleNamesTheFieldAndTheValue() {
        String p = "Invalid configuration: ";
        assertRules(List.of(
                new Rule("clientId", p + "clientId = null: must not be blank",
                        () -> ClientConfig.builder().clientId(null).build()),
                new Rule("clientId", p + "clientId = '': must not be blank",
                        () -> ClientConfig.builder().clientId("").build()),
                new Rule("connectTimeout", p + "connectTimeout = null: must be a positive duration",
                        () -> ClientConfig.builder().connectTimeout(null).build()),
                new Rule("connectTimeout", p + "connectTimeout = PT-1S: must be a positive duration",
                        () -> ClientConfig.builder().connectTimeout(Duration.ofSeconds(-1)).build()),
                new Rule("requestTimeout", p + "requestTimeout = PT0S: must be a positive duration",
                        () -> ClientConfig.builder().requestTimeout(Duration.ZERO).build()),
                new Rule("tls", p + "tls = null: must not be null (use TlsConfig.defaults())",
                        () -> ClientConfig.builder().tls(null).build()),
                new Rule("maxConnections", p + "maxConnections = -3: must be at least 1",
                        () -> ClientConfig.builder().maxConnections(-3).build()),
                new Rule("keepAliveInterval", p + "keepAliveInterval = null: must be a positive duration",
                        () -> ClientConfig.builder().keepAliveInterval(null).build()),
                new Rule("keepAliveInterval", p + "keepAliveInterval = PT-0.001S: must be a positive duration",
                        () -> ClientConfig.builder().keepAliveInterval(Duration.ofMillis(-1)).build()),
                new Rule("maxRequestBytes", p + "maxRequestBytes = 63: must be at least 64",
                        () -> ClientConfig.builder().maxRequestBytes(63).build()),
                new Rule("maxResponseBytes", p + "maxResponseBytes = 63: must be at least 64",
                        () -> ClientConfig.builder().maxResponseBytes(63).build()),
                new Rule("defaultPartitions", p + "defaultPartitions = -1: must be at least 1",
                        () -> ClientConfig.builder().defaultPartitions(-1).build()),
                new Rule("retry", p + "retry = null: must not be null (use RetryConfig.defaults())",
                        () -> ClientConfig.builder().retry(null).build())));
    }

    @Test
    void everyRetryConfigRuleNamesTheFieldAndTheValue() {
        String p = "Invalid configuration: ";
        assertRules(List.of(
                new Rule("retry.maxRetries", p + "retry.maxRetries = -1: must be at least 0",
                        () -> RetryConfig.builder().maxRetries(-1).build()),
                new Rule("retry.baseDelay", p + "retry.baseDelay = null: must be a positive duration",
                        () -> RetryConfig.builder().baseDelay(null).build()),
                new Rule("retry.baseDelay", p + "retry.baseDelay = PT-1S: must be a positive duration",
                        () -> RetryConfig.builder().baseDelay(Duration.ofSeconds(-1)).build()),
                new Rule("retry.maxDelay", p + "retry.maxDelay = null: must be a positive duration",
                        () -> RetryConfig.builder().maxDelay(null).build()),
                new Rule("retry.maxDelay", p + "retry.maxDelay = PT0S: must be a positive duration",
                        () -> RetryConfig.builder().maxDelay(Duration.ZERO).build()),
                new Rule("retry.maxDelay", p + "retry.maxDelay = PT0.05S: must not be shorter than retry.baseDelay"
                        + " = PT0.1S", () -> RetryConfig.builder().maxDelay(Duration.ofMillis(50)).build()),
                new Rule("retry.multiplier", p + "retry.multiplier = 0.99: must be a finite number >= 1.0",
                        () -> RetryConfig.builder().multiplier(0.99).build()),
                new Rule("retry.multiplier", p + "retry.multiplier = NaN: must be a finite number >= 1.0",
                        () -> RetryConfig.builder().multiplier(Double.NaN).build()),
                new Rule("retry.multiplier", p + "retry.multiplier = Infinity: must be a finite number >= 1.0",
                        () -> RetryConfig.builder().multiplier(Double.POSITIVE_INFINITY).build())));
    }

    @Test
    void everyTlsConfigRuleNamesTheFieldAndTheValue(@TempDir Path dir) throws Exception {
        String p = "Invalid configuration: ";
        Path missing = dir.resolve("missing.pem");
        Path pem = Files.writeString(dir.resolve("present.pem"), "x");
        String tooLong = "a".repeat(256);
        assertRules(List.of(
                new Rule("tls.caCert", p + "tls.caCert = " + missing + ": file does not exist or is not readable",
                        () -> TlsConfig.builder().caCert(missing).build()),
                new Rule("tls.clientCert", p + "tls.clientCert = " + missing
                        + ": file does not exist or is not readable",
                        () -> TlsConfig.builder().clientCert(missing).clientKey(pem).build()),
                new Rule("tls.clientKey", p + "tls.clientKey = " + missing
                        + ": file does not exist or is not readable",
                        () -> TlsConfig.builder().clientCert(pem).clientKey(missing).build()),
                new Rule("tls.clientKey", p + "tls.clientKey = null: tls.clientCert and tls.clientKey must be set"
                        + " together", () -> TlsConfig.builder().clientCert(pem).build()),
                new Rule("tls.clientCert", p + "tls.clientCert = null: tls.clientCert and tls.clientKey must be set"
                        + " together", () -> TlsConfig.builder().clientKey(pem).build()),
                new Rule("tls.serverName", p + "tls.serverName = '': must not be blank when set",
                        () -> TlsConfig.builder().serverName("").build()),
                new Rule("tls.alpn", p + "tls.alpn = null: must name at least one protocol (QUIC requires ALPN)",
                        () -> TlsConfig.builder().alpn(null).build()),
                new Rule("tls.alpn", p + "tls.alpn = []: must name at least one protocol (QUIC requires ALPN)",
                        () -> TlsConfig.builder().alpn(List.of()).build()),
                new Rule("tls.alpn", p + "tls.alpn = [rustmq, ]: each protocol must be 1 to 255 characters",
                        () -> TlsConfig.builder().alpn(List.of("rustmq", "")).build()),
                new Rule("tls.alpn", p + "tls.alpn = [" + tooLong + "]: each protocol must be 1 to 255 characters",
                        () -> TlsConfig.builder().alpn(List.of(tooLong)).build())));
    }

    @Test
    void validValuesAtTheLimitsAreAccepted() {
        ClientConfig c = ClientConfig.builder().brokers("[::1]:1", "h:65535").clientId("x")
                .connectTimeout(Duration.ofNanos(1)).requestTimeout(Duration.ofNanos(1)).maxConnections(1)
                .keepAliveInterval(Duration.ofNanos(1)).maxRequestBytes(64).maxResponseBytes(64).defaultPartitions(1)
                .retry(RetryConfig.builder().maxRetries(0).baseDelay(Duration.ofMillis(1))
                        .maxDelay(Duration.ofMillis(1)).multiplier(1.0).jitter(false).build())
                .build();
        assertThat(c.maxConnections()).isEqualTo(1);
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.retry().delayBeforeAttempt(5)).isEqualTo(Duration.ofMillis(1));
    }

    private static void assertRejected(ClientConfig.Builder b, String expected) {
        assertThatThrownBy(b::build).isInstanceOf(ConfigurationException.class).hasMessageContaining(expected);
    }

    @Test
    void threadFactoryIsEmptyByDefaultAndKeptByToBuilder() {
        assertThat(ClientConfig.defaults().threadFactory()).isEmpty();
        java.util.concurrent.ThreadFactory factory = Thread::new;
        ClientConfig c = ClientConfig.builder().threadFactory(factory).build();
        assertThat(c.threadFactory()).containsSame(factory);
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c).isNotEqualTo(ClientConfig.defaults());
    }

    @Test
    void closeTimeoutDefaultsToThirtySecondsAcceptsZeroAndRefusesNegative() {
        assertThat(ClientConfig.defaults().closeTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(ClientConfig.builder().closeTimeout(java.time.Duration.ZERO).build().closeTimeout()).isZero();
        assertRejected(ClientConfig.builder().closeTimeout(java.time.Duration.ofMillis(-1)), "closeTimeout");
        assertRejected(ClientConfig.builder().closeTimeout(null), "closeTimeout");
    }
}
