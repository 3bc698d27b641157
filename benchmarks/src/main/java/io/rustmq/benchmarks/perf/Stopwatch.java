package io.rustmq.benchmarks.perf;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Wall time, CPU time of this process (the client only: the broker runs in its own process), CPU time of an
 * optional other process (the spawned broker, read from the OS), GC counts, and the machine's CPU time stolen by a
 * hypervisor over one measured phase.
 */
public final class Stopwatch {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final ProcessHandle other;
    private long startNanos;
    private long startCpu;
    private long startOtherCpu;
    private long startGcCount;
    private long startGcMillis;
    private Map<String, Long> startThreads = Map.of();
    private Map<String, Long> endThreads = Map.of();
    private long startJitMillis;
    private long endJitMillis;
    private long endNanos;
    private long endCpu;
    private long endOtherCpu;
    private long endGcCount;
    private long endGcMillis;
    private CpuSteal.Ticks startSteal;
    private CpuSteal.Ticks endSteal;

    /**
     * A stopwatch.
     *
     * @param other another process whose CPU time to measure too (the broker), or {@code null}
     */
    public Stopwatch(ProcessHandle other) {
        this.other = other;
    }

    /** Starts (or restarts) the measurement. */
    public void start() {
        startGcCount = totalGcCount();
        startGcMillis = totalGcMillis();
        startJitMillis = jitMillis();
        startThreads = ThreadCpu.snapshot();
        startOtherCpu = otherCpu();
        startSteal = CpuSteal.read();
        startCpu = OS.getProcessCpuTime();
        startNanos = System.nanoTime();
    }

    /** Ends the measurement. */
    public void stop() {
        endNanos = System.nanoTime();
        endCpu = OS.getProcessCpuTime();
        endSteal = CpuSteal.read();
        endOtherCpu = otherCpu();
        endGcCount = totalGcCount();
        endGcMillis = totalGcMillis();
        endJitMillis = jitMillis();
        endThreads = ThreadCpu.snapshot();
    }

    /**
     * CPU seconds of this JVM's threads by group between start and stop (see {@link ThreadCpu}).
     *
     * @return group to seconds, largest first; empty where unknown
     */
    public Map<String, Double> cpuByThreadGroup() {
        return ThreadCpu.between(startThreads, endThreads);
    }

    /**
     * Time the JIT compilers of this JVM spent compiling between start and stop (compiler threads run beside the
     * application and their CPU is part of {@link #cpuSeconds()}).
     *
     * @return milliseconds, or -1 if the JVM does not report it
     */
    public long jitCompileMillis() {
        return startJitMillis < 0 || endJitMillis < 0 ? -1 : endJitMillis - startJitMillis;
    }

    /**
     * Time this JVM's JIT compilers have spent compiling since it started.
     *
     * @return milliseconds, or -1 if the JVM does not report it
     */
    static long jitMillis() {
        CompilationMXBean c = ManagementFactory.getCompilationMXBean();
        return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : -1;
    }

    /**
     * The share of the whole machine's CPU time that the hypervisor stole between start and stop (Linux
     * {@code /proc/stat}; see {@link CpuSteal}).
     *
     * @return percent of all CPUs' time, or -1 where the OS does not report it
     */
    public double stealPercent() {
        return CpuSteal.percent(startSteal, endSteal);
    }

    /**
     * CPU time the hypervisor stole from all of the machine's CPUs together between start and stop.
     *
     * @return CPU seconds, or -1 where the OS does not report it
     */
    public double stealCpuSeconds() {
        double p = stealPercent();
        return p < 0 ? -1 : p / 100 * seconds() * endSteal.cpus();
    }

    /**
     * The nanosecond clock at {@link #start()}.
     *
     * @return {@link System#nanoTime()} then
     */
    public long startNanos() {
        return startNanos;
    }

    /**
     * Wall-clock seconds between start and stop.
     *
     * @return seconds
     */
    public double seconds() {
        return (endNanos - startNanos) / 1e9;
    }

    /**
     * CPU seconds of this JVM (all threads: application, network, JIT, GC) between start and stop.
     *
     * @return seconds
     */
    public double cpuSeconds() {
        return (endCpu - startCpu) / 1e9;
    }

    /**
     * CPU seconds of the other process between start and stop (10 ms resolution), or -1 if unknown.
     *
     * @return seconds or -1
     */
    public double otherCpuSeconds() {
        return other == null || startOtherCpu < 0 || endOtherCpu < 0 ? -1 : (endOtherCpu - startOtherCpu) / 1e9;
    }

    /**
     * Garbage collections in this JVM between start and stop.
     *
     * @return the count
     */
    public long gcCount() {
        return endGcCount - startGcCount;
    }

    /**
     * Time spent in garbage collection (as the collectors report it) between start and stop.
     *
     * @return milliseconds
     */
    public long gcMillis() {
        return endGcMillis - startGcMillis;
    }

    /**
     * CPU time of this process so far.
     *
     * @return nanoseconds
     */
    public static long processCpuNanos() {
        return OS.getProcessCpuTime();
    }

    private long otherCpu() {
        if (other == null) {
            return -1;
        }
        Optional<Duration> d = other.info().totalCpuDuration();
        return d.map(Duration::toNanos).orElse(-1L);
    }

    private static long totalGcCount() {
        long n = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, b.getCollectionCount());
        }
        return n;
    }

    private static long totalGcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, b.getCollectionTime());
        }
        return n;
    }
}
