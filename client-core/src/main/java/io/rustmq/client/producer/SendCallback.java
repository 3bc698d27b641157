package io.rustmq.client.producer;

import io.rustmq.client.SendResult;

/**
 * Called once when a send completes. Runs on a client worker thread, never on a network thread; keep it short.
 */
@FunctionalInterface
public interface SendCallback {
    /**
     * Reports the outcome of one send.
     *
     * @param result where the message was stored, or {@code null} if it failed
     * @param error the failure (a {@link io.rustmq.client.RustMQException}), or {@code null} on success
     */
    void onCompletion(SendResult result, Throwable error);
}
