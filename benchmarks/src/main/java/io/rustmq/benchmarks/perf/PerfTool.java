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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code rustmq-perf}: producer, consumer, latency and transport performance, in the manner of Kafka's
 * {@code kafka-producer-perf-test} and {@code kafka-consumer-perf-test}, with an HTML report of each run and a
 * comparison of saved runs. The command line is parsed by picocli: {@code --help} and {@code --version} on the tool
 * and on every mode; exit codes {@link #EXIT_OK}, {@link #EXIT_FAILED_RUN}, {@link #EXIT_USAGE}.
 */
@Command(name = "rustmq-perf", mixinStandardHelpOptions = true, versionProvider = PerfTool.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "RustMQ performance tool: producer, consumer, latency and raw transport measurements, "
                + "against an embedded broker in its own JVM (default) or running brokers.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0  the run completed without errors",
                  "  1  the run failed (send errors, time limit reached, or an unexpected error)",
                  "  2  bad command line (the message names the option)",
                  "",
                  "'java -jar rustmq-benchmarks.jar jmh ...' runs the JMH micro-benchmarks instead."})
public final class PerfTool {
    /** Exit code of a run that completed without errors. */
    public static final int EXIT_OK = 0;
    /** Exit code of a failed run: errors, the time limit, or an unexpected exception. */
    public static final int EXIT_FAILED_RUN = 1;
    /** Exit code for a bad command line. */
    public static final int EXIT_USAGE = 2;

    private final PrintStream out;

    private PerfTool(PrintStream out) {
        this.out = out;
    }

    /** The tool's version: the jar's {@code Implementation-Version}, or "development build" outside a jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PerfTool.class.getPackage().getImplementationVersion();
            return new String[] {"rustmq-perf " + (v != null ? v : "(development build)"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }

    /**
     * The picocli command line of the tool, writing results to {@code out} and messages to {@code err}.
     *
     * @param out where results, help and version go
     * @param err where errors go
     * @return the command line, ready to {@code execute}
     */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new PerfTool(out));
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter w = ex.getCommandLine().getErr();
            w.println("error: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, w);
            w.println("(" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help lists the options)");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter w = commandLine.getErr();
            if (ex instanceof PerfOptions.UsageException) {
                w.println("error: " + ex.getMessage());
                w.println("(" + commandLine.getCommandSpec().qualifiedName() + " --help lists the options)");
                return EXIT_USAGE;
            }
            w.println("error: " + ex);
            ex.printStackTrace(w);
            return EXIT_FAILED_RUN;
        });
        return cl;
    }

    /**
     * Runs the tool.
     *
     * @param args the mode, then its options
     * @param out where results go
     * @param err where errors go
     * @return the exit code: {@link #EXIT_OK}, {@link #EXIT_FAILED_RUN} or {@link #EXIT_USAGE}
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            commandLine(out, err).usage(err);
            return EXIT_USAGE;
        }
        return commandLine(out, err).execute(args);
    }

    /**
     * The usage text.
     *
     * @return it
     */
    public static String usage() {
        return commandLine(System.out, System.err).getUsageMessage();
    }

    // ---- the modes as picocli subcommands ----

    @Command(name = "produce", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Send --messages records of --size bytes as fast as allowed (or at --rate); latency is "
                    + "send -> acknowledgement.")
    int produceCommand(@Mixin PerfOptions o) throws IOException {
        return produce(o, out);
    }

    @Command(name = "consume", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Read --messages records with a new group from the earliest offset, acking each.")
    int consumeCommand(@Mixin PerfOptions o) throws IOException {
        return consume(o, out);
    }

    @Command(name = "latency", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Send at a fixed --rate (open loop); latency send -> ack (default) or, with --e2e, "
                    + "send -> consumer poll.")
    int latencyCommand(@Mixin PerfOptions o) throws IOException {
        return latency(o, out);
    }

    @Command(name = "transport", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Raw QUIC ceiling with Netty's incubator codec: one-way MB/s, request/response round "
                    + "trips/s (32 in flight, and 1 in flight).")
    int transportCommand(@Mixin PerfOptions o) throws Exception {
        return transport(o, out);
    }

    @Command(name = "all", mixinStandardHelpOptions = true, sortOptions = false,
            description = "transport + produce 100 B + produce 1 KiB + consume + latency at 10,000/s, with a table.")
    int allCommand(@Mixin PerfOptions o) throws Exception {
        return all(o, out);
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Draw saved runs (--json files of any mode) side by side in one self-contained HTML page.")
    int reportCommand(@Parameters(arity = "1..*", paramLabel = "RUN.json",
                              description = "summaries written with --json") List<Path> runs,
                      @Option(names = "--out", required = true, paramLabel = "FILE.html",
                              description = "the page to write") Path page) throws IOException {
        List<HtmlReport.Run> loaded = new ArrayList<>();
        for (Path p : runs) {
            loaded.addAll(HtmlReport.load(p));
        }
        HtmlReport.write(page, "rustmq-perf: " + runs.size() + " saved run" + (runs.size() == 1 ? "" : "s"),
                loaded);
        out.println("report written to " + page);
        return EXIT_OK;
    }

    // ---- options to configurations ----

    static ProducerConfig producerConfig(PerfOptions a, Duration defaultLinger) {
        String codec = PerfOptions.or(a.compression, "none");
        ProducerConfig.Builder b = ProducerConfig.builder();
        if (!codec.equals("none")) {
            b.compression(Compression.fromHeaderValue(codec));
        }
        if (a.idempotent != null) {
            b.idempotent(a.idempotent);
        }
        if (a.maxInFlight != null) {
            b.maxInFlightPerPartition(a.maxInFlight.intValue());
        }
        if (a.acks != null) {
            b.ackLevel(acks(a.acks));
        }
        if (a.batchSize != null) {
            b.batchSize(a.batchSize.intValue());
        }
        if (a.batchBytes != null) {
            b.batchBytes(a.batchBytes);
        }
        if (a.bufferMemory != null) {
            b.bufferMemory(a.bufferMemory);
        }
        if (a.linger != null) {
            b.lingerTime(Duration.ofMillis(a.linger));
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

    static ConsumerConfig consumerConfig(PerfOptions a, Duration defaultPollInterval) {
        ConsumerConfig.Builder b = ConsumerConfig.builder().startPosition(StartPosition.earliest());
        if (a.fetchSize != null) {
            b.fetchSize(a.fetchSize.intValue());
        }
        if (a.maxFetchBytes != null) {
            b.maxFetchBytes(a.maxFetchBytes);
        }
        if (a.pollInterval != null) {
            b.pollInterval(Duration.ofMillis(a.pollInterval));
        } else if (defaultPollInterval != null) {
            b.pollInterval(defaultPollInterval);
        }
        return b.build();
    }

    private static Map<String, Object> settings(String mode, PerfOptions a, Target t) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("mode", mode);
        s.put("brokers", t == null ? null : t.clientConfig().brokers());
        s.put("embeddedBroker", t != null && t.embedded());
        s.put("cores", Runtime.getRuntime().availableProcessors());
        s.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        return s;
    }

    private static Duration timeout(PerfOptions a) {
        return Duration.ofSeconds(PerfOptions.or(a.timeout, 120L));
    }

    private static String defaultTopic(String mode) {
        return "rustmq-perf-" + mode + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFF);
    }

    /** Writes what {@code --json}, {@code --report} and {@code --hgrm} ask for. */
    private static void writeOutputs(PerfOptions a, Object value, String title, TransportPerf.Result transport,
                                     List<Summary> runs, PrintStream out) throws IOException {
        if (a.json != null) {
            ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            Files.writeString(a.json, m.writeValueAsString(value) + System.lineSeparator());
            out.println("summary written to " + a.json);
        }
        if (a.hgrm != null) {
            Files.createDirectories(a.hgrm);
            for (Summary s : runs) {
                if (s.latency() != null) {
                    Path file = a.hgrm.resolve(HtmlReport.slug(s.test()) + ".hgrm");
                    Files.writeString(file, s.latency().hgrm());
                    out.println("latency distribution written to " + file);
                }
            }
        }
        if (a.report != null) {
            Double ceiling = transport == null ? null : transport.oneWayMBps();
            List<HtmlReport.Run> rs = new ArrayList<>();
            for (Summary s : runs) {
                rs.add(new HtmlReport.Run(title, s, ceiling));
            }
            HtmlReport.write(a.report, title, rs);
            out.println("report written to " + a.report);
        }
    }

    private static int exitCode(Summary s) {
        return s.errors() > 0 || s.timedOut() ? EXIT_FAILED_RUN : EXIT_OK;
    }

    // ---- modes ----

    private static int produce(PerfOptions a, PrintStream out) throws IOException {
        String topic = PerfOptions.or(a.topic, defaultTopic("produce"));
        ProducerConfig pc = producerConfig(a, null);
        ProduceRun.Spec spec = new ProduceRun.Spec(topic, PerfOptions.or(a.messages, 1_000_000L),
                PerfOptions.or(a.size, 100), pc, PerfOptions.or(a.rate, 0.0),
                PerfOptions.or(a.warmupMessages, 0L), timeout(a));
        try (Target t = Target.open(a, List.of(topic), out);
             RustMQClient client = RustMQClient.create(t.clientConfig())) {
            Map<String, Object> s = settings("produce", a, t);
            s.put("topic", topic);
            s.put("size", spec.size());
            s.put("rate", spec.rate());
            s.put("bufferMemory", pc.bufferMemory());
            s.put("warmupMessages", spec.warmupMessages());
            s.put("producer", pc.toString());
            out.printf(Locale.ROOT, "producing %,d records of %d bytes to %s (%s)%n", spec.messages(), spec.size(),
                    topic, pc);
            Summary r = ProduceRun.run(client, "produce", spec, s, t.brokerProcess(), out);
            r.print(out);
            writeOutputs(a, r, "rustmq-perf produce", null, List.of(r), out);
            t.keepBrokerLogIf(exitCode(r) != EXIT_OK, out);
            return exitCode(r);
        }
    }

    private static int consume(PerfOptions a, PrintStream out) throws IOException {
        String topic = PerfOptions.or(a.topic, defaultTopic("consume"));
        long n = PerfOptions.or(a.messages, 1_000_000L);
        int size = PerfOptions.or(a.size, 100);
        String group = PerfOptions.or(a.group, "rustmq-perf-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        ConsumerConfig cc = consumerConfig(a, null);
        try (Target t = Target.open(a, List.of(topic), out);
             RustMQClient client = RustMQClient.create(t.clientConfig())) {
            if (t.embedded() || a.prefill) {
                prefill(client, topic, n, size, out);
            }
            Map<String, Object> s = settings("consume", a, t);
            s.put("topic", topic);
            s.put("group", group);
            s.put("consumer", cc.toString());
            out.printf(Locale.ROOT, "consuming %,d records from %s as group %s (%s)%n", n, topic, group, cc);
            Summary r = ConsumeRun.run(client, topic, group, n, cc, timeout(a), s, t.brokerProcess(), out);
            r.print(out);
            writeOutputs(a, r, "rustmq-perf consume", null, List.of(r), out);
            t.keepBrokerLogIf(exitCode(r) != EXIT_OK, out);
            return exitCode(r);
        }
    }

    /** Fills a topic for consume tests with large batches; not measured. */
    private static void prefill(RustMQClient client, String topic, long n, int size, PrintStream out) {
        out.printf(Locale.ROOT, "prefilling %s with %,d records of %d bytes...%n", topic, n, size);
        ProducerConfig pc = ProducerConfig.builder().batchSize(2000).batchBytes(512 * 1024)
                .ackLevel(AckLevel.LEADER).build();
        Summary fill = ProduceRun.run(client, "prefill", new ProduceRun.Spec(topic, n, size, pc, 0, 0,
                Duration.ofSeconds(300)), Map.of(), null, null);
        out.printf(Locale.ROOT, "prefilled %,d records in %.1f s%n", fill.records(), fill.seconds());
        if (fill.errors() > 0 || fill.timedOut()) {
            throw new IllegalStateException("prefill failed: " + fill.errors() + " errors"
                    + (fill.firstError() != null ? ", first: " + fill.firstError() : "")
                    + (fill.timedOut() ? ", time limit reached" : ""));
        }
    }

    private static int latency(PerfOptions a, PrintStream out) throws IOException {
        String topic = PerfOptions.or(a.topic, defaultTopic("latency"));
        long n = PerfOptions.or(a.messages, 100_000L);
        int size = PerfOptions.or(a.size, 100);
        double rate = PerfOptions.atLeast("--rate", PerfOptions.or(a.rate, 10_000.0), 1);
        ProducerConfig pc = producerConfig(a, Duration.ZERO);
        long warmup = PerfOptions.or(a.warmupMessages, 20_000L);
        try (Target t = Target.open(a, List.of(topic), out);
             RustMQClient client = RustMQClient.create(t.clientConfig())) {
            Map<String, Object> s = settings("latency", a, t);
            s.put("topic", topic);
            s.put("size", size);
            s.put("rate", rate);
            s.put("warmupMessages", warmup);
            s.put("producer", pc.toString());
            Summary r;
            if (a.e2e) {
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
                        warmup, timeout(a)), s, t.brokerProcess(),
                        out);
            }
            r.print(out);
            writeOutputs(a, r, "rustmq-perf latency", null, List.of(r), out);
            t.keepBrokerLogIf(exitCode(r) != EXIT_OK, out);
            return exitCode(r);
        }
    }

    static TransportPerf.Options transportOptions(PerfOptions a) {
        return new TransportPerf.Options(
                (int) PerfOptions.atLeast("--write-size", PerfOptions.or(a.writeSize, 64 * 1024), 2),
                (int) PerfOptions.atLeast("--request-size", PerfOptions.or(a.requestSize, 100), 2),
                PerfOptions.or(a.inFlight, 32L).intValue(), PerfOptions.or(a.warmup, 2.0),
                PerfOptions.atLeast("--duration", PerfOptions.or(a.duration, 5.0), 0.1),
                Target.splitOptions(PerfOptions.or(a.serverJvmOpts, "")));
    }

    private static int transport(PerfOptions a, PrintStream out) throws Exception {
        TransportPerf.Options o = transportOptions(a);
        out.printf(Locale.ROOT, "raw QUIC transport (Netty incubator codec): %.0f s + %.0f s warm-up per test%n",
                o.seconds(), o.warmupSeconds());
        TransportPerf.Result r = TransportPerf.run(o, out);
        r.print(out);
        writeOutputs(a, r, "rustmq-perf transport", r, List.of(), out);
        return EXIT_OK;
    }

    /** The results of {@code all}, as written to JSON. */
    record AllResult(TransportPerf.Result transport, List<Summary> runs) {
    }

    /**
     * Records the latency phase of {@code all} sends at its rate before measuring (20 s at 10,000/s, fewer if
     * {@code --warmup-messages} is smaller): the paced path with small requests compiles differently from the
     * saturating phases before it. With 2 s of warm-up the compiler was still recompiling it (deoptimizations of the
     * QUIC stream write path) inside the measured 10 s; since a burst of records from the sending thread goes in one
     * request (about 17 records per request at this rate), the per-request code runs about 600 times a second and
     * needed more than 10 s to be compiled by C2 (0.9-1.4 s of JIT inside the measured phase after 10 s of warm-up).
     */
    static final long ALL_LATENCY_WARMUP = 200_000;

    private static int all(PerfOptions a, PrintStream out) throws Exception {
        long n100 = PerfOptions.or(a.messages, 2_000_000L);
        long n1k = PerfOptions.or(a.messages1k, 300_000L);
        long nLatency = PerfOptions.or(a.latencyMessages, 100_000L);
        long warmup = PerfOptions.or(a.warmupMessages, 1_000_000L);
        String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFF);
        String t100 = "rustmq-perf-100b-" + suffix;
        String t1k = "rustmq-perf-1k-" + suffix;
        String tLatency = "rustmq-perf-latency-" + suffix;
        ProducerConfig pc = producerConfig(a, null);
        ProducerConfig latencyPc = producerConfig(a, Duration.ZERO);
        ConsumerConfig cc = consumerConfig(a, null);
        Duration limit = timeout(a);

        out.println("== 1/5 transport ceiling (raw QUIC, Netty incubator codec) ==");
        TransportPerf.Result transport = TransportPerf.run(transportOptions(a), out);
        transport.print(out);

        List<Summary> runs = new ArrayList<>();
        try (Target t = Target.open(a, List.of(t100, t1k, tLatency), out);
             RustMQClient client = RustMQClient.create(t.clientConfig())) {
            Map<String, Object> base = settings("all", a, t);
            out.printf(Locale.ROOT, "== 2/5 produce %,d x 100 B (%s) ==%n", n100, pc);
            runs.add(run(client, "produce 100 B", new ProduceRun.Spec(t100, n100, 100, pc, 0, warmup, limit),
                    base, t, out));
            out.printf(Locale.ROOT, "== 3/5 produce %,d x 1 KiB (%s) ==%n", n1k, pc);
            // as many warm-up bytes as the 100 B phase: 1 KiB records take paths of their own
            runs.add(run(client, "produce 1 KiB", new ProduceRun.Spec(t1k, n1k, 1024, pc, 0,
                    warmup == 0 ? 0 : Math.max(1, warmup / 10), limit), base, t, out));
            out.printf(Locale.ROOT, "== 4/5 consume %,d x 100 B records from the start of that topic (%s) ==%n",
                    runs.get(0).records(), cc);
            Map<String, Object> cs = new LinkedHashMap<>(base);
            cs.put("consumer", cc.toString());
            Summary consume = ConsumeRun.run(client, t100, "rustmq-perf-all-" + suffix, runs.get(0).records(), cc,
                    limit, cs, t.brokerProcess(), out);
            consume = consume.withTest("consume 100 B");
            consume.print(out);
            runs.add(consume);
            out.printf(Locale.ROOT, "== 5/5 latency: %,d x 100 B at 10,000/s, send->ack (%s) ==%n", nLatency,
                    latencyPc);
            runs.add(run(client, "latency 10k/s", new ProduceRun.Spec(tLatency, nLatency, 100, latencyPc, 10_000,
                    Math.min(warmup, ALL_LATENCY_WARMUP), limit), base, t, out));
            t.keepBrokerLogIf(failed(runs), out);
        }
        printTable(transport, runs, out);
        writeOutputs(a, new AllResult(transport, runs), "rustmq-perf all", transport, runs, out);
        return failed(runs) ? EXIT_FAILED_RUN : EXIT_OK;
    }

    /** Whether any run had errors or reached its time limit. */
    private static boolean failed(List<Summary> runs) {
        return runs.stream().anyMatch(s -> s.errors() > 0 || s.timedOut());
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

    static void printTable(TransportPerf.Result tr, List<Summary> runs, PrintStream out) {
        String row = "%-26s %12s %8s %9s %10s %9s %8s %8s %9s %9s %9s %7s%n";
        out.println();
        out.printf(Locale.ROOT, row, "test", "records/s", "MB/s", "% ceil MB", "requests/s", "% ceil rt", "p50 ms",
                "p99 ms", "client", "(no JIT,", "broker", "steal");
        out.printf(Locale.ROOT, row, "", "", "", "", "", "", "", "", "us/rec", "GC) us/r", "us/rec", "%");
        out.printf(Locale.ROOT, row, "transport one-way " + tr.options().writeSize() / 1024 + " KiB", "-",
                fmt("%.1f", tr.oneWayMBps()), "100%", "-", "-", "-", "-", "-", "-", "-", "-");
        out.printf(Locale.ROOT, row, "transport req/resp " + tr.options().requestSize() + " B", "-", "-", "-",
                fmt("%,.0f", tr.roundTripsPerSec()), "100%", "-", "-",
                fmt("%.1f", tr.roundTrips() == 0 ? 0 : tr.rpcClientCpuSeconds() * 1e6 / tr.roundTrips()), "-", "-",
                "-");
        out.printf(Locale.ROOT, row, "transport req/resp 1 in fl", "-", "-", "-",
                fmt("%,.0f", tr.serialRoundTripsPerSec()), "-", fmt("%.3f", 1e3 / tr.serialRoundTripsPerSec()), "-",
                fmt("%.1f", tr.serialClientCpuMicrosPerRoundTrip()), "-", "-", "-");
        for (Summary s : runs) {
            double rps = s.requests() < 0 ? 0 : s.requests() / s.seconds();
            out.printf(Locale.ROOT, row, s.test(), fmt("%,.0f", s.recordsPerSec()), fmt("%.2f", s.mbPerSec()),
                    fmt("%.1f%%", 100 * s.mbPerSec() / tr.oneWayMBps()), fmt("%,.0f", rps),
                    fmt("%.1f%%", 100 * rps / tr.roundTripsPerSec()),
                    s.latency() == null ? "-" : fmt("%.2f", s.latency().p50Ms()),
                    s.latency() == null ? "-" : fmt("%.2f", s.latency().p99Ms()),
                    fmt("%.2f", s.clientCpuMicrosPerRecord()),
                    s.clientCpuMicrosPerRecordExclJitGc() < 0 ? "-" : fmt("%.2f", s.clientCpuMicrosPerRecordExclJitGc()),
                    s.brokerCpuMicrosPerRecord() < 0 ? "-" : fmt("%.2f", s.brokerCpuMicrosPerRecord()),
                    s.stealPercent() < 0 ? "-" : fmt("%.1f", s.stealPercent()));
        }
        out.println("MB = 1,048,576 payload bytes; '% ceil' = share of the raw QUIC transport's one-way MB/s and"
                + " request/response (32 in flight) round trips/s measured above; us/rec = CPU microseconds per"
                + " record of the client process (all threads; then without its JIT-compiler and GC threads) and"
                + " of the broker process; steal % = share of the whole machine's CPU time that the hypervisor"
                + " took away during the test (Linux /proc/stat).");
    }

    private static String fmt(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }
}
