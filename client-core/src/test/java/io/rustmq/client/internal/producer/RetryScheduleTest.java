package io.rustmq.client.internal.producer;

import io.rustmq.client.RetryConfig;
import io.rustmq.client.internal.transport.Backoff;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The produce retry schedule on a manual clock: backoff per attempt, ended by deliveryTimeout, not a count. */
class RetryScheduleTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private static RetrySchedule schedule(int maxRetries, boolean jitter, Duration deliveryTimeout) {
        RetryConfig retry = RetryConfig.builder().maxRetries(maxRetries).baseDelay(Duration.ofMillis(100))
                .maxDelay(Duration.ofSeconds(2)).multiplier(2).jitter(jitter).build();
        return new RetrySchedule(new Backoff(retry, () -> 0.5), deliveryTimeout.toNanos());
    }

    /** Runs attempts that all fail at once; returns the delays until the schedule gives up. */
    private static List<Long> delaysUntilGivenUp(RetrySchedule s, long created) {
        List<Long> delays = new ArrayList<>();
        long now = created;
        for (int attempt = 1; ; attempt++) {
            long d = s.delayNanos(attempt, created, now);
            if (d < 0) {
                return delays;
            }
            delays.add(d / MS);
            now += d;
        }
    }

    @Test
    void backoffDoublesUpToMaxDelayAndRetriesGoOnPastTheRetryCountUntilTheDeliveryTimeout() {
        RetrySchedule s = schedule(3, false, Duration.ofSeconds(10));
        List<Long> delays = delaysUntilGivenUp(s, 1_000 * MS);
        assertThat(delays).startsWith(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L);
        assertThat(delays.size()).as("far more attempts than retry.maxRetries = 3").isGreaterThan(3);
        long total = delays.stream().mapToLong(Long::longValue).sum();
        assertThat(total).isLessThan(10_000).isGreaterThan(10_000 - 2_000);
    }

    @Test
    void aRetryThatWouldStartAtOrAfterTheDeliveryTimeoutIsNotScheduled() {
        RetrySchedule s = schedule(0, false, Duration.ofSeconds(1));
        long created = 0;
        assertThat(s.delayNanos(1, created, 899 * MS)).isEqualTo(100 * MS);
        assertThat(s.delayNanos(1, created, 900 * MS)).isEqualTo(-1);
        assertThat(s.expired(created, 999 * MS)).isFalse();
        assertThat(s.expired(created, 1000 * MS)).isTrue();
    }

    @Test
    void jitterScalesTheDelayAndAnOutageLongerThanTheRequestTimeoutIsStillCovered() {
        RetrySchedule s = schedule(3, true, Duration.ofSeconds(120));
        assertThat(s.delayNanos(1, 0, 0)).isEqualTo(50 * MS);
        // a 40 s outage where every attempt ends by a 30 s request timeout: attempts go on for 120 s
        long now = 0;
        int attempts = 0;
        long d;
        while ((d = s.delayNanos(++attempts, 0, now + 30_000 * MS)) >= 0) {
            now += 30_000 * MS + d;
            if (now >= 40_000 * MS) {
                break;
            }
        }
        assertThat(now).as("the schedule outlasts the outage").isGreaterThanOrEqualTo(40_000 * MS);
    }
}
