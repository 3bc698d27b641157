package io.rustmq.benchmarks.perf;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of this JVM's threads by group (network, callbacks, application, JIT compiler, GC, ...), read from
 * {@code /proc/self/task} (Linux; 10 ms resolution). JIT and GC threads are not Java threads, so
 * {@link java.lang.management.ThreadMXBean} cannot see them; this is how the tool tells the client's own work from
 * the JVM's in a run's CPU time. Elsewhere the snapshot is empty.
 */
public final class ThreadCpu {
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final double TICK_NANOS = 1e9 / 100; // USER_HZ is 100 on Linux

    private ThreadCpu() {
    }

    /**
     * The group a thread belongs to, from its (15-character) name.
     *
     * @param comm the thread's name as the kernel keeps it
     * @return the group
     */
    static String group(String comm) {
        if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
            return "jit";
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.startsWith("VM Thread")
                || comm.startsWith("VM Periodic")) {
            return "gc";
        }
        if (comm.startsWith("rustmq-quic")) {
            return "network";
        }
        if (comm.startsWith("rustmq-callback")) {
            return "callbacks";
        }
        if (comm.startsWith("rustmq-consumer")) {
            return "consumer";
        }
        if (comm.startsWith("rustmq-timer")) {
            return "timer";
        }
        if (comm.equals("main") || comm.equals("java") || comm.startsWith("rustmq-perf")) {
            // the launcher names the main thread after the executable
            return "application";
        }
        return "other";
    }

    /**
     * CPU nanoseconds used so far by each group of threads alive now.
     *
     * @return group to nanoseconds; empty where {@code /proc} is not available
     */
    public static Map<String, Long> snapshot() {
        Map<String, Long> out = new HashMap<>();
        if (!Files.isDirectory(TASKS)) {
            return out;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    String comm = Files.readString(task.resolve("comm")).trim();
                    String stat = Files.readString(task.resolve("stat"));
                    // fields after the parenthesised name: state is field 3, utime 14, stime 15
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    out.merge(group(comm), (long) (ticks * TICK_NANOS), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /**
     * CPU nanoseconds used so far by this JVM's JIT compiler threads. Unlike the compile time of
     * {@link java.lang.management.CompilationMXBean}, which a compile adds when it ends, this grows while a compile
     * runs.
     *
     * @return nanoseconds (0 when no compiler thread is alive), or -1 where {@code /proc} is not available
     */
    public static long jitNanos() {
        Map<String, Long> now = snapshot();
        return now.isEmpty() ? -1 : now.getOrDefault("jit", 0L);
    }

    /**
     * The CPU seconds each group used between two snapshots (threads that ended in between are missing).
     *
     * @param before the earlier snapshot
     * @param after the later snapshot
     * @return group to seconds, largest first, groups below 5 ms left out
     */
    public static Map<String, Double> between(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Double> d = new HashMap<>();
        for (Map.Entry<String, Long> e : after.entrySet()) {
            double s = (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / 1e9;
            if (s >= 0.005) {
                d.put(e.getKey(), s);
            }
        }
        Map<String, Double> sorted = new LinkedHashMap<>();
        d.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), Math.round(e.getValue() * 100) / 100.0));
        return sorted;
    }
}
