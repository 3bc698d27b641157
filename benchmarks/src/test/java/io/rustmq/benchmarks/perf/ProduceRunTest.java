package io.rustmq.benchmarks.perf;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProduceRunTest {
    @Test
    void settlingRoundsOfAFastOneKibWarmUpStayWithinSixTimesItsRecords() {
        // all's 1 KiB phase: 50,000 warm-up records in 0.3 s; rounds sized by time alone had sent 23 x 160,000
        long round = ProduceRun.settlingRound(50_000, 0.3);
        long budget = ProduceRun.settlingBudget(50_000);
        assertThat(budget).isEqualTo(300_000);
        assertThat(round).isEqualTo(83_333); // half a second at 166,667 records/s
        assertThat(budget / round).isEqualTo(3);
    }

    @Test
    void aSettlingRoundIsAQuarterOfTheWarmUpWhenThatIsLongerThanHalfASecond() {
        assertThat(ProduceRun.settlingRound(500_000, 4.0)).isEqualTo(125_000);
    }

    @Test
    void aSettlingRoundNeverTakesMoreThanHalfTheBudgetSoThatTwoQuietRoundsFit() {
        // 1,000 records in 1 ms: half a second at that rate would be 500,000 records
        assertThat(ProduceRun.settlingRound(1_000, 0.001)).isEqualTo(3_000);
        assertThat(ProduceRun.settlingRound(1, 0.001)).isEqualTo(3); // of a budget of 6
    }

    @Test
    void aRoundIsQuietWhenTheCompilerWorkedLessThanFivePercentOfIt() {
        long half = 500_000_000L;
        assertThat(ProduceRun.quietRound(1_000_000_000L, 1_020_000_000L, half)).isTrue(); // 20 ms of 500
        assertThat(ProduceRun.quietRound(1_000_000_000L, 1_030_000_000L, half)).isFalse(); // 30 ms of 500
        assertThat(ProduceRun.quietRound(1_000_000_000L, 900_000_000L, half))
                .as("a reading that went down").isFalse();
    }

    @Test
    void theCompilerCpuTimeGrowsWhileThisJvmCompiles() throws Exception {
        long before = ProduceRun.compilingNanos();
        assertThat(before).isGreaterThanOrEqualTo(0);
        // compile a new class's hot method: the compiler threads' CPU time moves, as it does while a compile runs
        long x = 0;
        for (int round = 0; round < 200 && ProduceRun.compilingNanos() <= before; round++) {
            for (int i = 0; i < 100_000; i++) {
                x += Integer.toString(i + round).hashCode();
            }
        }
        assertThat(ProduceRun.compilingNanos()).as("after compiling (sum %d)", x).isGreaterThan(before);
    }
}
