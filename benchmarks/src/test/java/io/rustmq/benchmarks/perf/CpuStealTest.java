package io.rustmq.benchmarks.perf;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CpuStealTest {
    private static final List<String> BEFORE = List.of(
            "cpu  121332 0 38339 187102 793 0 2497 5863 0 0",
            "cpu0 60000 0 19000 93000 400 0 1200 2900 0 0",
            "cpu1 61332 0 19339 94102 393 0 1297 2963 0 0",
            "intr 123 4 5",
            "ctxt 999");
    private static final List<String> AFTER = List.of(
            "cpu  121396 0 38446 188892 793 0 2499 6023 0 0",
            "cpu0 60030 0 19050 93900 400 0 1200 2980 0 0",
            "cpu1 61366 0 19396 94992 393 0 1299 3043 0 0");

    @Test
    void readsTheStealColumnTheTotalAndTheCpuCountFromProcStat() {
        CpuSteal.Ticks t = CpuSteal.parse(BEFORE);
        assertThat(t.steal()).isEqualTo(5863);
        assertThat(t.total()).isEqualTo(121332 + 38339 + 187102 + 793 + 2497 + 5863);
        assertThat(t.cpus()).isEqualTo(2);
    }

    @Test
    void stealIsTheShareOfAllTicksBetweenTwoReadings() {
        // 160 of 2,123 ticks stolen: the C latency chain's 7.5 % run on the measuring machine
        double p = CpuSteal.percent(CpuSteal.parse(BEFORE), CpuSteal.parse(AFTER));
        assertThat(p).isCloseTo(100.0 * 160 / 2123, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void unknownWhenAReadingIsMissingOrNoTickPassed() {
        CpuSteal.Ticks t = CpuSteal.parse(BEFORE);
        assertThat(CpuSteal.percent(null, t)).isEqualTo(-1);
        assertThat(CpuSteal.percent(t, null)).isEqualTo(-1);
        assertThat(CpuSteal.percent(t, t)).isEqualTo(-1);
    }

    @Test
    void refusesAProcStatWithoutAnAggregateCpuLineOrWithoutTheStealColumn() {
        assertThatThrownBy(() -> CpuSteal.parse(List.of("cpu0 1 2 3 4 5 6 7 8", "ctxt 1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no cpu line");
        assertThatThrownBy(() -> CpuSteal.parse(List.of("cpu  1 2 3 4 5 6 7")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no steal column");
        assertThatThrownBy(() -> CpuSteal.parse(List.of("cpu  1 2 3 x 5 6 7 8")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a number");
    }

    @Test
    void aStopwatchReportsTheMachinesStealWhereTheKernelCountsIt() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/stat")), "Linux only");
        Stopwatch w = new Stopwatch(null);
        w.start();
        Thread.sleep(50);
        w.stop();
        assertThat(w.stealPercent()).isBetween(0.0, 100.0);
        assertThat(w.stealCpuSeconds()).isGreaterThanOrEqualTo(0.0);
    }
}
