/**
 * Producing: {@link io.rustmq.client.producer.Producer} (blocking, asynchronous and callback sends, batches, flush,
 * metrics), its {@link io.rustmq.client.producer.ProducerConfig}, {@link io.rustmq.client.producer.AckLevel},
 * {@link io.rustmq.client.producer.Partitioner}, {@link io.rustmq.client.producer.SendCallback} and
 * {@link io.rustmq.client.producer.BufferExhaustedException}. Producers are created by
 * {@link io.rustmq.client.RustMQClient#createProducer(io.rustmq.client.producer.ProducerConfig)}; the implementation
 * lives in {@code io.rustmq.client.internal.producer} and is not API.
 */
package io.rustmq.client.producer;
