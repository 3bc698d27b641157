package io.rustmq.benchmarks.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine's CPU time as the Linux kernel counts it in {@code /proc/stat}, for the share a hypervisor took away
 * from this virtual machine ("steal": time a virtual CPU wanted to run and the host ran something else). On a shared
 * virtual machine steal comes in slices of milliseconds that stall whatever runs on that CPU, which no program inside
 * can avoid; a latency run reports it beside its percentiles so that a slow run can be told from a slow client.
 */
final class CpuSteal {
    private static final Path PROC_STAT = Path.of("/proc/stat");

    /**
     * Cumulative CPU time of all CPUs since boot, in the kernel's clock ticks.
     *
     * @param steal ticks stolen by the hypervisor
     * @param total ticks of every kind (user, nice, system, idle, iowait, irq, softirq, steal)
     * @param cpus the number of CPUs counted
     */
    record Ticks(long steal, long total, int cpus) {
    }

    private CpuSteal() {
    }

    /**
     * Reads the machine's ticks now.
     *
     * @return the ticks, or {@code null} where there is no readable {@code /proc/stat} (not Linux) or it has no
     *     steal column (a kernel before 2.6.11)
     */
    static Ticks read() {
        if (!Files.isReadable(PROC_STAT)) {
            return null;
        }
        try {
            return parse(Files.readAllLines(PROC_STAT));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Parses the lines of {@code /proc/stat}: the aggregate {@code cpu} line and the {@code cpuN} lines.
     *
     * @param lines the file's lines
     * @return the ticks
     * @throws IllegalArgumentException if there is no aggregate {@code cpu} line with at least eight numbers
     */
    static Ticks parse(List<String> lines) {
        long[] v = null;
        int cpus = 0;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals("cpu")) {
                if (f.length < 9) {
                    throw new IllegalArgumentException("/proc/stat: the cpu line has no steal column: " + line);
                }
                v = new long[8];
                for (int i = 0; i < 8; i++) {
                    try {
                        v[i] = Long.parseLong(f[i + 1]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("/proc/stat: not a number in the cpu line: " + line, e);
                    }
                }
            } else if (f[0].startsWith("cpu")) {
                cpus++;
            }
        }
        if (v == null) {
            throw new IllegalArgumentException("/proc/stat has no cpu line");
        }
        long total = 0;
        for (long x : v) {
            total += x;
        }
        return new Ticks(v[7], total, Math.max(1, cpus));
    }

    /**
     * The share of the machine's CPU time stolen between two readings.
     *
     * @param start the first reading, or null
     * @param end the second reading, or null
     * @return percent of all CPUs' time in [0, 100], or -1 when either reading is missing or no tick passed
     */
    static double percent(Ticks start, Ticks end) {
        if (start == null || end == null || end.total() <= start.total()) {
            return -1;
        }
        return 100.0 * Math.max(0, end.steal() - start.steal()) / (end.total() - start.total());
    }
}
