/**
 * The producer's implementation, not API (it may change in any release).
 * {@link io.rustmq.client.internal.producer.DefaultProducer} is a facade: on the sending thread a
 * {@link io.rustmq.client.internal.producer.RecordEncoder} builds the wire record (headers, compression with pooled
 * native contexts, size checks), {@code BufferPool} reserves its bytes and {@code RecordAccumulator} batches it per
 * partition; the accumulator's {@code SendWindow} keeps the in-flight, sequence and retry bookkeeping (DESIGN §4), its
 * {@code LingerTimer} runs on the client's timer thread and {@code TopicPartitioning} keeps partition counts and
 * sticky partitions; {@code BatchDispatcher} sends the requests and completes, resends or fails batches on the
 * transport's threads, counting into {@link io.rustmq.client.internal.producer.ProducerStats} (the counters and
 * latency histogram behind {@code Producer.metrics()}). {@link io.rustmq.client.internal.producer.AckLevels} maps the
 * public acknowledgment level to the wire enum.
 */
package io.rustmq.client.internal.producer;
