package io.rustmq.broker;

import io.rustmq.broker.network.QuicTestClient;
import io.rustmq.broker.storage.RetentionPolicy;
import io.rustmq.broker.tls.Certificates;
import io.rustmq.broker.tls.CertifiedKey;
import io.rustmq.client.protocol.MetadataRequest;
import io.rustmq.client.protocol.MetadataResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MainTest {
    @TempDir
    static Path dir;

    static Path cert;
    static Path key;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void certificate() throws Exception {
        if (cert == null) {
            CertifiedKey k = Certificates.selfSignedServer(List.of());
            cert = k.writeCertificatePem(dir.resolve("c.pem"));
            key = k.writePrivateKeyPem(dir.resolve("k.pem"));
        }
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void parsesEveryOption() throws Exception {
        Path logDir = dir.resolve("logs");
        Main.Options o = Main.parse(new String[] {"--port", "0", "--host", "127.0.0.1", "--topic", "orders:3",
                "--topic=events:1", "--auto-create-topics", "--default-partitions", "4", "--broker-id", "b1",
                "--cert", cert.toString(), "--key", key.toString(), "--client-ca", cert.toString(),
                "--max-request-bytes", "2048", "--retention-bytes", "64MiB", "--retention-ms", "3600000",
                "--topic-retention-bytes", "orders=1KiB", "--topic-retention-ms", "events=5000",
                "--log-dir", logDir.toString(), "--stats-interval", "5m"});
        assertThat(o.help()).isFalse();
        assertThat(o.version()).isFalse();
        try (EmbeddedBroker b = o.builder().build()) {
            assertThat(b.topics()).containsEntry("orders", 3).containsEntry("events", 1);
            assertThat(b.brokerId()).isEqualTo("b1");
            assertThat(b.topicRegistry().defaultRetention()).isEqualTo(new RetentionPolicy(64L << 20, 3_600_000));
            assertThat(b.topicRegistry().retention("orders")).isEqualTo(new RetentionPolicy(1024, 3_600_000));
            assertThat(b.topicRegistry().retention("events")).isEqualTo(new RetentionPolicy(64L << 20, 5000));
            assertThat(b.logDir()).isEqualTo(logDir);
            assertThat(b.statsInterval()).isEqualTo(Duration.ofMinutes(5));
        }
    }

    @Test
    void defaultsAreTheDocumentedOnes() throws Exception {
        try (EmbeddedBroker b = Main.parse(new String[0]).builder().build()) {
            assertThat(b.topicRegistry().defaultRetention()).isEqualTo(RetentionPolicy.DEFAULT);
            assertThat(b.logDir()).isNull();
            assertThat(b.statsInterval()).isEqualTo(Main.DEFAULT_STATS_INTERVAL);
            assertThat(b.toString()).contains("broker-0");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-1|-1", "1000|1000", "2KiB|2048", "3 MiB|3145728", "1GiB|1073741824", "7B|7"})
    void sizesTakeBinarySuffixes(String text, long bytes) {
        assertThat(new Main.SizeConverter().convert(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0|PT0S", "250ms|PT0.25S", "30s|PT30S", "5m|PT5M", "2h|PT2H",
        "PT1M30S|PT1M30S", "pt10s|PT10S"})
    void durationsTakeShortUnitsOrIso(String text, String iso) {
        assertThat(new Main.DurationConverter().convert(text)).isEqualTo(Duration.parse(iso));
    }

    @Test
    void helpAndVersionAreGeneratedAndExitZero() throws Exception {
        assertThat(Main.parse(new String[] {"--port", "1", "--help"}).help()).isTrue();
        assertThat(Main.parse(new String[] {"-h"}).help()).isTrue();
        assertThat(Main.parse(new String[] {"-V"}).version()).isTrue();
        assertThat(Main.run(new String[] {"--help"}, out, err, false)).isZero();
        assertThat(out()).startsWith("Usage: java -jar rustmq-embedded-broker.jar [OPTIONS]")
                .contains("--topic=NAME:PARTITIONS", "--retention-bytes=SIZE", "--retention-ms=MS",
                        "--topic-retention-bytes=NAME=SIZE", "--log-dir=DIR", "--stats-interval=DURATION",
                        "--version", "Exit codes:", "2   bad arguments");
        assertThat(err()).isEmpty();
        outBytes.reset();
        assertThat(Main.run(new String[] {"--version"}, out, err, false)).isZero();
        assertThat(out()).matches("(?s)rustmq-embedded-broker \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"
                + "Java .*");
        assertThat(err()).isEmpty();
    }

    /** Every usage error, with its message: picocli's for syntax, the option's name and the field's for values. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--bogus|Unknown option: '--bogus'",
        "positional|Unmatched argument at index 0: 'positional'",
        "--port|Missing required parameter for option '--port' (PORT)",
        "--port --host x|Expected parameter for option '--port' but found '--host'",
        "--port x|Invalid value for option '--port': 'x' is not an int",
        "--port 70000|--port: port must be 0 to 65535, got 70000",
        "--host ' '|--host: host must not be blank",
        "--broker-id ' '|--broker-id: brokerId must not be blank",
        "--topic orders|--topic expects NAME:PARTITIONS, got 'orders'",
        "--topic :3|--topic expects NAME:PARTITIONS, got ':3'",
        "--topic orders:x|--topic expects a number, got 'x'",
        "--topic orders:0|--topic: topic 'orders' partitions must be 1 to 10000, got 0",
        "--auto-create-topics=yes|Invalid value for option '--auto-create-topics': 'yes' is not a boolean",
        "--default-partitions 0|--default-partitions: defaultPartitions must be 1 to 10000, got 0",
        "--cert /nonexistent.pem --key /nonexistent.pem|--cert: /nonexistent.pem is not a readable file",
        "--client-ca /nonexistent.pem|--client-ca: /nonexistent.pem is not a readable file",
        "--max-request-bytes 3|--max-request-bytes: maxRequestBytes must be at least 9, got 3",
        "--retention-bytes 0|--retention-bytes: retentionBytes must be positive bytes or -1 for unlimited, got 0",
        "--retention-bytes 12XB|Invalid value for option '--retention-bytes': '12XB' is not a size: use bytes, or a"
            + " number with KiB, MiB or GiB",
        "--retention-bytes 99999999999GiB|Invalid value for option '--retention-bytes': '99999999999GiB' is too"
            + " large",
        "--retention-ms 0|--retention-ms: retentionMs must be positive milliseconds or -1 for unlimited, got 0",
        "--retention-ms soon|Invalid value for option '--retention-ms': 'soon' is not a long",
        "--topic-retention-bytes orders=0|--topic-retention-bytes: topicRetentionBytes must be positive bytes or -1"
            + " for unlimited, got 0",
        "--topic-retention-bytes orders=lots|--topic-retention-bytes orders: 'lots' is not a size: use bytes, or a"
            + " number with KiB, MiB or GiB",
        "--topic-retention-bytes orders|--topic-retention-bytes expects NAME=SIZE, got 'orders'",
        "--topic-retention-ms =5|--topic-retention-ms expects NAME=MS, got '=5'",
        "--topic-retention-ms orders=-3|--topic-retention-ms: topicRetentionMs must be positive milliseconds or -1"
            + " for unlimited, got -3",
        "--topic-retention-ms orders=x|--topic-retention-ms orders expects a number, got 'x'",
        "--stats-interval soon|Invalid value for option '--stats-interval': 'soon' is not a duration: use 0, 500ms,"
            + " 30s, 5m, 1h or ISO-8601 such as PT30S",
        "--stats-interval -PT1S|--stats-interval: statsInterval must be zero or positive, got PT-1S",
        "--log-dir|Missing required parameter for option '--log-dir' (DIR)"})
    void badArgumentsAreUsageErrorsThatNameTheOption(String args, String message) {
        String[] argv = args.contains("' '") ? args.replace("' '", "").trim().split(" ") : args.split(" ");
        if (args.contains("' '")) {
            argv = List.of(argv[0], " ").toArray(String[]::new);
        }
        String[] finalArgv = argv;
        assertThatThrownBy(() -> Main.parse(finalArgv)).isInstanceOf(Main.UsageException.class).hasMessage(message);
        assertThat(Main.run(argv, out, err, false)).isEqualTo(Main.EXIT_USAGE);
        assertThat(err()).startsWith("error: " + message + System.lineSeparator()).contains("Usage:");
        assertThat(out()).isEmpty();
    }

    @Test
    void certAndKeyComeTogetherAndTheLogDirMustBeADirectory() {
        assertThatThrownBy(() -> Main.parse(new String[] {"--cert", cert.toString()}))
                .hasMessage("--cert needs --key");
        assertThatThrownBy(() -> Main.parse(new String[] {"--key", key.toString()}))
                .hasMessage("--key needs --cert");
        assertThatThrownBy(() -> Main.parse(new String[] {"--cert", cert.toString(), "--key", "/nonexistent.pem"}))
                .hasMessage("--key: /nonexistent.pem is not a readable file");
        assertThatThrownBy(() -> Main.parse(new String[] {"--log-dir", cert.toString()}))
                .hasMessage("--log-dir: " + cert + " is not a directory");
    }

    @Test
    void startsOnPortZeroAndPrintsTheReadyLineWithTheRealPort() throws Exception {
        EmbeddedBroker broker = Main.launch(Main.parse(new String[] {"--port", "0", "--topic", "orders:2"}), out);
        try {
            List<String> lines = out().lines().toList();
            assertThat(lines.stream().filter(l -> l.startsWith(Main.READY_PREFIX))).hasSize(1);
            assertThat(lines.get(lines.size() - 1)).isEqualTo(Main.READY_PREFIX + "127.0.0.1:"
                    + broker.address().getPort());
            Matcher pem = Pattern.compile("PEM \\(trust it as a CA\\): (.+)").matcher(out());
            assertThat(pem.find()).isTrue();
            assertThat(Path.of(pem.group(1))).isEqualTo(broker.certificatePem()).exists();
            assertThat(out()).contains(broker.fingerprintSha256());
            try (QuicTestClient c = QuicTestClient.connect(broker.address(), Path.of(pem.group(1)), null)) {
                MetadataResponse m = (MetadataResponse) c.request(new MetadataRequest(List.of()));
                assertThat(m.topicsMetadata()).hasSize(1);
            }
        } finally {
            broker.close();
        }
    }

    @Test
    void aStartFailureExitsWithCodeOne() {
        try (EmbeddedBroker taken = EmbeddedBroker.builder().port(0).build().start()) {
            String port = Integer.toString(taken.address().getPort());
            assertThat(Main.run(new String[] {"--port", port}, out, err, false)).isEqualTo(Main.EXIT_START_FAILED);
            assertThat(err()).startsWith("error: ").contains(port);
        }
    }

    @Test
    void onlyMainUsesPicocliSoLibraryUsersNeverLoadIt() throws Exception {
        Path classes = Path.of(EmbeddedBroker.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(classes)) {
            List<String> users = files.filter(f -> f.toString().endsWith(".class")).filter(f -> {
                try {
                    return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains("picocli/");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(f -> classes.relativize(f).toString()).toList();
            assertThat(users).isNotEmpty().allMatch(n -> n.matches("io/rustmq/broker/Main(\\$.*)?\\.class"));
        }
    }
}
