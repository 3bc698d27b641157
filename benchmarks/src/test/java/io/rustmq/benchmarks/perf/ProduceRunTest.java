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
}
