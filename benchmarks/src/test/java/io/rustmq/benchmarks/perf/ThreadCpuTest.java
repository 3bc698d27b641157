package io.rustmq.benchmarks.perf;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadCpuTest {
    @Test
    void groupsThreadsByTheirKernelNames() {
        assertThat(ThreadCpu.group("C2 CompilerThre")).isEqualTo("jit");
        assertThat(ThreadCpu.group("C1 CompilerThre")).isEqualTo("jit");
        assertThat(ThreadCpu.group("G1 Refine#0")).isEqualTo("gc");
        assertThat(ThreadCpu.group("GC Thread#1")).isEqualTo("gc");
        assertThat(ThreadCpu.group("rustmq-quic-1-1")).isEqualTo("network");
        assertThat(ThreadCpu.group("rustmq-callback")).isEqualTo("callbacks");
        assertThat(ThreadCpu.group("java")).isEqualTo("application");
        assertThat(ThreadCpu.group("Common-Cleaner")).isEqualTo("other");
    }

    @Test
    void differencesDropTinyGroupsAndSortLargestFirst() {
        Map<String, Double> d = ThreadCpu.between(Map.of("jit", 1_000_000_000L, "gc", 0L),
                Map.of("jit", 1_500_000_000L, "gc", 2_000_000_000L, "other", 1_000_000L));
        assertThat(d).containsExactly(Map.entry("gc", 2.0), Map.entry("jit", 0.5));
    }
}
