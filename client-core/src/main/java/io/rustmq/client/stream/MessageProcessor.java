package io.rustmq.client.stream;

import io.rustmq.client.Message;
import io.rustmq.client.consumer.ConsumerMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns input messages into output messages for a {@link MessageStream}. An output without a topic goes to the
 * stream's output topic; one with a topic is routed there. The stream acknowledges inputs itself once their outputs
 * are stored: a processor must not call {@code ack()} or {@code nack()}. Called from the stream's worker threads:
 * messages of one key (or partition) are processed one at a time and in order.
 */
@FunctionalInterface
public interface MessageProcessor {
    /**
     * Processes one message.
     *
     * @param message the input
     * @return the output, or {@code null} to drop the message
     * @throws Exception to report a failure, handled by the stream's {@link ErrorStrategy}
     */
    Message process(ConsumerMessage message) throws Exception;

    /**
     * Processes one message into any number of outputs. By default, {@link #process} as a list.
     *
     * @param message the input
     * @return the outputs, possibly empty
     * @throws Exception to report a failure
     */
    default List<Message> processAll(ConsumerMessage message) throws Exception {
        Message out = process(message);
        return out == null ? List.of() : List.of(out);
    }

    /**
     * Processes a batch (in {@link StreamConfig.Mode#BATCH}). By default, {@link #processAll} for each message.
     *
     * @param batch the inputs, in order
     * @return the outputs, in order
     * @throws Exception to fail the whole batch
     */
    default List<Message> processBatch(List<ConsumerMessage> batch) throws Exception {
        List<Message> out = new ArrayList<>();
        for (ConsumerMessage m : batch) {
            out.addAll(processAll(m));
        }
        return out;
    }

    /** Called once before the first message. */
    default void onStart() {
    }

    /** Called once after the last message, when the stream stops. */
    default void onStop() {
    }

    /**
     * Called when processing a message failed; may decide its outcome.
     *
     * @param message the input that failed
     * @param error what went wrong
     * @param attempt the attempt that failed, 1 for the first
     * @return what to do; {@link ErrorAction#DEFAULT} follows the stream's strategy
     */
    default ErrorAction onError(ConsumerMessage message, Throwable error, int attempt) {
        return ErrorAction.DEFAULT;
    }
}
