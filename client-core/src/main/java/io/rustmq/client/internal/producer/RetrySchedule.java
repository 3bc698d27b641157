package io.rustmq.client.internal.producer;

import io.rustmq.client.internal.transport.Backoff;

/**
 * When a failed Produce attempt is tried again (DESIGN §4, issue 18): after the client's backoff for the attempt
 * number (exponential, capped at {@code retry.maxDelay}, with jitter if configured), for as long as the next attempt
 * would start before {@code deliveryTimeout} has passed since the message was handed to the producer. The retry
 * count of {@code ClientConfig.retry()} does not end a send earlier. Stateless; times are on one nanosecond clock.
 */
final class RetrySchedule {
    private final Backoff backoff;
    private final long deliveryTimeoutNanos;

    /**
     * Creates a schedule.
     *
     * @param backoff the client's backoff
     * @param deliveryTimeoutNanos the producer's delivery timeout in nanoseconds
     */
    RetrySchedule(Backoff backoff, long deliveryTimeoutNanos) {
        this.backoff = backoff;
        this.deliveryTimeoutNanos = deliveryTimeoutNanos;
    }

    /**
     * The wait before the next attempt of a batch.
     *
     * @param failedAttempts how many attempts have failed so far, at least 1
     * @param createdNanos when the batch's oldest message was handed to the producer
     * @param nowNanos now
     * @return the delay in nanoseconds, or -1 if the delivery timeout would pass before the next attempt starts
     */
    long delayNanos(int failedAttempts, long createdNanos, long nowNanos) {
        long delay = backoff.delay(failedAttempts).toNanos();
        return nowNanos + delay - createdNanos < deliveryTimeoutNanos ? delay : -1;
    }

    /**
     * Whether a batch is past its delivery timeout.
     *
     * @param createdNanos when the batch's oldest message was handed to the producer
     * @param nowNanos now
     * @return {@code true} once {@code deliveryTimeout} has passed
     */
    boolean expired(long createdNanos, long nowNanos) {
        return nowNanos - createdNanos >= deliveryTimeoutNanos;
    }
}
