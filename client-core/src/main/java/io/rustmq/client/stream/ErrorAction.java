package io.rustmq.client.stream;

/**
 * What {@link MessageProcessor#onError} decides for one failed message.
 */
public enum ErrorAction {
    /** Follow the stream's {@link ErrorStrategy}. */
    DEFAULT,
    /** Acknowledge the input and go on. */
    SKIP,
    /** Process the message again (after the strategy's backoff), even beyond its retry count. */
    RETRY,
    /** Send the input to the dead-letter topic (the strategy's, which must be set), then acknowledge it. */
    DEAD_LETTER,
    /** Stop the stream. */
    STOP
}
