package io.rustmq.broker;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an embedded broker from the command line until the process is stopped (SIGTERM or SIGINT close it cleanly):
 *
 * <pre>
 * java -jar rustmq-embedded-broker.jar --port 9092 [--host 127.0.0.1] [--topic NAME:PARTITIONS]...
 *     [--auto-create-topics] [--cert PEM --key PEM] [--client-ca PEM]
 * </pre>
 *
 * When ready it prints exactly one line {@code RustMQ embedded broker listening on HOST:PORT}. Bad arguments print
 * the usage on stderr and exit with code 2; a failed start exits with code 1.
 */
public final class Main {
    /** Exit code for bad arguments. */
    public static final int EXIT_USAGE = 2;
    /** Exit code for a broker that could not start. */
    public static final int EXIT_START_FAILED = 1;
    /** The start of the line printed once the broker is listening. */
    public static final String READY_PREFIX = "RustMQ embedded broker listening on ";

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar rustmq-embedded-broker.jar [options]",
            "",
            "Runs an in-memory RustMQ broker speaking the QUIC wire protocol (ALPN \"rustmq\").",
            "",
            "Options:",
            "  --port PORT              UDP port to listen on, 0 for any free port (default 9092)",
            "  --host HOST              host or IP to bind (default 127.0.0.1; 0.0.0.0 for all interfaces)",
            "  --broker-id ID           broker id reported to clients (default broker-0)",
            "  --topic NAME:PARTITIONS  create a topic at start; repeatable",
            "  --auto-create-topics     create unknown topics on Produce and JoinGroup",
            "  --default-partitions N   partitions of auto-created topics (default 1)",
            "  --cert PEM --key PEM     serve this certificate chain and private key",
            "                           (default: a generated self-signed certificate)",
            "  --client-ca PEM          require client certificates signed by these CAs (mutual TLS)",
            "  --max-request-bytes N    largest request frame accepted (default 1048576)",
            "  --help                   print this help and exit");

    private Main() {
    }

    /** Thrown by {@link #parse} for arguments that cannot be used; the message says which and why. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * Parsed command-line options.
     *
     * @param help {@code --help} was given
     * @param builder the broker configuration (null when {@code help})
     */
    record Options(boolean help, EmbeddedBroker.Builder builder) {
    }

    /**
     * Runs the broker; returns only on bad arguments or a failed start (exit code), or after {@code --help}.
     *
     * @param args the command-line arguments
     */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err, true);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Parses the arguments, starts the broker and, if {@code block}, waits until the JVM shuts down.
     *
     * @return 0 after {@code --help} (or after start when not blocking), {@link #EXIT_USAGE} or
     *     {@link #EXIT_START_FAILED}
     */
    static int run(String[] args, PrintStream out, PrintStream err, boolean block) {
        Options options;
        try {
            options = parse(args);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println();
            err.println(USAGE);
            return EXIT_USAGE;
        }
        if (options.help()) {
            out.println(USAGE);
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
     * @param options parsed options, not {@code help}
     * @param out where to print
     * @return the running broker
     * @throws IllegalArgumentException if the PEM files are unusable
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
     * @throws UsageException for an unknown option, a missing or bad value, or {@code --cert} without
     *     {@code --key} (or the reverse)
     */
    static Options parse(String[] args) throws UsageException {
        EmbeddedBroker.Builder b = EmbeddedBroker.builder();
        Path cert = null;
        Path key = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a;
            String inline = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                inline = a.substring(eq + 1);
            }
            try {
                switch (name) {
                    case "--help":
                    case "-h":
                        return new Options(true, null);
                    case "--auto-create-topics":
                        if (inline != null) {
                            throw new UsageException("--auto-create-topics takes no value");
                        }
                        b.autoCreateTopics(true);
                        break;
                    case "--port":
                        b.port(integer(name, inline != null ? inline : value(args, ++i, name)));
                        break;
                    case "--host":
                        b.host(inline != null ? inline : value(args, ++i, name));
                        break;
                    case "--broker-id":
                        b.brokerId(inline != null ? inline : value(args, ++i, name));
                        break;
                    case "--topic": {
                        String v = inline != null ? inline : value(args, ++i, name);
                        int colon = v.lastIndexOf(':');
                        if (colon <= 0 || colon == v.length() - 1) {
                            throw new UsageException("--topic expects NAME:PARTITIONS, got '" + v + "'");
                        }
                        b.topic(v.substring(0, colon), integer(name, v.substring(colon + 1)));
                        break;
                    }
                    case "--default-partitions":
                        b.defaultPartitions(integer(name, inline != null ? inline : value(args, ++i, name)));
                        break;
                    case "--cert":
                        cert = readableFile(name, inline != null ? inline : value(args, ++i, name));
                        break;
                    case "--key":
                        key = readableFile(name, inline != null ? inline : value(args, ++i, name));
                        break;
                    case "--client-ca":
                        b.clientCa(readableFile(name, inline != null ? inline : value(args, ++i, name)));
                        break;
                    case "--max-request-bytes":
                        b.maxRequestBytes(integer(name, inline != null ? inline : value(args, ++i, name)));
                        break;
                    default:
                        throw new UsageException("unknown argument '" + a + "'");
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException(name + ": " + e.getMessage());
            }
        }
        if ((cert == null) != (key == null)) {
            throw new UsageException(cert == null ? "--key needs --cert" : "--cert needs --key");
        }
        if (cert != null) {
            b.certificate(cert, key);
        }
        return new Options(false, b);
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static Path readableFile(String option, String text) throws UsageException {
        Path p = Path.of(text);
        if (!Files.isReadable(p) || Files.isDirectory(p)) {
            throw new UsageException(option + ": " + text + " is not a readable file");
        }
        return p;
    }

    private static int integer(String option, String text) throws UsageException {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " expects a number, got '" + text + "'");
        }
    }
}
