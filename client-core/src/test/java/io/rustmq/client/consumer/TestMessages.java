package io.rustmq.client.consumer;

import io.rustmq.client.internal.consumer.AckListener;
import io.rustmq.client.internal.consumer.MessageAccess;

/** For tests of the consumer's internal parts: the bridge that creates {@link ConsumerMessage}s. */
public final class TestMessages {
    private TestMessages() {
    }

    /**
     * A message factory whose messages report to a listener.
     *
     * @param listener where acks and nacks go
     * @return the factory
     */
    public static MessageAccess access(AckListener listener) {
        ConsumerMessageBridge bridge = new ConsumerMessageBridge();
        bridge.bind(listener);
        return bridge;
    }
}
