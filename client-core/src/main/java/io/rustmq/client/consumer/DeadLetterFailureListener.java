package io.rustmq.client.consumer;

import io.rustmq.client.RustMQException;

/**
 * Told when a message could not be stored in the dead-letter topic after {@link ConsumerConfig#maxDeadLetterAttempts()}
 * attempts (or at once, for a failure that is not retriable, such as a record too large). The consumer then
 * acknowledges the message so that its partition's commits move on; this callback, a WARNING log and
 * {@code ConsumerMetrics.deadLetterFailures} are where that loss is reported. Called on the consumer's dead-letter
 * thread; must not block.
 */
@FunctionalInterface
public interface DeadLetterFailureListener {
    /** Does nothing (the failure is still logged and counted). */
    DeadLetterFailureListener NONE = (message, reason, failure) -> { };

    /**
     * A message was given up on without reaching the dead-letter topic.
     *
     * @param message the message
     * @param reason why it was being dead-lettered (the last nack's reason), possibly {@code null}
     * @param failure why the dead-letter send failed
     */
    void onDeadLetterFailed(ConsumerMessage message, Throwable reason, RustMQException failure);
}
