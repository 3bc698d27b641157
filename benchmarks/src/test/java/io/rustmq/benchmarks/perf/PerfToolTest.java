package io.rustmq.benchmarks.perf;

import io.rustmq.client.compression.Compression;
import io.rustmq.client.producer.AckLevel;
import io.rustmq.client.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command line of {@code rustmq-perf}: parsing, help, version, every error message and the exit codes. */
class PerfToolTest {
    /** What one run of the tool printed and returned. */
    record Outcome(int code, String out, String err) {
    }

    static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PerfTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static PerfOptions parse(String... args) {
        return CommandLine.populateCommand(new PerfOptions(), args);
    }

    private static void assertUsageError(String expected, String... args) {
        Outcome o = run(args);
        assertThat(o.code()).as("exit code of %s", String.join(" ", args)).isEqualTo(PerfTool.EXIT_USAGE);
        assertThat(o.err()).as("error of %s", String.join(" ", args)).contains("error: " + expected)
                .contains("--help lists the options");
    }

    @Test
    void readsSeparateAndInlineValuesFlagsAndScaledNumbers() {
        PerfOptions a = parse("--topic", "t1", "--messages=2m", "--insecure", "--size", "1k", "--rate", "10000.5",
                "--buffer-memory", "64KiB", "--batch-bytes", "4m", "--warmup-messages", "1,000,000",
                "--latency-messages", "500_000");
        assertThat(a.topic).isEqualTo("t1");
        assertThat(a.messages).isEqualTo(2_000_000L);
        assertThat(a.size).isEqualTo(1024);
        assertThat(a.insecure).isTrue();
        assertThat(a.rate).isEqualTo(10000.5);
        assertThat(a.bufferMemory).isEqualTo(65536);
        assertThat(a.batchBytes).isEqualTo(4 << 20);
        assertThat(a.warmupMessages).isEqualTo(1_000_000L);
        assertThat(a.latencyMessages).isEqualTo(500_000L);
        assertThat(a.acks).as("not given: the mode's default applies").isNull();
    }

    @Test
    void producerOptionsReachTheProducerConfig() {
        ProducerConfig c = PerfTool.producerConfig(parse("--compression", "ZSTD", "--acks", "leader",
                "--idempotent", "false", "--max-in-flight", "3", "--linger", "7"), null);
        assertThat(c.compression().codec()).isEqualTo(Compression.ZSTD);
        assertThat(c.ackLevel()).isEqualTo(AckLevel.LEADER);
        assertThat(c.idempotent()).isFalse();
        assertThat(c.maxInFlightPerPartition()).isEqualTo(3);
        assertThat(c.lingerTime()).isEqualTo(Duration.ofMillis(7));
        assertThat(PerfTool.producerConfig(parse("--compression", "none"), null).compression().codec())
                .isEqualTo(Compression.NONE);
        assertThat(PerfTool.producerConfig(parse(), Duration.ZERO).lingerTime()).isEqualTo(Duration.ZERO);
    }

    @Test
    void consumerOptionsReachTheConsumerConfig() {
        var c = PerfTool.consumerConfig(parse("--fetch-size", "250", "--max-fetch-bytes", "2m", "--poll-interval",
                "3"), Duration.ofMillis(1));
        assertThat(c.fetchSize()).isEqualTo(250);
        assertThat(c.maxFetchBytes()).isEqualTo(2 << 20);
        assertThat(c.pollInterval()).isEqualTo(Duration.ofMillis(3));
        assertThat(PerfTool.consumerConfig(parse(), Duration.ofMillis(1)).pollInterval())
                .isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void helpListsEveryModeAndExitsZero() {
        Outcome o = run("--help");
        assertThat(o.code()).isZero();
        assertThat(o.out()).contains("Usage: rustmq-perf", "produce", "consume", "latency", "transport", "all",
                "report", "Exit codes:");
        Outcome mode = run("produce", "--help");
        assertThat(mode.code()).isZero();
        assertThat(mode.out()).contains("Usage: rustmq-perf produce", "--messages=N", "--report=FILE.html",
                "--hgrm=DIR", "--acks=none|leader|majority|all");
    }

    @Test
    void everyModesHelpRendersItsTextWithoutFormatWarnings() {
        // picocli formats descriptions with String.format and, on a bad specifier (a lone '%'), prints a warning to
        // System.err itself and shows the raw text; catch that stream for the time of the calls
        PrintStream saved = System.err;
        ByteArrayOutputStream stray = new ByteArrayOutputStream();
        System.setErr(new PrintStream(stray, true, StandardCharsets.UTF_8));
        try {
            for (String mode : new String[] {"produce", "consume", "latency", "transport", "all", "report"}) {
                Outcome o = run(mode, "--help");
                assertThat(o.code()).as(mode).isZero();
                assertThat(o.out()).as(mode).doesNotContain("%n");
            }
            assertThat(run("latency", "--help").out().replaceAll("\\s+", " "))
                    .contains("marking from 75 % occupancy");
        } finally {
            System.setErr(saved);
        }
        assertThat(stray.toString(StandardCharsets.UTF_8)).as("picocli's own warnings").isEmpty();
    }

    @Test
    void versionNamesTheToolAndJava() {
        Outcome o = run("--version");
        assertThat(o.code()).isZero();
        assertThat(o.out()).contains("rustmq-perf").contains("Java " + System.getProperty("java.version"));
    }

    @Test
    void noArgumentsPrintsUsageAndExitsTwo() {
        Outcome o = run();
        assertThat(o.code()).isEqualTo(PerfTool.EXIT_USAGE);
        assertThat(o.err()).contains("Usage: rustmq-perf");
    }

    @Test
    void everyParsingErrorNamesTheOptionAndExitsTwo() {
        assertUsageError("Unknown options: '--mesages', '5'", "produce", "--mesages", "5");
        assertUsageError("Unknown option: '--sise=5'", "produce", "--sise=5");
        assertThat(run("produce", "--sise=5").err()).contains("Possible solutions: --size");
        assertUsageError("Missing required parameter for option '--topic' (T)", "produce", "--topic");
        assertUsageError("option '--size' (BYTES) should be specified only once", "produce", "--size", "1",
                "--size", "2");
        assertUsageError("Invalid value for option '--insecure': 'yes' is not a boolean", "produce",
                "--insecure=yes");
        assertUsageError("Invalid value for option '--messages': expected a whole number (optionally with k or m),"
                + " got 'lots'", "produce", "--messages", "lots");
        assertUsageError("Invalid value for option '--messages': must be at least 1, got '0'", "produce",
                "--messages", "0");
        assertUsageError("Invalid value for option '--linger': must be at least 0, got '-1'", "produce", "--linger",
                "-1");
        assertUsageError("Invalid value for option '--size': must be between 0 and 2147483647 bytes, got '4096m'",
                "produce", "--size", "4096m");
        assertUsageError("Invalid value for option '--buffer-memory': must be between 1 and 2147483647 bytes, got"
                + " '0'", "produce", "--buffer-memory", "0");
        assertUsageError("Invalid value for option '--rate': expected a number, got 'fast'", "produce", "--rate",
                "fast");
        assertUsageError("Invalid value for option '--rate': must be a finite number of at least 0, got '-5'",
                "produce", "--rate", "-5");
        assertUsageError("Invalid value for option '--acks': must be one of none|leader|majority|all, got 'two'",
                "produce", "--acks", "two");
        assertUsageError("Invalid value for option '--compression': must be one of none|lz4|zstd|gzip, got"
                + " 'snappy'", "produce", "--compression", "snappy");
        assertUsageError("Invalid value for option '--idempotent': must be one of true|false, got 'yes'", "produce",
                "--idempotent", "yes");
        assertUsageError("Unmatched argument at index 0: 'fly'", "fly");
        assertUsageError("Unmatched argument at index 1: 'extra'", "produce", "extra");
        assertUsageError("Missing required option: '--out=FILE.html'", "report", "a.json");
        assertUsageError("Missing required parameter: 'RUN.json'", "report", "--out", "x.html");
    }

    @Test
    void combinationErrorsNameBothOptionsAndExitTwoBeforeStartingAnything() {
        assertUsageError("give either --brokers or --embedded, not both", "produce", "--brokers", "127.0.0.1:1",
                "--embedded");
        assertUsageError("give either --insecure or --ca, not both", "consume", "--brokers", "127.0.0.1:1",
                "--insecure", "--ca", "ca.pem");
        assertUsageError("--rate must be at least 1, got 0", "latency", "--rate", "0");
        assertUsageError("--duration must be at least 0.1, got 0.05", "transport", "--duration", "0.05");
        assertUsageError("--write-size must be at least 2, got 1", "transport", "--write-size", "1");
        assertUsageError("--request-size must be at least 2, got 0", "transport", "--request-size", "0");
    }

    @Test
    void aFileThatIsNoSummaryFailsTheReportWithExitOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path bad = dir.resolve("bad.json");
        java.nio.file.Files.writeString(bad, "{\"hello\": 1}");
        Outcome o = run("report", bad.toString(), "--out", dir.resolve("x.html").toString());
        assertThat(o.code()).isEqualTo(PerfTool.EXIT_FAILED_RUN);
        assertThat(o.err()).contains("bad.json is not a rustmq-perf summary");
        assertThat(dir.resolve("x.html")).doesNotExist();
    }

    @Test
    void scaledNumbersRejectOverflow() {
        assertThatThrownBy(() -> new PerfOptions.Count().convert("99999999999999999999"))
                .hasMessageContaining("expected a whole number");
        assertThatThrownBy(() -> new PerfOptions.Count().convert("9223372036854775807k"))
                .hasMessageContaining("expected a whole number");
    }

    @Test
    void theEmbeddedBrokerGetsAFixedServerHeapTouchedAtStartSizedToTheMachineAndSmallerC2Inlining() {
        assertThat(Target.defaultBrokerJvmOptions(24L << 30)).containsExactly("-XX:+UseG1GC",
                "-XX:MaxGCPauseMillis=20", "-XX:+UseTransparentHugePages", "-XX:-G1UseAdaptiveIHOP",
                "-XX:InitiatingHeapOccupancyPercent=75", "-XX:FreqInlineSize=100",
                "-XX:InlineSmallCode=1000", "-Xms4g", "-Xmx4g",
                "-XX:+AlwaysPreTouch");
        assertThat(Target.defaultBrokerJvmOptions(8L << 30)).containsExactly("-XX:+UseG1GC",
                "-XX:MaxGCPauseMillis=20", "-XX:+UseTransparentHugePages", "-XX:-G1UseAdaptiveIHOP",
                "-XX:InitiatingHeapOccupancyPercent=75", "-XX:FreqInlineSize=100",
                "-XX:InlineSmallCode=1000", "-Xms2g", "-Xmx2g",
                "-XX:+AlwaysPreTouch");
        assertThat(Target.defaultBrokerJvmOptions(4L << 30)).containsExactly("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                "-XX:+UseTransparentHugePages", "-XX:-G1UseAdaptiveIHOP", "-XX:InitiatingHeapOccupancyPercent=75",
                "-XX:FreqInlineSize=100", "-XX:InlineSmallCode=1000");
        assertThat(Target.defaultBrokerJvmOptions(0)).doesNotContain("-XX:+AlwaysPreTouch");
    }
}
