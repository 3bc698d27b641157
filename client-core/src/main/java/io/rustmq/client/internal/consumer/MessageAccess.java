package io.rustmq.client.internal.consumer;

import io.rustmq.client.Message;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.protocol.TopicPartition;

/**
 * Reaches the package-private parts of {@link ConsumerMessage} (its constructor, the partition state and epoch it
 * was delivered under) from this package; implemented in {@code io.rustmq.client.consumer} and handed in by the
 * consumer facade, so these stay out of the public API. Stateless and thread-safe.
 */
public interface MessageAccess {
    /**
     * A new access object for one consumer, made by the factory that {@link ConsumerMessage}'s class initializer
     * registers (see {@link Factory}).
     *
     * @return a new, unbound access object
     */
    static MessageAccess create() {
        return Factory.create();
    }

    /**
     * Sets where the acknowledgments of the messages this object creates go; called once, before any message is
     * created.
     *
     * @param listener the consumer's acknowledgment listener
     */
    void bind(AckListener listener);

    /**
     * A new, unsettled message whose acknowledgments go to the consumer's {@link AckListener}.
     *
     * @param message the application's view of the record
     * @param tp where it was read
     * @param offset its offset
     * @param deliveryCount 1 for a first delivery, 0 for a corrupt record sent to the dead-letter topic
     * @param owner the partition state it belongs to
     * @param epoch the partition's epoch at delivery
     * @return the message
     */
    ConsumerMessage create(Message message, TopicPartition tp, long offset, int deliveryCount, PartitionState owner,
                           int epoch);

    /**
     * The partition state a message was delivered from.
     *
     * @param m a message created by {@link #create}
     * @return its owner
     */
    PartitionState owner(ConsumerMessage m);

    /**
     * The epoch a message was delivered in.
     *
     * @param m the message
     * @return the epoch
     */
    int epoch(ConsumerMessage m);

    /**
     * The same message for its next delivery: unsettled, delivery count + 1.
     *
     * @param m the message
     * @return a new instance
     */
    ConsumerMessage redelivery(ConsumerMessage m);

    /**
     * The same message unsettled, same delivery count (taken from the buffer but never handed out).
     *
     * @param m the message
     * @return a new instance
     */
    ConsumerMessage undelivered(ConsumerMessage m);

    /**
     * Holds the factory registered by {@code io.rustmq.client.consumer}, the only package that can build a
     * {@link ConsumerMessage}. Not API.
     */
    final class Factory {
        private static volatile java.util.function.Supplier<MessageAccess> factory;

        private Factory() {
        }

        /**
         * Registers the factory; called once by {@link ConsumerMessage}'s class initializer.
         *
         * @param supplier makes one access object per consumer
         * @throws IllegalStateException if a factory is already registered
         */
        public static synchronized void register(java.util.function.Supplier<MessageAccess> supplier) {
            if (factory != null) {
                throw new IllegalStateException("a MessageAccess factory is already registered");
            }
            factory = java.util.Objects.requireNonNull(supplier, "supplier");
        }

        static MessageAccess create() {
            if (factory == null) {
                try {
                    Class.forName(ConsumerMessage.class.getName(), true, ConsumerMessage.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("ConsumerMessage is not loadable", e);
                }
            }
            java.util.function.Supplier<MessageAccess> f = factory;
            if (f == null) {
                throw new IllegalStateException("ConsumerMessage registered no MessageAccess factory");
            }
            return f.get();
        }
    }
}
