package io.rustmq.client.internal.transport;

import io.rustmq.client.RetryConfig;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with optional full jitter, from a {@link RetryConfig}: attempt <i>n</i> (1-based) waits
 * {@code min(maxDelay, baseDelay * multiplier^(n-1))}, multiplied by a uniform random factor in [0, 1) when jitter
 * is on. The random source is injectable so that tests can check a schedule exactly. Thread-safe if the source is.
 */
public final class Backoff {
    private final RetryConfig config;
    private final DoubleSupplier random;

    /**
     * Creates a backoff with a thread-local random source.
     *
     * @param config the retry policy
     */
    public Backoff(RetryConfig config) {
        this(config, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * Creates a backoff with a given random source.
     *
     * @param config the retry policy
     * @param random values uniformly distributed in [0, 1)
     */
    public Backoff(RetryConfig config, DoubleSupplier random) {
        this.config = config;
        this.random = random;
    }

    /**
     * The delay before retry number {@code attempt}.
     *
     * @param attempt 1 for the first retry
     * @return the delay, never negative
     */
    public Duration delay(int attempt) {
        Duration d = config.delayBeforeAttempt(attempt);
        if (!config.jitter()) {
            return d;
        }
        return Duration.ofNanos((long) (d.toNanos() * random.getAsDouble()));
    }

    /**
     * The policy this backoff follows.
     *
     * @return the retry configuration
     */
    public RetryConfig config() {
        return config;
    }
}
