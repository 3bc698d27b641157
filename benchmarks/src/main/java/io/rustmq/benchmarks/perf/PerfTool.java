package io.rustmq.benchmarks.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rustmq.benchmarks.transport.TransportPerf;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.ProducerConfig;
import io.rustmq.client.compression.Compression;
import io.rustmq.client.producer.AckLevel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code rustmq-perf}: producer, consumer, latency and transport performance, in the manner of Kafka's
 * {@code kafka-producer-perf-test} and {@code kafka-consumer-perf-test}. See {@link #USAGE}.
 */
public final class PerfTool {
    /** Exit code for a bad command line. */
    public static final int EXIT_USAGE = 2;
    /** Default bound of payload bytes sent but not yet acknowledged. */
    static final int DEFAULT_BUFFER = 2 << 20;

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar rustmq-benchmarks.jar MODE [options]",
            "",
            "Modes:",
            "  produce    send --messages records of --size bytes as fast as allowed (or at --rate)",
            "  consume    read --messages records with a new group from the earliest offset, acking each",
            "  latency    send at a fixed --rate; latency send->ack (default) or, with --e2e, send->consumer poll",
            "  transport  raw QUIC ceiling with Netty's incubator codec: one-way MB/s, request/response rt/s",
            "             (32 in flight, and 1 in flight)",
            "  all        transport + produce 100 B + produce 1 KiB + consume + latency at 10,000/s, with a table",
            "  jmh        JMH micro-benchmarks (codec, compression): any JMH arguments follow, e.g. -prof gc",
            "",
            "Where (produce, consume, latency, all):",
            "  --brokers H:P[,H:P]    external brokers, with --insecure (no certificate check) or --ca PEM",
            "  --embedded             start an embedded broker in a separate JVM (default without --brokers);",
            "                         it is trusted through the self-signed certificate it prints",
            "  --partitions N         partitions of the topics created on the embedded broker (default 1)",
            "  --broker-jvm-opts S    JVM options of the embedded broker, e.g. \"-Xmx4g -XX:+UseParallelGC\"",
            "Common:",
            "  --topic T              topic (default rustmq-perf-<mode>)",
            "  --messages N           records to send or read (k and m suffixes: 500k, 2m)",
            "  --size S               payload bytes per record (default 100; k suffix = 1024)",
            "  --timeout SECONDS      time limit of each measured phase (default 120): a run stops by itself",
            "  --json FILE            also write the summary as JSON",
            "Producer (produce, latency, all):",
            "  --acks none|leader|majority|all   (default: ProducerConfig's, all)",
            "  --batch-size N         most records per Produce request (default 100)",
            "  --batch-bytes B        most record bytes per request (default 512k)",
            "  --linger MS            linger time (default 5; latency mode: 0)",
            "  --compression none|lz4|zstd|gzip  (values of 1 KiB or more are compressed)",
            "  --idempotent true|false  (default: ProducerConfig's, true)",
            "  --max-in-flight N      Produce requests in flight per partition (default 5; at most 5 when idempotent)",
            "  --rate R               records per second (default: unlimited; latency: 10000)",
            "  --buffer-memory B      most payload bytes the tool keeps sent but not yet acknowledged (default 2m;",
            "                         32m, Kafka's buffer.memory, queues 335k 100 B records and measures",
            "                         queueing and GC rather than the client)",
            "  --warmup-messages N    records sent before measuring (default 0; latency: 20k; all: 1m)",
            "Consumer (consume, latency --e2e):",
            "  --group G              consumer group (default: a new random one)",
            "  --fetch-size N         records buffered per partition (default 100)",
            "  --max-fetch-bytes B    max_bytes of each Fetch (default 1m)",
            "  --poll-interval MS     wait after an empty fetch (default 100; latency --e2e: 1)",
            "  --prefill              produce --messages records first (implied with --embedded)",
            "Transport (transport, all):",
            "  --duration SECONDS     measured seconds of each transport test (default 5)",
            "  --warmup SECONDS       warm-up seconds of each transport test (default 2)",
            "  --write-size B         one-way write size (default 64k)",
            "  --request-size B       request/response size (default 100)",
            "  --in-flight N          streams in flight for request/response (default 32)",
            "All:",
            "  --messages N           records of the 100 B produce and consume tests (default 2m)",
            "  --messages-1k N        records of the 1 KiB produce test (default 300k)",
            "  --latency-messages N   records of the latency test at 10,000/s (default 100k)");

    private static final Set<String> VALUE_OPTIONS = Set.of("brokers", "ca", "partitions", "broker-jvm-opts",
            "topic", "messages", "size", "timeout", "json", "acks", "batch-size", "batch-bytes", "linger",
            "compression", "idempotent", "max-in-flight", "rate", "buffer-memory", "warmup-messages", "group", "fetch-size", "max-fetch-bytes",
            "poll-interval", "duration", "warmup", "write-size", "request-size", "in-flight", "messages-1k",
            "latency-messages", "server-jvm-opts");
    private static final Set<String> FLAGS = Set.of("insecure", "embedded", "prefill", "e2e", "help");
    private static final List<String> ACKS = List.of("none", "leader", "majority", "all");
    private static final List<String> CODECS = List.of("none", "lz4", "zstd", "gzip");

    private PerfTool() {
    }

    /**
     * The usage text.
     *
     * @return it
     */
    public static String usage() {
        return USAGE;
    }

    /**
     * Runs a mode.
     *
     * @param mode produce, consume, latency, transport or all
     * @param args the options
     * @param out where results go
     * @param err where errors go
     * @return the exit code: 0, 1 for a failed run (errors or time limit), {@link #EXIT_USAGE}
     */
    public static int run(String mode, String[] args, PrintStream out, PrintStream err) {
        Args a;
        try {
            a = Args.parse(args, VALUE_OPTIONS, FLAGS);
            if (a.flag("help")) {
                out.println(USAGE);
                return 0;
            }
            if (!a.positional().isEmpty()) {
                throw new Args.UsageException("unexpected argument '" + a.positional().get(0) + "'");
            }
            switch (mode) {
                case "produce": return produce(a, out);
                case "consume": return consume(a, out);
                case "latency": return latency(a, out);
                case "transport": return transport(a, out);
                case "all": return all(a, out);
                default: throw new Args.UsageException("unknown mode '" + mode + "'");
            }
        } catch (Args.UsageException e) {
            err.println("error: " + e.getMessage());
            err.println("(java -jar rustmq-benchmarks.jar --help lists the modes and options)");
            return EXIT_USAGE;
        } catch (Exception e) {
            err.println("error: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    // ---- options to configurations ----

    static ProducerConfig producerConfig(Args a, Duration defaultLinger) {
        String codec = a.choice("compression", "none", CODECS);
        ProducerConfig.Builder b = ProducerConfig.builder();
        if (!codec.equals("none")) {
            b.compression(Compression.fromHeaderValue(codec));
        }
        if (a.has("idempotent")) {
            b.idempotent(Boolean.parseBoolean(a.choice("idempotent", "true", List.of("true", "false"))));
        }
        if (a.has("max-in-flight")) {
            b.maxInFlightPerPartition((int) a.count("max-in-flight", 1, 1));
        }
        if (a.has("acks")) {
            b.ackLevel(acks(a.choice("acks", "all", ACKS)));
        }
        if (a.has("batch-size")) {
            b.batchSize((int) a.count("batch-size", 100, 1));
        }
        if (a.has("batch-bytes")) {
            b.batchBytes(a.bytes("batch-bytes", 512 * 1024, 1));
        }
        if (a.has("linger")) {
            b.lingerTime(Duration.ofMillis(a.count("linger", 5, 0)));
        } else if (defaultLinger != null) {
            b.lingerTime(defaultLinger);
        }
        return b.build();
    }

    static AckLevel acks(String name) {
        switch (name) {
            case "none": return AckLevel.NONE;
            case "leader": return AckLevel.LEADER;
            case "majority": return AckLevel.MAJORITY;
            default: return AckLevel.ALL;
        }
    }

    static ConsumerConfig consumerConfig(Args a, Duration defaultPollInterval) {
        ConsumerConfig.Builder b = ConsumerConfig.builder().startPosition(StartPosition.earliest());
        if (a.has("fetch-size")) {
            b.fetchSize((int) a.count("fetch-size", 100, 1));
        }
        if (a.has("max-fetch-bytes")) {
            b.maxFetchBytes(a.bytes("max-fetch-bytes", 1 << 20, 1));
        }
        if (a.has("poll-interval")) {
            b.pollInterval(Duration.ofMillis(a.count("poll-interval", 100, 1)));
        } else if (defaultPollInterval != null) {
            b.pollInterval(defaultPollInterval);
        }
        return b.build();
    }

    private static Map<String, Object> settings(String mode, Args a, Target t) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("mode", mode);
        s.put("brokers", t == null ? null : t.clientConfig().brokers());
        s.put("embeddedBroker", t != null && t.embedded());
        s.put("cores", Runtime.getRuntime().availableProcessors());
        s.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        return s;
    }

    private static Duration timeout(Args a) {
        return Duration.ofSeconds(a.count("timeout", 120, 1));
    }

    private static String defaultTopic(String mode) {
        return "rustmq-perf-" + mode + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFF);
    }

    private static void writeJson(Args a, Object value, PrintStream out) throws IOException {
        if (!a.has("json")) {
            return;
        }
        Path p = Path.of(a.string("json", ""));
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(p, m.writeValueAsString(value) + System.lineSeparator());
        out.println("summary written to " + p);
    }

    private static int exitCode(Summary s) {
        return s.errors() > 0 || s.timedOut() ? 1 : 0;
    }

    // ---- modes ----

    private static int produce(Args a, PrintStream out) throws IOException {
        String topic = a.string("topic", defaultTopic("produce"));
        ProducerConfig pc = producerConfig(a, null);
        ProduceRun.Spec spec = new ProduceRun.Spec(topic, a.count("messages", 1_000_000, 1),
                a.bytes("size", 100, 0), pc, a.decimal("rate", 0, 0), a.bytes("buffer-memory", DEFAULT_BUFFER, 1),
                a.count("warmup-messages", 0, 0), timeout(a));
        try (Target t = Target.open(a, List.of(topic), out);
             RustMQClient client = RustMQClient.create(t.clientConfig())) {
            Map<String, Object> s = settings("produce", a, t);
            s.put("topic", topic);
            s.put("size", spec.size());
            s.put("rate", spec.rate());
            s.put("bufferBytes", spec.bufferBytes());
            s.put("warmupMessages", spec.warmupMessages());
            s.put("producer", pc.toString());
            out.printf(Locale.ROOT, "producing %,d records of %d bytes to %s (%s)%n", spec.messages(), spec.size(),
                    topic, pc);
            Summary r = ProduceRun.run(client, "produce", spec, s, t.brokerProcess(), out);
            r.print(out);
            writeJson(a, r, out);
            return exitCode(r);
        }
    }

    private static int consume(Args a, PrintStream out) throws IOException {
        String topic = a.string("topic", defaultTopic("consume"));
        long n = a.count("messages", 1_000_000, 1);
        int size = a.bytes("size", 100, 0);
        String group = a.string("group", "rustmq-perf-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        ConsumerConfig cc = consumerConfig(a, null);
        try (Target t = Target.open(a, List.of(topic), out);
             RustMQClient client = RustMQClient.create(t.clientConfig())) {
            if (t.embedded() || a.flag("prefill")) {
                prefill(client, topic, n, size, out);
            }
            Map<String, Object> s = settings("consume", a, t);
            s.put("topic", topic);
            s.put("group", group);
            s.put("consumer", cc.toString());
            out.printf(Locale.ROOT, "consuming %,d records from %s as group %s (%s)%n", n, topic, group, cc);
            Summary r = ConsumeRun.run(client, topic, group, n, cc, timeout(a), s, t.brokerProcess(), out);
            r.print(out);
            writeJson(a, r, out);
            return exitCode(r);
        }
    }

    /** Fills a topic for consume tests with large batches; not measured. */
    private static void prefill(RustMQClient client, String topic, long n, int size, PrintStream out) {
        out.printf(Locale.ROOT, "prefilling %s with %,d records of %d bytes...%n", topic, n, size);
        ProducerConfig pc = ProducerConfig.builder().batchSize(2000).batchBytes(512 * 1024)
                .ackLevel(AckLevel.LEADER).build();
        Summary fill = ProduceRun.run(client, "prefill", new ProduceRun.Spec(topic, n, size, pc, 0, 64 << 20, 0,
                Duration.ofSeconds(300)), Map.of(), null, null);
        out.printf(Locale.ROOT, "prefilled %,d records in %.1f s%n", fill.records(), fill.seconds());
        if (fill.errors() > 0 || fill.timedOut()) {
            throw new IllegalStateException("prefill failed: " + fill.errors() + " errors"
                    + (fill.firstError() != null ? ", first: " + fill.firstError() : "")
                    + (fill.timedOut() ? ", time limit reached" : ""));
        }
    }

    private static int latency(Args a, PrintStream out) throws IOException {
        String topic = a.string("topic", defaultTopic("latency"));
        long n = a.count("messages", 100_000, 1);
        int size = a.bytes("size", 100, 0);
        double rate = a.decimal("rate", 10_000, 1);
        ProducerConfig pc = producerConfig(a, Duration.ZERO);
        long warmup = a.count("warmup-messages", 20_000, 0);
        try (Target t = Target.open(a, List.of(topic), out);
             RustMQClient client = RustMQClient.create(t.clientConfig())) {
            Map<String, Object> s = settings("latency", a, t);
            s.put("topic", topic);
            s.put("size", size);
            s.put("rate", rate);
            s.put("warmupMessages", warmup);
            s.put("producer", pc.toString());
            Summary r;
            if (a.flag("e2e")) {
                ConsumerConfig cc = consumerConfig(a, Duration.ofMillis(1));
                s.put("consumer", cc.toString());
                out.printf(Locale.ROOT, "end-to-end latency: %,d records of %d bytes at %,.0f/s to %s (%s; %s)%n",
                        n, size, rate, topic, pc, cc);
                r = EndToEndRun.run(client, topic, n, size, rate, warmup, pc, cc, timeout(a), s,
                        t.brokerProcess(), out);
            } else {
                out.printf(Locale.ROOT, "send->ack latency: %,d records of %d bytes at %,.0f/s to %s (%s)%n", n,
                        size, rate, topic, pc);
                r = ProduceRun.run(client, "latency", new ProduceRun.Spec(topic, n, size, pc, rate,
                        a.bytes("buffer-memory", DEFAULT_BUFFER, 1), warmup, timeout(a)), s, t.brokerProcess(), out);
            }
            r.print(out);
            writeJson(a, r, out);
            return exitCode(r);
        }
    }

    static TransportPerf.Options transportOptions(Args a) {
        return new TransportPerf.Options(a.bytes("write-size", 64 * 1024, 2), a.bytes("request-size", 100, 2),
                (int) a.count("in-flight", 32, 1), a.decimal("warmup", 2, 0), a.decimal("duration", 5, 0.1),
                Target.splitOptions(a.string("server-jvm-opts", "")));
    }

    private static int transport(Args a, PrintStream out) throws Exception {
        TransportPerf.Options o = transportOptions(a);
        out.printf(Locale.ROOT, "raw QUIC transport (Netty incubator codec): %.0f s + %.0f s warm-up per test%n",
                o.seconds(), o.warmupSeconds());
        TransportPerf.Result r = TransportPerf.run(o, out);
        r.print(out);
        writeJson(a, r, out);
        return 0;
    }

    /** The results of {@code all}, as written to JSON. */
    record AllResult(TransportPerf.Result transport, List<Summary> runs) {
    }

    private static int all(Args a, PrintStream out) throws Exception {
        long n100 = a.count("messages", 2_000_000, 1);
        long n1k = a.count("messages-1k", 300_000, 1);
        long nLatency = a.count("latency-messages", 100_000, 1);
        long warmup = a.count("warmup-messages", 1_000_000, 0);
        String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFF);
        String t100 = "rustmq-perf-100b-" + suffix;
        String t1k = "rustmq-perf-1k-" + suffix;
        String tWarm = "rustmq-perf-warmup-" + suffix;
        String tLatency = "rustmq-perf-latency-" + suffix;
        ProducerConfig pc = producerConfig(a, null);
        ProducerConfig latencyPc = producerConfig(a, Duration.ZERO);
        ConsumerConfig cc = consumerConfig(a, null);
        long buffer = a.bytes("buffer-memory", DEFAULT_BUFFER, 1);
        Duration limit = timeout(a);

        out.println("== 1/5 transport ceiling (raw QUIC, Netty incubator codec) ==");
        TransportPerf.Result transport = TransportPerf.run(transportOptions(a), out);
        transport.print(out);

        List<Summary> runs = new ArrayList<>();
        try (Target t = Target.open(a, List.of(t100, t1k, tWarm, tLatency), out);
             RustMQClient client = RustMQClient.create(t.clientConfig())) {
            Map<String, Object> base = settings("all", a, t);
            if (warmup > 0) {
                out.printf(Locale.ROOT, "warming up the client and broker JVMs with %,d records...%n", warmup);
                ProduceRun.run(client, "warmup", new ProduceRun.Spec(tWarm, warmup, 100, pc, 0, buffer, 0, limit),
                        Map.of(), null, null);
            }
            out.printf(Locale.ROOT, "== 2/5 produce %,d x 100 B (%s) ==%n", n100, pc);
            runs.add(run(client, "produce 100 B", new ProduceRun.Spec(t100, n100, 100, pc, 0, buffer, 0, limit),
                    base, t, out));
            out.printf(Locale.ROOT, "== 3/5 produce %,d x 1 KiB (%s) ==%n", n1k, pc);
            runs.add(run(client, "produce 1 KiB", new ProduceRun.Spec(t1k, n1k, 1024, pc, 0, buffer, 0, limit),
                    base, t, out));
            out.printf(Locale.ROOT, "== 4/5 consume the %,d x 100 B records (%s) ==%n", runs.get(0).records(), cc);
            Map<String, Object> cs = new LinkedHashMap<>(base);
            cs.put("consumer", cc.toString());
            Summary consume = ConsumeRun.run(client, t100, "rustmq-perf-all-" + suffix, runs.get(0).records(), cc,
                    limit, cs, t.brokerProcess(), out);
            consume = rename(consume, "consume 100 B");
            consume.print(out);
            runs.add(consume);
            out.printf(Locale.ROOT, "== 5/5 latency: %,d x 100 B at 10,000/s, send->ack (%s) ==%n", nLatency,
                    latencyPc);
            runs.add(run(client, "latency 10k/s", new ProduceRun.Spec(tLatency, nLatency, 100, latencyPc, 10_000,
                    buffer, Math.min(warmup, 20_000), limit), base, t, out));
        }
        printTable(transport, runs, out);
        writeJson(a, new AllResult(transport, runs), out);
        return runs.stream().anyMatch(s -> s.errors() > 0 || s.timedOut()) ? 1 : 0;
    }

    private static Summary run(RustMQClient client, String name, ProduceRun.Spec spec, Map<String, Object> base,
                               Target t, PrintStream out) {
        Map<String, Object> s = new LinkedHashMap<>(base);
        s.put("topic", spec.topic());
        s.put("size", spec.size());
        s.put("rate", spec.rate());
        s.put("producer", spec.config().toString());
        Summary r = ProduceRun.run(client, name, spec, s, t.brokerProcess(), out);
        r.print(out);
        return r;
    }

    private static Summary rename(Summary s, String test) {
        return new Summary(test, s.settings(), s.records(), s.bytes(), s.seconds(), s.recordsPerSec(), s.mbPerSec(),
                s.requests(), s.latency(), s.clientCpuSeconds(), s.clientCpuMicrosPerRecord(), s.clientCpuByThread(),
                s.clientCpuMicrosPerRecordExclJitGc(), s.brokerCpuSeconds(),
                s.brokerCpuMicrosPerRecord(), s.gcCount(), s.gcMillis(), s.jitMillis(), s.errors(), s.timedOut(),
                s.firstError());
    }

    static void printTable(TransportPerf.Result tr, List<Summary> runs, PrintStream out) {
        String row = "%-26s %12s %8s %9s %10s %9s %8s %8s %9s %9s %9s%n";
        out.println();
        out.printf(Locale.ROOT, row, "test", "records/s", "MB/s", "% ceil MB", "requests/s", "% ceil rt", "p50 ms",
                "p99 ms", "client", "(no JIT,", "broker");
        out.printf(Locale.ROOT, row, "", "", "", "", "", "", "", "", "us/rec", "GC) us/r", "us/rec");
        out.printf(Locale.ROOT, row, "transport one-way " + tr.options().writeSize() / 1024 + " KiB", "-",
                fmt("%.1f", tr.oneWayMBps()), "100%", "-", "-", "-", "-", "-", "-", "-");
        out.printf(Locale.ROOT, row, "transport req/resp " + tr.options().requestSize() + " B", "-", "-", "-",
                fmt("%,.0f", tr.roundTripsPerSec()), "100%", "-", "-",
                fmt("%.1f", tr.roundTrips() == 0 ? 0 : tr.rpcClientCpuSeconds() * 1e6 / tr.roundTrips()), "-", "-");
        out.printf(Locale.ROOT, row, "transport req/resp 1 in fl", "-", "-", "-",
                fmt("%,.0f", tr.serialRoundTripsPerSec()), "-", fmt("%.3f", 1e3 / tr.serialRoundTripsPerSec()), "-",
                fmt("%.1f", tr.serialClientCpuMicrosPerRoundTrip()), "-", "-");
        for (Summary s : runs) {
            double rps = s.requests() < 0 ? 0 : s.requests() / s.seconds();
            out.printf(Locale.ROOT, row, s.test(), fmt("%,.0f", s.recordsPerSec()), fmt("%.2f", s.mbPerSec()),
                    fmt("%.1f%%", 100 * s.mbPerSec() / tr.oneWayMBps()), fmt("%,.0f", rps),
                    fmt("%.1f%%", 100 * rps / tr.roundTripsPerSec()),
                    s.latency() == null ? "-" : fmt("%.2f", s.latency().p50Ms()),
                    s.latency() == null ? "-" : fmt("%.2f", s.latency().p99Ms()),
                    fmt("%.2f", s.clientCpuMicrosPerRecord()),
                    s.clientCpuMicrosPerRecordExclJitGc() < 0 ? "-" : fmt("%.2f", s.clientCpuMicrosPerRecordExclJitGc()),
                    s.brokerCpuMicrosPerRecord() < 0 ? "-" : fmt("%.2f", s.brokerCpuMicrosPerRecord()));
        }
        out.println("MB = 1,048,576 payload bytes; '% ceil' = share of the raw QUIC transport's one-way MB/s and"
                + " request/response (32 in flight) round trips/s measured above; us/rec = CPU microseconds per"
                + " record of the client process (all threads; then without its JIT-compiler and GC threads) and"
                + " of the broker process.");
    }

    private static String fmt(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }
}
