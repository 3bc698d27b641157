/**
 * The consumer's implementation, not API (it may change in any release):
 * {@link io.rustmq.client.internal.consumer.DefaultConsumer} is a facade over these parts, and
 * {@link io.rustmq.client.internal.consumer.ConsumerPublisher} is its {@code Flow.Publisher}. Messages are built
 * through {@link io.rustmq.client.internal.consumer.MessageAccess}, which {@code io.rustmq.client.consumer} registers
 * so that {@code ConsumerMessage}'s constructor stays package-private. {@link io.rustmq.client.internal.consumer.SubscriptionState} holds the shared state and memory budget;
 * {@link io.rustmq.client.internal.consumer.GroupMembership} joins, heartbeats (own thread), rebalances and leaves;
 * {@link io.rustmq.client.internal.consumer.Fetcher} fetches, prefetches, resolves and resets positions and
 * decompresses; {@link io.rustmq.client.internal.consumer.Delivery} hands messages out, redelivers, pauses and
 * resumes; {@link io.rustmq.client.internal.consumer.Acknowledgments},
 * {@link io.rustmq.client.internal.consumer.AckTracker} and
 * {@link io.rustmq.client.internal.consumer.OffsetCommitter} track acknowledgments and commit gap-free offsets;
 * {@link io.rustmq.client.internal.consumer.DeadLetterer} dead-letters with bounded attempts, building records with
 * {@link io.rustmq.client.internal.consumer.DeadLetterRecords} (shared with streams);
 * {@link io.rustmq.client.internal.consumer.Positions} serves seeks, positions and lag. Every thread of a consumer or
 * a stream comes from {@link io.rustmq.client.internal.consumer.ConsumerThreads}.
 */
package io.rustmq.client.internal.consumer;
