package io.rustmq.benchmarks.perf;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.TlsConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The brokers a run talks to: given ones ({@code --brokers}, with {@code --insecure} or {@code --ca PEM}), or an
 * embedded broker started by the tool in a separate process ({@code --embedded}, the default without
 * {@code --brokers}) from this jar with the same JVM, trusted through the self-signed certificate it prints.
 */
public final class Target implements AutoCloseable {
    /** The broker's line that names its certificate file. */
    static final String CERT_PREFIX = "Server certificate PEM (trust it as a CA): ";
    /** The broker's ready line (io.rustmq.broker.Main.READY_PREFIX). */
    static final String READY_PREFIX = "RustMQ embedded broker listening on ";

    private final ClientConfig config;
    private final ChildProcess broker;

    /**
     * The embedded broker's JVM options when {@code --broker-jvm-opts} is not given: a server's settings, as Kafka's
     * {@code kafka-server-start.sh} gives its broker a fixed heap and G1 with a 20 ms pause goal. The embedded broker
     * keeps every record on its heap, so the heap is fixed and touched at start: 4 GiB on machines with 16 GiB of
     * memory or more, 2 GiB with 8 GiB or more ({@code -Xms -Xmx -XX:+AlwaysPreTouch}). On virtual machines the first
     * touch of a heap page is a page fault in the host; with a heap that grows (as it does up to the JVM's default
     * maximum) those faults and young pauses of 10–100 ms land in the measured phase (measured here: produce 1 KiB at
     * about 70 MB/s with a growing heap, 200 MB/s with a fixed, touched one). A run that stores more than the heap
     * holds fails with broker errors: give {@code --broker-jvm-opts} then.
     * <p>
     * The heap is backed by transparent huge pages ({@code -XX:+UseTransparentHugePages}, which asks for them with
     * {@code madvise}; where the kernel offers none the JVM says so and goes on with small pages). Besides 512 times
     * fewer first-touch faults, this keeps a large, mostly cold heap cheap for a kernel that reclaims cold memory
     * proactively: on a VM whose kernel runs DAMON's {@code pageout} scheme over physical memory (as this project's
     * 2-vCPU measuring machines do), a 4 GiB heap of 4 KiB pages made the {@code kdamond} thread hold a CPU for up
     * to 15 ms at a time, about 7 % of a CPU, and put the latency test's p99 at 41–57 ms; with huge pages kdamond
     * stays near idle and the p99 was 4–6 ms.
     * <p>
     * G1 starts a concurrent marking cycle when the old generation fills {@code -XX:InitiatingHeapOccupancyPercent}
     * of the heap; here that is fixed at 75 % ({@code -XX:-G1UseAdaptiveIHOP}). The embedded broker's old generation is
     * nearly all retained records, which marking cannot free, and with G1's adaptive threshold a broker holding about
     * 60 % of its heap in records (as after {@code all}'s throughput phases) started a cycle after every young
     * collection, every 3 s in the latency phase: the concurrent-start pause (5–8 ms), a remark pause (4 ms) and the
     * marking threads on the two CPUs; those delayed 500 of the 1,400 records over 2 ms in one run's latency phase. A
     * cycle then starts only when the records near three quarters of the heap, a quarter before it is full.
     * <p>
     * The broker's C2 compiler inlines less than by default ({@code -XX:FreqInlineSize=100 -XX:InlineSmallCode=1000},
     * against 325 and 2,500 bytes). The embedded broker stands in for RustMQ's native broker, which compiles nothing
     * while it serves, and shares the machine's CPUs with the client under test. A broker started for the run
     * compiles while the phases run, and with the default limits single compiles of Netty's pipeline methods inlined
     * 4,500-6,600 bytes of bytecode and took 0.3-0.6 s each: profiled in the consume phase, 73 % of the broker's CPU
     * went to its C2 compiler threads. Three sets of five {@code all} runs the same afternoon (medians): with the
     * defaults the consume phase read 611,000 records/s at 1.27 us of broker CPU per record; with C1 alone
     * ({@code -XX:TieredStopAtLevel=1}) 1,025,000 at 0.42 us, but C1's code doubled the broker's CPU in the paced
     * latency phase (13-20 us per record) and put its p99 at 1.1-2.1 ms; with these limits 960,000 records/s
     * at 0.62 us, the latency phase's broker CPU stayed at 7.5-8.8 us per record and its p99 was 0.62-1.03 ms.
     *
     * @param physicalBytes the machine's memory in bytes, or 0 when unknown
     * @return the options
     */
    static List<String> defaultBrokerJvmOptions(long physicalBytes) {
        List<String> options = new ArrayList<>(List.of("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                "-XX:+UseTransparentHugePages", "-XX:-G1UseAdaptiveIHOP", "-XX:InitiatingHeapOccupancyPercent=75",
                "-XX:FreqInlineSize=100", "-XX:InlineSmallCode=1000"));
        String heap = physicalBytes >= 16L << 30 ? "4g" : physicalBytes >= 8L << 30 ? "2g" : null;
        if (heap != null) {
            options.addAll(List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch"));
        }
        return options;
    }

    private static long physicalMemoryBytes() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }

    private Target(ClientConfig config, ChildProcess broker) {
        this.config = config;
        this.broker = broker;
    }

    /**
     * Opens the target named by the options.
     *
     * @param a the options ({@code --brokers}, {@code --embedded}, {@code --insecure}, {@code --ca},
     *     {@code --partitions}, {@code --broker-jvm-opts})
     * @param topics topics to create on an embedded broker
     * @param out where to say what was started
     * @return the target
     * @throws IOException if the embedded broker cannot start
     */
    public static Target open(PerfOptions a, List<String> topics, PrintStream out) throws IOException {
        if (a.brokers != null && a.embedded) {
            throw new PerfOptions.UsageException("give either --brokers or --embedded, not both");
        }
        TlsConfig.Builder tls = TlsConfig.builder();
        ChildProcess broker = null;
        List<String> brokers;
        if (a.brokers != null) {
            brokers = Arrays.asList(a.brokers.split(","));
            if (a.insecure && a.ca != null) {
                throw new PerfOptions.UsageException("give either --insecure or --ca, not both");
            }
            if (a.insecure) {
                tls.insecureSkipVerify(true);
            } else if (a.ca != null) {
                tls.caCert(a.ca);
            }
        } else {
            int partitions = PerfOptions.or(a.partitions, 1L).intValue();
            // unlimited retention: the consume tests read from the earliest offset everything the produce tests wrote
            List<String> args = new ArrayList<>(List.of("--port", "0", "--host", "127.0.0.1",
                    "--auto-create-topics", "--default-partitions", Integer.toString(partitions),
                    "--retention-bytes", "-1"));
            for (String t : topics) {
                args.add("--topic");
                args.add(t + ":" + partitions);
            }
            List<String> jvm = a.brokerJvmOpts != null ? splitOptions(a.brokerJvmOpts)
                    : defaultBrokerJvmOptions(physicalMemoryBytes());
            broker = ChildProcess.start("embedded-broker", jvm, "io.rustmq.broker.Main", args, READY_PREFIX,
                    Duration.ofSeconds(60));
            brokers = List.of(broker.readyRest());
            Path pem = null;
            for (String line : broker.lines()) {
                if (line.startsWith(CERT_PREFIX)) {
                    pem = Path.of(line.substring(CERT_PREFIX.length()).trim());
                }
            }
            if (pem == null) {
                broker.close();
                throw new IOException("the embedded broker did not print its certificate (" + CERT_PREFIX + ")");
            }
            tls.caCert(pem);
            out.println("started embedded broker " + broker + " on " + brokers.get(0) + jvmNote(jvm)
                    + " (log: " + broker.log() + ")");
        }
        ClientConfig config = ClientConfig.builder()
                .brokers(brokers)
                .clientId("rustmq-perf")
                .tls(tls.build())
                .defaultPartitions(PerfOptions.or(a.partitions, 1L).intValue())
                .build();
        return new Target(config, broker);
    }

    private static String jvmNote(List<String> jvm) {
        return jvm.isEmpty() ? "" : " with " + String.join(" ", jvm);
    }

    static List<String> splitOptions(String s) {
        List<String> out = new ArrayList<>();
        for (String part : s.trim().split("\\s+")) {
            if (!part.isEmpty()) {
                out.add(part);
            }
        }
        return out;
    }

    /**
     * The client configuration to use.
     *
     * @return the configuration
     */
    public ClientConfig clientConfig() {
        return config;
    }

    /**
     * The broker process when the tool started one.
     *
     * @return its handle, or {@code null} for external brokers
     */
    public ProcessHandle brokerProcess() {
        return broker == null ? null : broker.handle();
    }

    /**
     * Whether the broker was started by the tool.
     *
     * @return {@code true} for {@code --embedded}
     */
    public boolean embedded() {
        return broker != null;
    }

    /**
     * When {@code failed} and the broker is embedded, keeps its log past {@link #close()} and says where it is: the
     * broker's own account of errors a run saw (e.g. an {@code OutOfMemoryError}) would otherwise be deleted with it.
     *
     * @param failed whether a run had errors or reached its time limit
     * @param out where the log's path is printed
     */
    public void keepBrokerLogIf(boolean failed, PrintStream out) {
        if (failed && broker != null) {
            broker.keepLog();
            out.println("the runs had errors: the embedded broker's log is kept in " + broker.log());
        }
    }

    /** Stops the embedded broker, if any. */
    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }
}
