/**
 * Consuming: {@link io.rustmq.client.consumer.Consumer} (receive, poll, a {@code Flow.Publisher}, commit, seek,
 * pause/resume, metrics), its {@link io.rustmq.client.consumer.ConsumerConfig},
 * {@link io.rustmq.client.consumer.ConsumerMessage} (ack/nack), {@link io.rustmq.client.consumer.StartPosition},
 * {@link io.rustmq.client.consumer.RebalanceListener}, {@link io.rustmq.client.consumer.DeadLetterFailureListener} and
 * the {@link io.rustmq.client.consumer.DeadLetterHeaders} that consumers and streams write. The implementation,
 * {@link io.rustmq.client.internal.consumer.DefaultConsumer}, is a facade over the parts in
 * {@code io.rustmq.client.internal.consumer}: group membership (member thread plus a heartbeat thread), fetching,
 * delivery, acknowledgments and commits, and dead-lettering (its own thread).
 */
package io.rustmq.client.consumer;
