package io.rustmq.benchmarks.perf;

import io.rustmq.client.compression.Compression;
import io.rustmq.client.producer.AckLevel;
import io.rustmq.client.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArgsTest {
    private static final Set<String> VALUES = Set.of("messages", "size", "acks", "rate", "topic");
    private static final Set<String> FLAGS = Set.of("insecure");

    private static Args parse(String... args) {
        return Args.parse(args, VALUES, FLAGS);
    }

    @Test
    void readsSeparateAndInlineValuesAndFlags() {
        Args a = parse("--topic", "t1", "--messages=2m", "--insecure", "--size", "1k");
        assertThat(a.string("topic", "x")).isEqualTo("t1");
        assertThat(a.count("messages", 0, 1)).isEqualTo(2_000_000);
        assertThat(a.bytes("size", 0, 0)).isEqualTo(1024);
        assertThat(a.flag("insecure")).isTrue();
        assertThat(a.has("acks")).isFalse();
        assertThat(a.count("rate", 7, 0)).isEqualTo(7);
    }

    @Test
    void countsAcceptSeparatorsAndSuffixes() {
        assertThat(parse("--messages", "1,000,000").count("messages", 0, 0)).isEqualTo(1_000_000);
        assertThat(parse("--messages", "500_000").count("messages", 0, 0)).isEqualTo(500_000);
        assertThat(parse("--messages", "500k").count("messages", 0, 0)).isEqualTo(500_000);
        assertThat(parse("--size", "64KiB").bytes("size", 0, 0)).isEqualTo(65536);
        assertThat(parse("--size", "4m").bytes("size", 0, 0)).isEqualTo(4 << 20);
        assertThat(parse("--rate", "10000.5").decimal("rate", 0, 0)).isEqualTo(10000.5);
    }

    @Test
    void rejectsUnknownOptionsAndMissingValues() {
        assertThatThrownBy(() -> parse("--mesages", "5")).hasMessageContaining("unknown option --mesages");
        assertThatThrownBy(() -> parse("--topic")).hasMessageContaining("--topic needs a value");
        assertThatThrownBy(() -> parse("--topic", "--insecure")).hasMessageContaining("--topic needs a value");
        assertThatThrownBy(() -> parse("--insecure=yes")).hasMessageContaining("takes no value");
        assertThatThrownBy(() -> parse("--size", "1", "--size", "2")).hasMessageContaining("given twice");
    }

    @Test
    void rejectsBadValuesNamingTheOption() {
        assertThatThrownBy(() -> parse("--messages", "lots").count("messages", 0, 1))
                .hasMessageContaining("--messages").hasMessageContaining("lots");
        assertThatThrownBy(() -> parse("--messages", "0").count("messages", 0, 1))
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> parse("--acks", "two").choice("acks", "all", List.of("none", "all")))
                .hasMessageContaining("none|all");
        assertThat(parse("--acks", "NONE").choice("acks", "all", List.of("none", "all"))).isEqualTo("none");
    }

    @Test
    void producerOptionsReachTheProducerConfig() {
        Set<String> options = Set.of("compression", "acks", "idempotent", "max-in-flight", "linger");
        Args a = Args.parse(new String[] {"--compression", "zstd", "--acks", "leader", "--idempotent", "false",
                "--max-in-flight", "3", "--linger", "7"}, options, Set.of());
        ProducerConfig c = PerfTool.producerConfig(a, null);
        assertThat(c.compression().codec()).isEqualTo(Compression.ZSTD);
        assertThat(c.ackLevel()).isEqualTo(AckLevel.LEADER);
        assertThat(c.idempotent()).isFalse();
        assertThat(c.maxInFlightPerPartition()).isEqualTo(3);
        assertThat(c.lingerTime()).isEqualTo(Duration.ofMillis(7));
        Args none = Args.parse(new String[] {"--compression", "none"}, options, Set.of());
        assertThat(PerfTool.producerConfig(none, null).compression().codec()).isEqualTo(Compression.NONE);
        assertThatThrownBy(() -> PerfTool.producerConfig(Args.parse(new String[] {"--compression", "snappy"},
                options, Set.of()), null)).hasMessageContaining("none|lz4|zstd|gzip");
    }
}
