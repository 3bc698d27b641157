package io.rustmq.client.internal.transport;

import io.rustmq.client.RetryConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    private static final RetryConfig RETRY = RetryConfig.builder().baseDelay(Duration.ofMillis(100))
            .maxDelay(Duration.ofMillis(700)).multiplier(3).jitter(true).build();

    @Test
    void jitterScalesTheExponentialDelayByTheInjectedRandomValue() {
        Random seeded = new Random(7);
        Backoff backoff = new Backoff(RETRY, seeded::nextDouble);
        Random same = new Random(7);

        long[] caps = {100, 300, 700, 700};
        for (int attempt = 1; attempt <= caps.length; attempt++) {
            long expected = (long) (Duration.ofMillis(caps[attempt - 1]).toNanos() * same.nextDouble());
            assertThat(backoff.delay(attempt)).isEqualTo(Duration.ofNanos(expected));
        }
    }

    @Test
    void withoutJitterTheDelayIsTheCappedExponentialOne() {
        Backoff backoff = new Backoff(RetryConfig.builder().baseDelay(Duration.ofMillis(100))
                .maxDelay(Duration.ofMillis(700)).multiplier(3).jitter(false).build(), () -> {
                    throw new AssertionError("no random value is drawn without jitter");
                });

        assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(300));
        assertThat(backoff.delay(3)).isEqualTo(Duration.ofMillis(700));
        assertThat(backoff.delay(40)).isEqualTo(Duration.ofMillis(700));
    }

    @Test
    void theDefaultRandomSourceStaysWithinTheCap() {
        Backoff backoff = new Backoff(RETRY);
        for (int i = 0; i < 1000; i++) {
            assertThat(backoff.delay(2)).isBetween(Duration.ZERO, Duration.ofMillis(300));
        }
        assertThat(backoff.config()).isSameAs(RETRY);
    }
}
