/**
 * Producing: {@link io.rustmq.client.producer.Producer} (blocking, asynchronous and callback sends, batches, flush,
 * metrics), its {@link io.rustmq.client.producer.ProducerConfig}, {@link io.rustmq.client.producer.AckLevel},
 * {@link io.rustmq.client.producer.Partitioner}, {@link io.rustmq.client.producer.SendCallback} and
 * {@link io.rustmq.client.producer.BufferExhaustedException}. The implementation,
 * {@link io.rustmq.client.internal.producer.DefaultProducer}, is a facade: on the sending thread a
 * {@code RecordEncoder} (in {@code io.rustmq.client.internal.producer}) builds the wire record, {@code BufferPool}
 * reserves its bytes and {@code RecordAccumulator} batches it per partition; the accumulator's {@code SendWindow}
 * keeps the in-flight, sequence and retry bookkeeping (DESIGN §4), its {@code LingerTimer} runs on the client's
 * timer thread and {@code TopicPartitioning} keeps partition counts and sticky partitions; {@code BatchDispatcher}
 * sends the requests and completes, resends or fails batches on the transport's threads, counting into
 * {@code ProducerStats}. These parts are package-private, or in {@code io.rustmq.client.internal.producer}.
 */
package io.rustmq.client.producer;
