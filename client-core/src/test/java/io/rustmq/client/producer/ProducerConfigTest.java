package io.rustmq.client.producer;

import io.rustmq.client.ConfigurationException;
import io.rustmq.client.Headers;
import io.rustmq.client.compression.Compression;
import io.rustmq.client.compression.CompressionConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProducerConfigTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        ProducerConfig c = ProducerConfig.defaults();
        assertThat(c.batchSize()).isEqualTo(4_000);
        assertThat(c.batchBytes()).isEqualTo(512 * 1024);
        assertThat(c.lingerTime()).isEqualTo(Duration.ofMillis(5)).isEqualTo(c.batchTimeout());
        assertThat(c.maxMessageSize()).isEqualTo(1024 * 1024);
        assertThat(c.ackLevel()).isEqualTo(AckLevel.ALL);
        assertThat(c.idempotent()).isTrue();
        assertThat(c.compression()).isEqualTo(CompressionConfig.NONE);
        assertThat(c.maxInFlightPerPartition()).isEqualTo(5);
        assertThat(c.bufferMemory()).isEqualTo(8L * 1024 * 1024);
        assertThat(c.maxBlockTime()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.deliveryTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.partitioner()).isSameAs(Partitioner.DEFAULT);
        assertThat(c.defaultHeaders()).isEqualTo(Headers.empty());
        assertThat(c).isEqualTo(ProducerConfig.defaults()).hasSameHashCodeAs(ProducerConfig.defaults());
    }

    @Test
    void batchTimeoutIsAnAliasOfLingerTime() {
        ProducerConfig c = ProducerConfig.builder().batchTimeout(Duration.ofMillis(42)).build();
        assertThat(c.lingerTime()).isEqualTo(Duration.ofMillis(42));
        assertThat(c.batchTimeout()).isEqualTo(Duration.ofMillis(42));
    }

    @Test
    void compressionCanBeSetAsOneValueOrFieldByField() {
        ProducerConfig a = ProducerConfig.builder().compression(Compression.ZSTD).build();
        assertThat(a.compression()).isEqualTo(new CompressionConfig(Compression.ZSTD, 3, 1024));
        ProducerConfig b = ProducerConfig.builder().compression(Compression.GZIP).compressionLevel(9)
                .compressionMinSize(10).build();
        assertThat(b.compression()).isEqualTo(new CompressionConfig(Compression.GZIP, 9, 10));
        ProducerConfig c = ProducerConfig.builder().compression(new CompressionConfig(Compression.LZ4, 9, 0)).build();
        assertThat(c.compression()).isEqualTo(new CompressionConfig(Compression.LZ4, 9, 0));
    }

    @Test
    void customAckLevelPrintsAndRoundTripsThroughTheBuilder() {
        assertThat(AckLevel.custom(3)).hasToString("custom(3)");
        assertThat(ProducerConfig.builder().ackLevel(AckLevel.custom(2)).build().ackLevel()).isEqualTo(AckLevel.custom(2));
    }

    @Test
    void toBuilderCopiesEveryField() {
        ProducerConfig c = ProducerConfig.builder().batchSize(7).batchBytes(1000).lingerTime(Duration.ofMillis(9))
                .maxMessageSize(5000).ackLevel(AckLevel.LEADER).idempotent(false)
                .compression(new CompressionConfig(Compression.LZ4, 1, 2048)).maxInFlightPerPartition(8)
                .bufferMemory(1 << 20).maxBlockTime(Duration.ofSeconds(3)).deliveryTimeout(Duration.ofSeconds(30))
                .partitioner((t, k, n) -> 0).defaultHeader("app", "test").build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                invalid("batchSize", "0", b -> b.batchSize(0)),
                invalid("batchBytes", "-1", b -> b.batchBytes(-1)),
                invalid("lingerTime", "PT-0.001S", b -> b.lingerTime(Duration.ofMillis(-1))),
                invalid("lingerTime", "null", b -> b.batchTimeout(null)),
                invalid("maxMessageSize", "0", b -> b.maxMessageSize(0)),
                invalid("ackLevel", "null", b -> b.ackLevel(null)),
                invalid("ackLevel", "custom(0)", b -> b.ackLevel(AckLevel.custom(0))),
                invalid("compression.codec", "null", b -> b.compression((Compression) null)),
                invalid("compression.level", "23", b -> b.compression(Compression.ZSTD).compressionLevel(23)),
                invalid("compression.level", "0", b -> b.compression(Compression.GZIP).compressionLevel(0)),
                invalid("compression.minSize", "-1", b -> b.compression(Compression.LZ4).compressionMinSize(-1)),
                invalid("maxInFlightPerPartition", "0", b -> b.maxInFlightPerPartition(0)),
                invalid("maxInFlightPerPartition", "6", b -> b.idempotent(true).maxInFlightPerPartition(6)),
                invalid("bufferMemory", "0", b -> b.bufferMemory(0)),
                invalid("maxBlockTime", "PT-1S", b -> b.maxBlockTime(Duration.ofSeconds(-1))),
                invalid("maxBlockTime", "null", b -> b.maxBlockTime(null)),
                invalid("deliveryTimeout", "PT0S", b -> b.deliveryTimeout(Duration.ZERO)),
                invalid("deliveryTimeout", "PT1S", b -> b.lingerTime(Duration.ofSeconds(2))
                        .deliveryTimeout(Duration.ofSeconds(1))),
                invalid("partitioner", "null", b -> b.partitioner(null)),
                invalid("defaultHeaders", "null", b -> b.defaultHeaders(null)),
                invalid("defaultHeaders", "'rustmq-sequence'", b -> b.defaultHeader("rustmq-sequence", "1")),
                invalid("defaultHeaders", "'rustmq-compression'", b -> b.defaultHeader("rustmq-compression", "lz4")));
    }

    private static Arguments invalid(String field, String value, UnaryOperator<ProducerConfig.Builder> change) {
        return Arguments.of(field, value, change);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidValues")
    void everyInvalidValueFailsAtBuildNamingFieldAndValue(String field, String value,
                                                          UnaryOperator<ProducerConfig.Builder> change) {
        ProducerConfig.Builder builder = change.apply(ProducerConfig.builder());
        assertThatThrownBy(builder::build)
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining(field + " = " + value);
    }

    @Test
    void manyInFlightRequestsAreAllowedWithoutIdempotence() {
        assertThat(ProducerConfig.builder().idempotent(false).maxInFlightPerPartition(50).build()
                .maxInFlightPerPartition()).isEqualTo(50);
        assertThat(ProducerConfig.builder().maxInFlightPerPartition(5).build().maxInFlightPerPartition()).isEqualTo(5);
    }

    @Test
    void zeroLingerAndZeroMaxBlockTimeAreValid() {
        ProducerConfig c = ProducerConfig.builder().lingerTime(Duration.ZERO).maxBlockTime(Duration.ZERO).build();
        assertThat(c.lingerTime()).isZero();
        assertThat(c.maxBlockTime()).isZero();
    }

    @Test
    void remembersWhetherMaxMessageSizeWasSetSoThatOnlyASetValueIsCheckedAgainstTheRequestLimit() {
        assertThat(ProducerConfig.defaults().isMaxMessageSizeSet()).isFalse();
        ProducerConfig set = ProducerConfig.builder().maxMessageSize(1024 * 1024).build();
        assertThat(set.isMaxMessageSizeSet()).isTrue();
        assertThat(set.toBuilder().build().isMaxMessageSizeSet()).isTrue();
        assertThat(set).isNotEqualTo(ProducerConfig.defaults());
    }
}
