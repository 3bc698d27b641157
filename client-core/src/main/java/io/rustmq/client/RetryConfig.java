package io.rustmq.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How failed requests and lost connections are retried: exponential backoff from {@code baseDelay}, multiplied by
 * {@code multiplier} per attempt, capped at {@code maxDelay}, optionally with full jitter. Immutable.
 */
public final class RetryConfig {
    private final int maxRetries;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final double multiplier;
    private final boolean jitter;

    private RetryConfig(Builder b) {
        this.maxRetries = Validation.atLeast("retry.maxRetries", b.maxRetries, 0);
        this.baseDelay = Validation.positive("retry.baseDelay", b.baseDelay);
        this.maxDelay = Validation.positive("retry.maxDelay", b.maxDelay);
        if (maxDelay.compareTo(baseDelay) < 0) {
            throw new ConfigurationException("retry.maxDelay", maxDelay, "must not be shorter than retry.baseDelay = "
                    + baseDelay);
        }
        if (!(b.multiplier >= 1.0) || Double.isInfinite(b.multiplier)) {
            throw new ConfigurationException("retry.multiplier", b.multiplier, "must be a finite number >= 1.0");
        }
        this.multiplier = b.multiplier;
        this.jitter = b.jitter;
    }

    /**
     * The defaults: 3 retries, 100 ms base delay, 10 s maximum delay, multiplier 2.0, jitter on.
     *
     * @return the default configuration
     */
    public static RetryConfig defaults() {
        return builder().build();
    }

    /**
     * A builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How many times a failed request is tried again (0 = never).
     *
     * @return the retry count
     */
    public int maxRetries() {
        return maxRetries;
    }

    /**
     * The delay before the first retry, before jitter.
     *
     * @return the base delay
     */
    public Duration baseDelay() {
        return baseDelay;
    }

    /**
     * The largest delay between attempts.
     *
     * @return the cap
     */
    public Duration maxDelay() {
        return maxDelay;
    }

    /**
     * The factor applied to the delay after each attempt.
     *
     * @return at least 1.0
     */
    public double multiplier() {
        return multiplier;
    }

    /**
     * Whether delays are randomised ("full jitter": uniformly between 0 and the computed delay).
     *
     * @return {@code true} if jitter is on
     */
    public boolean jitter() {
        return jitter;
    }

    /**
     * The delay before retry number {@code attempt} (1-based), before jitter: {@code min(maxDelay, baseDelay *
     * multiplier^(attempt-1))}.
     *
     * @param attempt the retry number, at least 1
     * @return the delay
     */
    public Duration delayBeforeAttempt(int attempt) {
        double millis = baseDelay.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        long capped = (long) Math.min(maxDelay.toMillis(), millis);
        return Duration.ofMillis(capped);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryConfig r && maxRetries == r.maxRetries && baseDelay.equals(r.baseDelay)
                && maxDelay.equals(r.maxDelay) && multiplier == r.multiplier && jitter == r.jitter;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxRetries, baseDelay, maxDelay, multiplier, jitter);
    }

    @Override
    public String toString() {
        return "RetryConfig{maxRetries=" + maxRetries + ", baseDelay=" + baseDelay + ", maxDelay=" + maxDelay
                + ", multiplier=" + multiplier + ", jitter=" + jitter + "}";
    }

    /** Builds a {@link RetryConfig}; {@link #build()} validates every field. */
    public static final class Builder {
        private int maxRetries = 3;
        private Duration baseDelay = Duration.ofMillis(100);
        private Duration maxDelay = Duration.ofSeconds(10);
        private double multiplier = 2.0;
        private boolean jitter = true;

        private Builder() {
        }

        /**
         * Sets how many times a failed request is retried.
         *
         * @param maxRetries 0 or more (default 3)
         * @return this builder
         */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /**
         * Sets the delay before the first retry.
         *
         * @param baseDelay a positive duration (default 100 ms)
         * @return this builder
         */
        public Builder baseDelay(Duration baseDelay) {
            this.baseDelay = baseDelay;
            return this;
        }

        /**
         * Sets the cap on the delay.
         *
         * @param maxDelay a positive duration, not below baseDelay (default 10 s)
         * @return this builder
         */
        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
            return this;
        }

        /**
         * Sets the backoff multiplier.
         *
         * @param multiplier at least 1.0 (default 2.0)
         * @return this builder
         */
        public Builder multiplier(double multiplier) {
            this.multiplier = multiplier;
            return this;
        }

        /**
         * Turns jitter on or off.
         *
         * @param jitter whether to randomise delays (default true)
         * @return this builder
         */
        public Builder jitter(boolean jitter) {
            this.jitter = jitter;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the configuration
         * @throws ConfigurationException naming the first invalid field
         */
        public RetryConfig build() {
            return new RetryConfig(this);
        }
    }
}
