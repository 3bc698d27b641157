package io.rustmq.benchmarks.perf;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.rustmq.client.metrics.LatencyHistogram;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of one measured run, printed as text and written as JSON ({@code --json}). MB is 1,048,576 bytes of
 * message payload, as in Kafka's perf tools. CPU figures are this process's (the client's) and, when the tool
 * started the broker, the broker process's, each divided by the records of the run.
 *
 * @param test a short name, e.g. {@code produce}
 * @param settings the options the run used
 * @param records records sent and acknowledged, or received
 * @param bytes payload bytes of those records
 * @param seconds measured wall time
 * @param recordsPerSec records per second
 * @param mbPerSec payload MB per second
 * @param requests requests the client sent during the run (all kinds), or -1
 * @param latency latency statistics, or {@code null} where none is measured (consume)
 * @param clientCpuSeconds CPU seconds of this process over the run (every thread: application, network, JIT, GC)
 * @param clientCpuMicrosPerRecord client CPU microseconds per record
 * @param clientCpuByThread client CPU seconds by thread group: network (the QUIC event loop), callbacks (where
 *     futures complete), application (the tool's sending or receiving thread), consumer (its member thread),
 *     timer, jit (compiler threads), gc, other
 * @param clientCpuMicrosPerRecordExclJitGc client CPU microseconds per record without the JIT and GC threads: the
 *     steady-state cost once the JVM is warm (GC work done by application threads in allocation is still in)
 * @param brokerCpuSeconds CPU seconds of the broker process, or -1 when unknown (external broker)
 * @param brokerCpuMicrosPerRecord broker CPU microseconds per record, or -1
 * @param gcCount garbage collections in this process over the run
 * @param gcMillis milliseconds of garbage collection in this process over the run
 * @param jitMillis milliseconds the JIT compilers of this process spent compiling over the run (their CPU is part
 *     of the client CPU), or -1
 * @param stealPercent the share of the whole machine's CPU time a hypervisor stole over the run (Linux
 *     {@code /proc/stat}), in percent of all CPUs' time, or -1 where unknown: stalls no process on the machine avoids
 * @param stealCpuSeconds that stolen time in CPU seconds (all CPUs together), or -1 where unknown
 * @param errors failed sends
 * @param timedOut whether the run was cut short by its time limit
 * @param firstError the first failure's text, or {@code null}
 * @param timeline throughput second by second over the measured phase (empty if it lasted under a second)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Summary(String test, Map<String, Object> settings, long records, long bytes, double seconds,
                      double recordsPerSec, double mbPerSec, long requests, Latency latency,
                      double clientCpuSeconds, double clientCpuMicrosPerRecord, Map<String, Double> clientCpuByThread,
                      double clientCpuMicrosPerRecordExclJitGc, double brokerCpuSeconds,
                      double brokerCpuMicrosPerRecord, long gcCount, long gcMillis, long jitMillis,
                      double stealPercent, double stealCpuSeconds, long errors, boolean timedOut,
                      String firstError, List<Sample> timeline) {
    /** Bytes in a MB, as Kafka's perf tools count. */
    public static final double MB = 1024.0 * 1024.0;

    /**
     * Throughput over one interval of the measured phase.
     *
     * @param second seconds from the start of the phase to the end of the interval
     * @param recordsPerSec records completed per second in the interval
     * @param mbPerSec payload MB per second in the interval
     */
    public record Sample(double second, double recordsPerSec, double mbPerSec) {
    }

    /**
     * One point of the latency percentile distribution.
     *
     * @param percentile the percentile level in [0, 100]
     * @param ms the latency at that level in milliseconds
     */
    public record Point(double percentile, double ms) {
    }

    /**
     * Latency statistics in milliseconds, read from a {@link LatencyHistogram} (within 1 %).
     *
     * @param measures what is measured, e.g. {@code send->ack}
     * @param avgMs mean
     * @param p50Ms median
     * @param p99Ms 99th percentile
     * @param p999Ms 99.9th percentile
     * @param maxMs maximum
     * @param distribution the percentile distribution, five points per halving of the distance to 100 %
     * @param hgrm the distribution as HdrHistogram's percentile-distribution text in milliseconds (not in JSON)
     */
    public record Latency(String measures, double avgMs, double p50Ms, double p99Ms, double p999Ms, double maxMs,
                          List<Point> distribution, @JsonIgnore String hgrm) {
        /**
         * Reads a histogram.
         *
         * @param measures what it measured
         * @param h the histogram
         * @return the statistics, or {@code null} if it holds no value
         */
        public static Latency of(String measures, LatencyHistogram h) {
            if (h.count() == 0) {
                return null;
            }
            List<Point> points = h.distribution(5).stream()
                    .map(p -> new Point(p.percentile(), p.nanos() / 1e6)).toList();
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            h.writePercentileDistribution(new PrintStream(text, true, StandardCharsets.UTF_8), 1e6);
            return new Latency(measures, h.meanNanos() / 1e6, h.percentileNanos(50) / 1e6,
                    h.percentileNanos(99) / 1e6, h.percentileNanos(99.9) / 1e6, h.maxNanos() / 1e6, points,
                    text.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * Builds a summary from a finished stopwatch.
     *
     * @param test the test name
     * @param settings the options used
     * @param records records completed
     * @param bytes their payload bytes
     * @param watch the stopped stopwatch
     * @param requests requests sent, or -1
     * @param latency latency, or null
     * @param errors failures
     * @param timedOut whether the time limit cut the run short
     * @param firstError the first failure's text, or null
     * @param timeline throughput second by second
     * @return the summary
     */
    public static Summary of(String test, Map<String, Object> settings, long records, long bytes, Stopwatch watch,
                             long requests, Latency latency, long errors, boolean timedOut, String firstError,
                             List<Sample> timeline) {
        double s = Math.max(1e-9, watch.seconds());
        double cpu = watch.cpuSeconds();
        double broker = watch.otherCpuSeconds();
        Map<String, Double> byThread = watch.cpuByThreadGroup();
        double jvm = byThread.getOrDefault("jit", 0.0) + byThread.getOrDefault("gc", 0.0);
        return new Summary(test, settings, records, bytes, s, records / s, bytes / MB / s, requests, latency, cpu,
                records == 0 ? 0 : cpu * 1e6 / records, byThread,
                records == 0 || byThread.isEmpty() ? -1 : Math.max(0, cpu - jvm) * 1e6 / records, broker,
                broker < 0 || records == 0 ? -1 : broker * 1e6 / records, watch.gcCount(), watch.gcMillis(),
                watch.jitCompileMillis(), watch.stealPercent(), watch.stealCpuSeconds(), errors, timedOut, firstError,
                List.copyOf(timeline));
    }

    /**
     * The same summary under another test name.
     *
     * @param newTest the name
     * @return the copy
     */
    public Summary withTest(String newTest) {
        return new Summary(newTest, settings, records, bytes, seconds, recordsPerSec, mbPerSec, requests, latency,
                clientCpuSeconds, clientCpuMicrosPerRecord, clientCpuByThread, clientCpuMicrosPerRecordExclJitGc,
                brokerCpuSeconds, brokerCpuMicrosPerRecord, gcCount, gcMillis, jitMillis, stealPercent,
                stealCpuSeconds, errors, timedOut, firstError, timeline);
    }

    /**
     * Prints the summary, Kafka-style, on a few lines.
     *
     * @param out where to print
     */
    public void print(PrintStream out) {
        out.printf(Locale.ROOT, "%s: %,d records in %.2f s: %,.1f records/s (%.2f MB/s)%s%n", test, records, seconds,
                recordsPerSec, mbPerSec, requests >= 0 ? String.format(Locale.ROOT, ", %,d requests (%,.0f/s)",
                        requests, requests / seconds) : "");
        if (latency != null) {
            out.printf(Locale.ROOT, "  latency (%s): avg %.3f ms, p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms,"
                    + " max %.3f ms%n", latency.measures(), latency.avgMs(), latency.p50Ms(), latency.p99Ms(),
                    latency.p999Ms(), latency.maxMs());
        }
        out.printf(Locale.ROOT, "  client CPU: %.2f s, %.2f us per record; GC: %d collections, %d ms; JIT: %d ms%s%n",
                clientCpuSeconds, clientCpuMicrosPerRecord, gcCount, gcMillis, jitMillis,
                brokerCpuSeconds >= 0 ? String.format(Locale.ROOT, "; broker CPU: %.2f s, %.2f us per record",
                        brokerCpuSeconds, brokerCpuMicrosPerRecord) : "");
        if (!clientCpuByThread.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            clientCpuByThread.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.2f s", k, v)));
            out.printf(Locale.ROOT, "  client CPU by thread: %s; without JIT and GC threads: %.2f us per record%n", sb,
                    clientCpuMicrosPerRecordExclJitGc);
        }
        if (stealPercent >= 0) {
            out.printf(Locale.ROOT, "  machine: %.1f %% of all CPUs' time stolen by the hypervisor (%.2f CPU-s)%n",
                    stealPercent, stealCpuSeconds);
        }
        if (errors > 0 || timedOut) {
            out.printf(Locale.ROOT, "  %s%,d errors%s%n", timedOut ? "STOPPED AT THE TIME LIMIT; " : "", errors,
                    firstError != null ? " (first: " + firstError + ")" : "");
        }
    }
}
