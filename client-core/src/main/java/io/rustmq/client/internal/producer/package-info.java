/**
 * The producer's self-contained parts, not API: {@code DefaultProducer} (in {@code io.rustmq.client.producer}) uses
 * them. {@link io.rustmq.client.internal.producer.RecordEncoder} turns a message into a wire record on the sending
 * thread (headers, compression with pooled native contexts, size checks), and
 * {@link io.rustmq.client.internal.producer.ProducerStats} keeps the counters and latency histogram behind
 * {@code Producer.metrics()}. The parts that share a partition's lock stay package-private in
 * {@code io.rustmq.client.producer}: {@code RecordAccumulator} (queues and draining), {@code SendWindow} (in-flight,
 * sequence and retry bookkeeping), {@code LingerTimer}, {@code TopicPartitioning} (partition count, sticky partition),
 * {@code BatchDispatcher} (requests, responses, retries and failures) and {@code BufferPool} (buffer memory).
 */
package io.rustmq.client.internal.producer;
