package io.rustmq.client;

/**
 * Where a sent message was stored.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the message's offset in the partition
 */
public record SendResult(String topic, int partition, long offset) {
}
