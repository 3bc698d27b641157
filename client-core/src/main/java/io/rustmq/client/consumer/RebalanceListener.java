package io.rustmq.client.consumer;

import io.rustmq.client.TopicPartition;

import java.util.Collection;

/**
 * Told when the group gives this member partitions or takes them away. Both methods run on the consumer's member
 * thread; they may call {@link Consumer#commit()}, {@link Consumer#seek} and acknowledge messages, and should return
 * promptly (heartbeats wait meanwhile). An exception thrown by a listener is logged at WARNING and otherwise
 * ignored.
 */
public interface RebalanceListener {
    /** A listener that does nothing (the default). */
    RebalanceListener NONE = new RebalanceListener() {
    };

    /**
     * Partitions are being taken away. Their messages are no longer delivered; acknowledgments still count until
     * this method has returned and a short grace period has passed, after which the acknowledged offsets are
     * committed and the partitions are released. Also called for every partition on {@link Consumer#close()}.
     *
     * @param partitions the partitions being revoked, not empty
     */
    default void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    }

    /**
     * Partitions were assigned. Their start offsets are resolved afterwards (the committed offset, else the start
     * position) unless this method seeks them.
     *
     * @param partitions the newly assigned partitions, not empty
     */
    default void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    }
}
