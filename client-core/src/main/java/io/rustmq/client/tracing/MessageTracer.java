package io.rustmq.client.tracing;

import io.rustmq.client.Message;
import io.rustmq.client.SendResult;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.stream.MessageProcessor;

/**
 * The tracing hook points of the client, free of any tracing library type: the producer calls
 * {@link #startPublish}, the consumer {@link #onReceive}, and a stream runs its processor through
 * {@link #wrap}. {@link OpenTelemetryTracer} implements it with OpenTelemetry; give one to
 * {@link io.rustmq.client.ClientConfig.Builder#tracer(MessageTracer)}, or leave the default (OpenTelemetry's global
 * instance when {@code opentelemetry-api} is on the class path). Implementations must be thread-safe and must not
 * throw from these methods.
 */
public interface MessageTracer {

    /**
     * Starts the span of one send, on the sending thread, before the record is built.
     *
     * @param topic the topic the message goes to
     * @param message the message as given by the application
     * @return the span handle, whose {@link Publish#message()} is sent instead (with trace headers added)
     */
    Publish startPublish(String topic, Message message);

    /**
     * Records that a message was handed to the application by a consumer, on the receiving thread.
     *
     * @param message the received message
     * @param group the consumer group
     */
    void onReceive(ConsumerMessage message, String group);

    /**
     * Wraps a stream's processor so that each processing call runs in its own span.
     *
     * @param processor the application's processor
     * @param group the stream's consumer group
     * @return the wrapping processor, which delegates every method
     */
    MessageProcessor wrap(MessageProcessor processor, String group);

    /** The span of one send, ended once the broker acknowledged the message or its send failed for good. */
    interface Publish {
        /**
         * The message to send in place of the application's, carrying the trace context headers.
         *
         * @return the message to send
         */
        Message message();

        /**
         * Ends the span with the send's outcome. Called once.
         *
         * @param result where the message was stored, or {@code null} if it failed
         * @param failure why the send failed, or {@code null} if it succeeded
         */
        void end(SendResult result, Throwable failure);

        /**
         * Whether {@link #end} has anything to do. When it has not (tracing is off), the producer sends
         * {@link #message()} with the application's callback as it is, without a wrapper per message.
         *
         * @return {@code true} (the default) if {@link #end} must be called, {@code false} if it does nothing
         */
        default boolean needsEnd() {
            return true;
        }
    }
}
