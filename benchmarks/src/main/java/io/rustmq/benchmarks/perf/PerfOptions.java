package io.rustmq.benchmarks.perf;

import io.rustmq.client.producer.ProducerConfig;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The options of every {@code rustmq-perf} mode, parsed by picocli. Each mode reads the ones it uses and gives the
 * rest no meaning (as before, a mode accepts them all, so one command line can be reused across modes). Values are
 * {@code null} when not given, so that each mode applies its own default. Counts accept {@code _} and {@code ,}
 * separators and the suffixes {@code k} (x1000) and {@code m} (x1,000,000); sizes accept {@code k}/{@code KiB}
 * (x1024) and {@code m}/{@code MiB}. A value that does not convert, or is out of range, is refused by picocli with a
 * message that names the option.
 */
public final class PerfOptions {
    /** A wrong combination of options, found after parsing; the message names the options. */
    public static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message what is wrong
         */
        public UsageException(String message) {
            super(message);
        }
    }

    // ---- where ----
    @Option(names = "--brokers", paramLabel = "H:P[,H:P]", description = "external brokers (with --insecure or --ca)")
    String brokers;
    @Option(names = "--insecure", description = "do not check the brokers' certificates (development only)")
    boolean insecure;
    @Option(names = "--ca", paramLabel = "PEM", description = "CA certificate that signed the brokers' certificates")
    Path ca;
    @Option(names = "--embedded", description = "start an embedded broker in a separate JVM (default without "
            + "--brokers)")
    boolean embedded;
    @Option(names = "--partitions", paramLabel = "N", converter = PositiveCount.class,
            description = "partitions of the topics created on the embedded broker (default 1)")
    Long partitions;
    @Option(names = "--broker-jvm-opts", paramLabel = "OPTS", description = "JVM options of the embedded broker, "
            + "e.g. \"-Xmx4g -XX:+UseParallelGC\" (default: G1 with a 20 ms pause goal, marking from 75 %% "
            + "occupancy, and a fixed heap touched at start: 4g with 16 GiB of memory or more, 2g with 8 GiB or more)")
    String brokerJvmOpts;
    @Option(names = "--server-jvm-opts", paramLabel = "OPTS", description = "JVM options of the raw QUIC server "
            + "(transport)")
    String serverJvmOpts;

    // ---- common ----
    @Option(names = "--topic", paramLabel = "T", description = "topic (default rustmq-perf-<mode>-<random>)")
    String topic;
    @Option(names = "--messages", paramLabel = "N", converter = PositiveCount.class,
            description = "records to send or read (k and m suffixes: 500k, 2m)")
    Long messages;
    @Option(names = "--size", paramLabel = "BYTES", converter = Size.class,
            description = "payload bytes per record (default 100; k suffix = 1024)")
    Integer size;
    @Option(names = "--timeout", paramLabel = "SECONDS", converter = PositiveCount.class,
            description = "time limit of each measured phase (default 120): a run stops by itself")
    Long timeout;
    @Option(names = "--json", paramLabel = "FILE", description = "also write the summary as JSON")
    Path json;
    @Option(names = "--report", paramLabel = "FILE.html", description = "also write a self-contained HTML report "
            + "with charts (throughput over time, latency percentiles, CPU per record)")
    Path report;
    @Option(names = "--hgrm", paramLabel = "DIR", description = "also write each latency histogram as an "
            + "HdrHistogram percentile distribution, DIR/<test>.hgrm (milliseconds)")
    Path hgrm;

    // ---- producer ----
    @Option(names = "--acks", paramLabel = "none|leader|majority|all", converter = Acks.class,
            description = "acknowledgement level (default: ProducerConfig's, all)")
    String acks;
    @Option(names = "--batch-size", paramLabel = "N", converter = PositiveCount.class,
            description = "most records per Produce request (default: ProducerConfig's, 4000)")
    Long batchSize;
    @Option(names = "--batch-bytes", paramLabel = "BYTES", converter = PositiveSize.class,
            description = "most record bytes per request (default 512k)")
    Integer batchBytes;
    @Option(names = "--linger", paramLabel = "MS", converter = Count.class,
            description = "linger time in milliseconds (default 5; latency mode: 0)")
    Long linger;
    @Option(names = "--compression", paramLabel = "none|lz4|zstd|gzip", converter = Codec.class,
            description = "compression of values of 1 KiB or more")
    String compression;
    @Option(names = "--idempotent", arity = "1", paramLabel = "true|false", converter = Bool.class,
            description = "idempotent producer (default: ProducerConfig's, true)")
    Boolean idempotent;
    @Option(names = "--max-in-flight", paramLabel = "N", converter = PositiveCount.class,
            description = "Produce requests in flight per partition (default: ProducerConfig's)")
    Long maxInFlight;
    @Option(names = "--rate", paramLabel = "R", converter = Decimal.class,
            description = "records per second (default: unlimited; latency: 10000)")
    Double rate;
    @Option(names = "--buffer-memory", paramLabel = "BYTES", converter = PositiveSize.class,
            description = "the producer's bufferMemory: most bytes buffered or in flight before send blocks "
                    + "(default: ProducerConfig's, " + (ProducerConfig.DEFAULT_BUFFER_MEMORY >> 20) + "m)")
    Integer bufferMemory;
    @Option(names = "--warmup-messages", paramLabel = "N", converter = Count.class,
            description = "records sent before measuring (default 0; latency: 20k; all: 1m, and"
                    + " at most 50k of them again at the rate before its latency phase)")
    Long warmupMessages;

    // ---- consumer ----
    @Option(names = "--group", paramLabel = "G", description = "consumer group (default: a new random one)")
    String group;
    @Option(names = "--fetch-size", paramLabel = "N", converter = PositiveCount.class,
            description = "records buffered per partition (default: ConsumerConfig's)")
    Long fetchSize;
    @Option(names = "--max-fetch-bytes", paramLabel = "BYTES", converter = PositiveSize.class,
            description = "max_bytes of each Fetch (default: ConsumerConfig's)")
    Integer maxFetchBytes;
    @Option(names = "--poll-interval", paramLabel = "MS", converter = PositiveCount.class,
            description = "wait after an empty fetch (default: ConsumerConfig's; latency --e2e: 1)")
    Long pollInterval;
    @Option(names = "--prefill", description = "produce --messages records first (implied with --embedded)")
    boolean prefill;
    @Option(names = "--e2e", description = "latency: measure send -> consumer poll instead of send -> ack")
    boolean e2e;

    // ---- transport ----
    @Option(names = "--duration", paramLabel = "SECONDS", converter = Decimal.class,
            description = "measured seconds of each transport test (default 5, at least 0.1)")
    Double duration;
    @Option(names = "--warmup", paramLabel = "SECONDS", converter = Decimal.class,
            description = "warm-up seconds of each transport test (default 2)")
    Double warmup;
    @Option(names = "--write-size", paramLabel = "BYTES", converter = Size.class,
            description = "one-way write size (default 64k, at least 2)")
    Integer writeSize;
    @Option(names = "--request-size", paramLabel = "BYTES", converter = Size.class,
            description = "request/response size (default 100, at least 2)")
    Integer requestSize;
    @Option(names = "--in-flight", paramLabel = "N", converter = PositiveCount.class,
            description = "streams in flight for request/response (default 32)")
    Long inFlight;

    // ---- all ----
    @Option(names = "--messages-1k", paramLabel = "N", converter = PositiveCount.class,
            description = "all: records of the 1 KiB produce test (default 300k)")
    Long messages1k;
    @Option(names = "--latency-messages", paramLabel = "N", converter = PositiveCount.class,
            description = "all: records of the latency test at 10,000/s (default 100k)")
    Long latencyMessages;

    /** Creates the options with nothing given (picocli fills them in). */
    public PerfOptions() {
    }

    static <T> T or(T value, T def) {
        return value != null ? value : def;
    }

    /**
     * A value checked against a lower bound after its mode's default was applied.
     *
     * @param option the option's name, with dashes
     * @param value the value
     * @param min the smallest accepted value
     * @return the value
     * @throws UsageException if it is below {@code min}
     */
    static double atLeast(String option, double value, double min) {
        if (!(value >= min)) {
            throw new UsageException(option + " must be at least " + fmt(min) + ", got " + fmt(value));
        }
        return value;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    // ---- converters: picocli prefixes their messages with "Invalid value for option '--name': " ----

    static long parseScaled(String text, long unit) {
        String s = text.trim().replace("_", "").replace(",", "").toLowerCase(Locale.ROOT);
        long scale = 1;
        if (s.endsWith("kib") || s.endsWith("kb")) {
            scale = unit;
            s = s.substring(0, s.length() - (s.endsWith("kib") ? 3 : 2));
        } else if (s.endsWith("mib") || s.endsWith("mb")) {
            scale = unit * unit;
            s = s.substring(0, s.length() - (s.endsWith("mib") ? 3 : 2));
        } else if (s.endsWith("k")) {
            scale = unit;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            scale = unit * unit;
            s = s.substring(0, s.length() - 1);
        }
        try {
            return Math.multiplyExact(Long.parseLong(s), scale);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TypeConversionException("expected a whole number (optionally with k or m), got '" + text
                    + "'");
        }
    }

    /** A count of at least 0. */
    static class Count implements ITypeConverter<Long> {
        long min() {
            return 0;
        }

        @Override
        public Long convert(String value) {
            long n = parseScaled(value, 1000);
            if (n < min()) {
                throw new TypeConversionException("must be at least " + min() + ", got '" + value + "'");
            }
            return n;
        }
    }

    /** A count of at least 1. */
    static final class PositiveCount extends Count {
        @Override
        long min() {
            return 1;
        }
    }

    /** A size in bytes from 0 to 2^31-1. */
    static class Size implements ITypeConverter<Integer> {
        int min() {
            return 0;
        }

        @Override
        public Integer convert(String value) {
            long n = parseScaled(value, 1024);
            if (n < min() || n > Integer.MAX_VALUE) {
                throw new TypeConversionException("must be between " + min() + " and " + Integer.MAX_VALUE
                        + " bytes, got '" + value + "'");
            }
            return (int) n;
        }
    }

    /** A size in bytes from 1 to 2^31-1. */
    static final class PositiveSize extends Size {
        @Override
        int min() {
            return 1;
        }
    }

    /** A decimal number of at least 0. */
    static final class Decimal implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double d;
            try {
                d = Double.parseDouble(value.replace("_", "").replace(",", ""));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected a number, got '" + value + "'");
            }
            if (!(d >= 0) || Double.isInfinite(d)) {
                throw new TypeConversionException("must be a finite number of at least 0, got '" + value + "'");
            }
            return d;
        }
    }

    /** One word of a fixed set, case-insensitive, returned in lower case. */
    abstract static class Choice implements ITypeConverter<String> {
        abstract String[] words();

        @Override
        public String convert(String value) {
            String lower = value.toLowerCase(Locale.ROOT);
            for (String w : words()) {
                if (w.equals(lower)) {
                    return lower;
                }
            }
            throw new TypeConversionException("must be one of " + String.join("|", words()) + ", got '" + value
                    + "'");
        }
    }

    /** An acknowledgement level. */
    static final class Acks extends Choice {
        @Override
        String[] words() {
            return new String[] {"none", "leader", "majority", "all"};
        }
    }

    /** A compression codec. */
    static final class Codec extends Choice {
        @Override
        String[] words() {
            return new String[] {"none", "lz4", "zstd", "gzip"};
        }
    }

    /** {@code true} or {@code false}, nothing else. */
    static final class Bool implements ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            String lower = value.toLowerCase(Locale.ROOT);
            if (lower.equals("true") || lower.equals("false")) {
                return Boolean.valueOf(lower);
            }
            throw new TypeConversionException("must be one of true|false, got '" + value + "'");
        }
    }
}
