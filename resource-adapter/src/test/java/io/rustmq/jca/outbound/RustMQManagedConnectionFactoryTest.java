package io.rustmq.jca.outbound;

import io.rustmq.client.compression.Compression;
import io.rustmq.client.producer.AckLevel;
import io.rustmq.jca.RustMQResourceAdapter;
import io.rustmq.jca.api.RustMQConnectionFactory;
import io.rustmq.jca.api.RustMQResourceException;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.TransactionSupport;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RustMQManagedConnectionFactoryTest {
    private static RustMQManagedConnectionFactory configured() {
        RustMQManagedConnectionFactory f = new RustMQManagedConnectionFactory();
        f.setBrokers("127.0.0.1:9092");
        f.setRequestTimeout(5_000L);
        f.setTlsInsecureSkipVerify(true);
        f.setLingerTime(10L);
        f.setAckLevel("all");
        f.setCompression("zstd");
        return f;
    }

    @Test
    void propertiesMapOntoClientAndProducerConfig() throws Exception {
        RustMQManagedConnectionFactory f = configured();
        f.setMaxRetries(7);
        f.setRetryBaseDelay(20L);
        assertThat(f.clientConfig().brokers()).containsExactly("127.0.0.1:9092");
        assertThat(f.clientConfig().requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(f.clientConfig().tls().insecureSkipVerify()).isTrue();
        assertThat(f.clientConfig().retry().maxRetries()).isEqualTo(7);
        assertThat(f.clientConfig().retry().baseDelay()).isEqualTo(Duration.ofMillis(20));
        assertThat(f.producerConfig().lingerTime()).isEqualTo(Duration.ofMillis(10));
        assertThat(f.producerConfig().ackLevel()).isEqualTo(AckLevel.ALL);
        assertThat(f.producerConfig().compression().codec()).isEqualTo(Compression.ZSTD);
    }

    @Test
    void equalPropertiesMeanEqualFactoriesAndHashes() {
        RustMQManagedConnectionFactory a = configured();
        RustMQManagedConnectionFactory b = configured();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        b.setBatchSize(10);
        assertThat(a).isNotEqualTo(b);
        a.setBatchSize(10);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        a.setTlsCaCert("/etc/rustmq/ca.pem");
        assertThat(a).isNotEqualTo(b);
        assertThat(a).isNotEqualTo(new Object());
    }

    @Test
    void everyClientAndProducerPropertyTakesPartInEquality() {
        RustMQManagedConnectionFactory a = new RustMQManagedConnectionFactory();
        assertThat(a.properties().keySet()).contains("brokers", "clientId", "connectTimeout", "requestTimeout",
                "maxConnections", "keepAliveInterval", "maxRequestBytes", "maxResponseBytes", "defaultPartitions",
                "tlsCaCert", "tlsClientCert", "tlsClientKey", "tlsServerName", "tlsInsecureSkipVerify", "maxRetries",
                "retryBaseDelay", "retryMaxDelay", "batchSize", "batchBytes", "lingerTime", "batchTimeout",
                "maxMessageSize", "ackLevel", "idempotent", "compression", "maxInFlightPerPartition", "bufferMemory",
                "maxBlockTime", "deliveryTimeout");
    }

    @Test
    void unsetClientPropertiesFallBackToTheAdapter() throws Exception {
        RustMQResourceAdapter ra = new RustMQResourceAdapter();
        ra.setBrokers("10.1.1.1:9092");
        ra.setClientId("from-adapter");
        RustMQManagedConnectionFactory f = new RustMQManagedConnectionFactory();
        f.setResourceAdapter(ra);
        assertThat(f.clientConfig().brokers()).containsExactly("10.1.1.1:9092");
        assertThat(f.clientConfig().clientId()).isEqualTo("from-adapter");
        f.setBrokers("10.2.2.2:9092");
        assertThat(f.clientConfig().brokers()).containsExactly("10.2.2.2:9092");
    }

    @Test
    void badPropertiesAreNamed() {
        RustMQManagedConnectionFactory f = configured();
        f.setRequestTimeout(0L);
        assertThatThrownBy(f::clientConfig).isInstanceOf(InvalidPropertyException.class)
                .hasMessageContaining("requestTimeout");
        RustMQManagedConnectionFactory g = configured();
        g.setCompression("brotli");
        assertThatThrownBy(g::producerConfig).hasMessageContaining("compression").hasMessageContaining("brotli");
        RustMQManagedConnectionFactory h = configured();
        h.setAckLevel("most");
        assertThatThrownBy(h::producerConfig).hasMessageContaining("ackLevel");
    }

    @Test
    void declaresNoTransactions() {
        assertThat(new RustMQManagedConnectionFactory().getTransactionSupport())
                .isEqualTo(TransactionSupport.TransactionSupportLevel.NoTransaction);
    }

    @Test
    void unreachableBrokerGivesAResourceExceptionNamingTheBrokers() {
        RustMQManagedConnectionFactory f = new RustMQManagedConnectionFactory();
        f.setBrokers("127.0.0.1:1");
        f.setConnectTimeout(300L);
        f.setRequestTimeout(500L);
        f.setMaxRetries(0);
        f.setTlsInsecureSkipVerify(true);
        RustMQConnectionFactory cf = (RustMQConnectionFactory) f.createConnectionFactory();
        assertThatThrownBy(cf::createConnection).isInstanceOf(RustMQResourceException.class)
                .hasMessageContaining("127.0.0.1:1");
        f.registry().closeAll();
    }
}
