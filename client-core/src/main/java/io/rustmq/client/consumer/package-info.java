/**
 * Consuming: {@link io.rustmq.client.consumer.Consumer} (receive, poll, a {@code Flow.Publisher}, commit, seek,
 * pause/resume, metrics), its {@link io.rustmq.client.consumer.ConsumerConfig},
 * {@link io.rustmq.client.consumer.ConsumerMessage} (ack/nack), {@link io.rustmq.client.consumer.StartPosition},
 * {@link io.rustmq.client.consumer.RebalanceListener}, {@link io.rustmq.client.consumer.DeadLetterFailureListener} and
 * the {@link io.rustmq.client.consumer.DeadLetterHeaders} that consumers and streams write. Partitions are named by
 * {@link io.rustmq.client.TopicPartition}. Consumers are created by
 * {@link io.rustmq.client.RustMQClient#createConsumer(io.rustmq.client.consumer.ConsumerConfig)}; the implementation
 * lives in {@code io.rustmq.client.internal.consumer} and is not API.
 */
package io.rustmq.client.consumer;
