package io.rustmq.broker;

import io.rustmq.broker.storage.RetentionPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs an embedded broker from the command line until the process is stopped (SIGTERM or SIGINT close it cleanly):
 *
 * <pre>
 * java -jar rustmq-embedded-broker.jar --port 9092 [--host 127.0.0.1] [--topic NAME:PARTITIONS]...
 *     [--auto-create-topics] [--cert PEM --key PEM] [--client-ca PEM] [--retention-bytes 256MiB]
 *     [--retention-ms MS] [--log-dir DIR] [--stats-interval 60s] [--help] [--version]
 * </pre>
 *
 * The command line is parsed by picocli; no other class of this module uses it, so library users of
 * {@link EmbeddedBroker} carry its jar but never load it. When ready it prints exactly
 * one line {@code RustMQ embedded broker listening on HOST:PORT}. Exit codes: 0 after {@code --help},
 * {@code --version} or a clean stop; {@value #EXIT_USAGE} for bad arguments (the message names the option, the usage
 * follows on stderr); {@value #EXIT_START_FAILED} when the broker cannot start.
 */
public final class Main {
    /** Exit code for bad arguments. */
    public static final int EXIT_USAGE = 2;
    /** Exit code for a broker that could not start. */
    public static final int EXIT_START_FAILED = 1;
    /** The start of the line printed once the broker is listening. */
    public static final String READY_PREFIX = "RustMQ embedded broker listening on ";
    /** How often the command-line broker logs its statistics line unless {@code --stats-interval} says otherwise. */
    public static final Duration DEFAULT_STATS_INTERVAL = Duration.ofSeconds(60);

    private Main() {
    }

    /** Thrown by {@link #parse} for arguments that cannot be used; the message names the option and says why. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Parsed command-line options.
     *
     * @param help {@code --help} was given
     * @param version {@code --version} was given
     * @param builder the broker configuration (null when {@code help} or {@code version})
     */
    record Options(boolean help, boolean version, EmbeddedBroker.Builder builder) {
    }

    /** The options as picocli binds them; turned into a builder by {@link #toBuilder}. */
    @Command(name = "rustmq-embedded-broker", mixinStandardHelpOptions = true, sortOptions = false,
            versionProvider = VersionProvider.class, usageHelpWidth = 100,
            customSynopsis = "java -jar rustmq-embedded-broker.jar [OPTIONS]",
            description = {"Runs a RustMQ broker speaking the QUIC wire protocol (ALPN \"rustmq\"): in memory, bounded"
                    + " by retention, and optionally kept in a log directory so that a restart continues."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:stopped by SIGTERM or SIGINT, or after --help or --version",
                "1:the broker could not start (port taken, unusable certificate or log directory)",
                "2:bad arguments (the message names the option)"})
    static final class Cli {
        @Option(names = "--port", paramLabel = "PORT",
                description = "UDP port to listen on, 0 for any free port (default: ${DEFAULT-VALUE})")
        int port = 9092;

        @Option(names = "--host", paramLabel = "HOST",
                description = "host or IP to bind; 0.0.0.0 for all interfaces (default: ${DEFAULT-VALUE})")
        String host = "127.0.0.1";

        @Option(names = "--broker-id", paramLabel = "ID",
                description = "broker id reported to clients (default: ${DEFAULT-VALUE})")
        String brokerId = "broker-0";

        @Option(names = "--topic", paramLabel = "NAME:PARTITIONS", description = "create a topic at start; repeatable")
        List<String> topics = new ArrayList<>();

        @Option(names = "--auto-create-topics", description = "create unknown topics on Metadata, Produce and"
                + " JoinGroup")
        boolean autoCreateTopics;

        @Option(names = "--default-partitions", paramLabel = "N",
                description = "partitions of auto-created topics (default: ${DEFAULT-VALUE})")
        int defaultPartitions = 1;

        @Option(names = "--cert", paramLabel = "PEM", description = "serve this certificate chain (with --key;"
                + " default: a generated self-signed certificate)")
        String cert;

        @Option(names = "--key", paramLabel = "PEM", description = "the private key of --cert")
        String key;

        @Option(names = "--client-ca", paramLabel = "PEM",
                description = "require client certificates signed by these CAs (mutual TLS)")
        String clientCa;

        @Option(names = "--max-request-bytes", paramLabel = "N",
                description = "largest request frame accepted (default: ${DEFAULT-VALUE})")
        int maxRequestBytes = 1 << 20;

        @Option(names = "--retention-bytes", paramLabel = "SIZE", converter = SizeConverter.class,
                description = "most bytes each partition keeps, dropping the oldest records: bytes, or a number with"
                        + " KiB, MiB or GiB; -1 for unlimited (default: 256MiB)")
        long retentionBytes = RetentionPolicy.DEFAULT_MAX_BYTES;

        @Option(names = "--retention-ms", paramLabel = "MS",
                description = "drop records older than this many milliseconds; -1 for no age limit (default)")
        long retentionMs = RetentionPolicy.UNLIMITED;

        @Option(names = "--topic-retention-bytes", paramLabel = "NAME=SIZE",
                description = "one topic's own --retention-bytes; repeatable")
        List<String> topicRetentionBytes = new ArrayList<>();

        @Option(names = "--topic-retention-ms", paramLabel = "NAME=MS",
                description = "one topic's own --retention-ms; repeatable")
        List<String> topicRetentionMs = new ArrayList<>();

        @Option(names = "--log-dir", paramLabel = "DIR", description = "keep topics, records, committed offsets and"
                + " idempotence state in this directory (created if missing) and continue from it at start;"
                + " default: memory only")
        String logDir;

        @Option(names = "--stats-interval", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "how often to log the retained bytes (also logged at start): 500ms, 30s, 5m, 1h or"
                        + " ISO-8601; 0 for only at start (default: 60s)")
        Duration statsInterval = DEFAULT_STATS_INTERVAL;
    }

    /** Reads the project version written into {@code version.properties} at build time. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    throw new IOException("version.properties is missing from the jar");
                }
                p.load(in);
            }
            return new String[] {"rustmq-embedded-broker " + p.getProperty("version"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }

    /** A size in bytes: digits, optionally followed by KiB, MiB or GiB; or -1. */
    static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
        private static final Pattern SIZE = Pattern.compile("(-?\\d+)\\s*(|B|KiB|MiB|GiB)");

        @Override
        public Long convert(String value) {
            Matcher m = SIZE.matcher(value.trim());
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a size: use bytes, or a number"
                        + " with KiB, MiB or GiB");
            }
            try {
                long n = Long.parseLong(m.group(1));
                int shift = switch (m.group(2)) {
                    case "KiB" -> 10;
                    case "MiB" -> 20;
                    case "GiB" -> 30;
                    default -> 0;
                };
                if (n < 0 || shift == 0) {
                    return n;
                }
                return Math.multiplyExact(n, 1L << shift);
            } catch (ArithmeticException | NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is too large");
            }
        }
    }

    /** A duration: a number with ms, s, m or h; 0; or ISO-8601 such as PT30S. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            String v = value.trim();
            if (v.equals("0")) {
                return Duration.ZERO;
            }
            Matcher m = SHORT.matcher(v);
            try {
                if (m.matches()) {
                    long n = Long.parseLong(m.group(1));
                    return switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofHours(n);
                    };
                }
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration: use 0, 500ms, 30s,"
                        + " 5m, 1h or ISO-8601 such as PT30S");
            }
        }
    }

    /**
     * Runs the broker; returns only on bad arguments or a failed start (exit code), or after {@code --help} or
     * {@code --version}.
     *
     * @param args the command-line arguments
     */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err, true);
        if (code != 0) {
            System.exit(code);
        }
    }

    private static CommandLine commandLine(Cli cli) {
        CommandLine cl = new CommandLine(cli);
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cl.setUsageHelpLongOptionsMaxWidth(30);
        return cl;
    }

    /**
     * The usage text, as {@code --help} prints it.
     *
     * @return the text
     */
    static String usage() {
        return commandLine(new Cli()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /**
     * Parses the arguments, starts the broker and, if {@code block}, waits until the JVM shuts down.
     *
     * @return 0 after {@code --help} or {@code --version} (or after start when not blocking), {@link #EXIT_USAGE}
     *     or {@link #EXIT_START_FAILED}
     */
    static int run(String[] args, PrintStream out, PrintStream err, boolean block) {
        Options options;
        try {
            options = parse(args);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println();
            err.print(usage());
            err.flush();
            return EXIT_USAGE;
        }
        if (options.help()) {
            out.print(usage());
            out.flush();
            return 0;
        }
        if (options.version()) {
            CommandLine cl = commandLine(new Cli());
            PrintWriter w = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
            cl.printVersionHelp(w);
            w.flush();
            return 0;
        }
        EmbeddedBroker broker;
        try {
            broker = launch(options, out);
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return EXIT_START_FAILED;
        }
        if (block) {
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                broker.close();
                stopped.countDown();
            }, "rustmq-broker-shutdown"));
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                broker.close();
            }
        }
        return 0;
    }

    /**
     * Builds and starts the broker, printing the certificate details (for a generated one) and then the ready line.
     *
     * @param options parsed options, neither {@code help} nor {@code version}
     * @param out where to print
     * @return the running broker
     * @throws IllegalArgumentException if the PEM files or the log directory are unusable
     * @throws EmbeddedBrokerException if the broker cannot start
     */
    static EmbeddedBroker launch(Options options, PrintStream out) {
        EmbeddedBroker broker = options.builder().build().start();
        out.println("Server certificate SHA-256 fingerprint: " + broker.fingerprintSha256());
        out.println("Server certificate PEM (trust it as a CA): " + broker.certificatePem());
        out.println(READY_PREFIX + broker.bootstrap());
        out.flush();
        return broker;
    }

    /**
     * Parses command-line arguments.
     *
     * @param args the arguments
     * @return the options
     * @throws UsageException for an unknown option, a missing or bad value (the message names the option), or
     *     {@code --cert} without {@code --key} (or the reverse)
     */
    static Options parse(String[] args) throws UsageException {
        Cli cli = new Cli();
        CommandLine cl = commandLine(cli);
        try {
            cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new UsageException(e.getMessage(), e);
        }
        if (cl.isUsageHelpRequested()) {
            return new Options(true, false, null);
        }
        if (cl.isVersionHelpRequested()) {
            return new Options(false, true, null);
        }
        return new Options(false, false, toBuilder(cli));
    }

    /** A setter call that may refuse its value. */
    @FunctionalInterface
    private interface Setting {
        void apply() throws UsageException;
    }

    /** Applies one option; an {@link IllegalArgumentException} becomes a usage error prefixed by the option. */
    private static void option(String name, Setting setting) throws UsageException {
        try {
            setting.apply();
        } catch (IllegalArgumentException e) {
            throw new UsageException(name + ": " + e.getMessage(), e);
        }
    }

    private static EmbeddedBroker.Builder toBuilder(Cli c) throws UsageException {
        EmbeddedBroker.Builder b = EmbeddedBroker.builder();
        option("--port", () -> b.port(c.port));
        option("--host", () -> b.host(c.host));
        option("--broker-id", () -> b.brokerId(c.brokerId));
        for (String t : c.topics) {
            int colon = t.lastIndexOf(':');
            if (colon <= 0 || colon == t.length() - 1) {
                throw new UsageException("--topic expects NAME:PARTITIONS, got '" + t + "'", null);
            }
            int partitions = integer("--topic", t.substring(colon + 1));
            option("--topic", () -> b.topic(t.substring(0, colon), partitions));
        }
        b.autoCreateTopics(c.autoCreateTopics);
        option("--default-partitions", () -> b.defaultPartitions(c.defaultPartitions));
        if ((c.cert == null) != (c.key == null)) {
            throw new UsageException(c.cert == null ? "--key needs --cert" : "--cert needs --key", null);
        }
        if (c.cert != null) {
            Path cert = readableFile("--cert", c.cert);
            Path key = readableFile("--key", c.key);
            b.certificate(cert, key);
        }
        if (c.clientCa != null) {
            Path ca = readableFile("--client-ca", c.clientCa);
            b.clientCa(ca);
        }
        option("--max-request-bytes", () -> b.maxRequestBytes(c.maxRequestBytes));
        option("--retention-bytes", () -> b.retentionBytes(c.retentionBytes));
        option("--retention-ms", () -> b.retentionMs(c.retentionMs));
        SizeConverter sizes = new SizeConverter();
        for (Map.Entry<String, String> e : pairs("--topic-retention-bytes", "NAME=SIZE", c.topicRetentionBytes)
                .entrySet()) {
            option("--topic-retention-bytes", () -> {
                long bytes;
                try {
                    bytes = sizes.convert(e.getValue());
                } catch (CommandLine.TypeConversionException x) {
                    throw new UsageException("--topic-retention-bytes " + e.getKey() + ": " + x.getMessage(), x);
                }
                b.topicRetentionBytes(e.getKey(), bytes);
            });
        }
        for (Map.Entry<String, String> e : pairs("--topic-retention-ms", "NAME=MS", c.topicRetentionMs).entrySet()) {
            long ms = longValue("--topic-retention-ms " + e.getKey(), e.getValue());
            option("--topic-retention-ms", () -> b.topicRetentionMs(e.getKey(), ms));
        }
        if (c.logDir != null) {
            Path dir = Path.of(c.logDir);
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new UsageException("--log-dir: " + c.logDir + " is not a directory", null);
            }
            b.logDir(dir);
        }
        option("--stats-interval", () -> b.statsInterval(c.statsInterval));
        return b;
    }

    /** Splits NAME=VALUE arguments at their last '=' (topic names may contain '='; values never do). */
    private static Map<String, String> pairs(String option, String form, List<String> args) throws UsageException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.lastIndexOf('=');
            if (eq <= 0 || eq == a.length() - 1) {
                throw new UsageException(option + " expects " + form + ", got '" + a + "'", null);
            }
            out.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return out;
    }

    private static Path readableFile(String option, String text) throws UsageException {
        Path p = Path.of(text);
        if (!Files.isReadable(p) || Files.isDirectory(p)) {
            throw new UsageException(option + ": " + text + " is not a readable file", null);
        }
        return p;
    }

    private static int integer(String option, String text) throws UsageException {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " expects a number, got '" + text + "'", e);
        }
    }

    private static long longValue(String option, String text) throws UsageException {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " expects a number, got '" + text + "'", e);
        }
    }
}
