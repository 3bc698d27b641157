/**
 * Parts of the connection pool that are not API (they may change in any release): the retry policy
 * ({@link io.rustmq.client.internal.transport.RetryPolicy}: which failures are retried, after which backoff, and the
 * retry loop), the coordinator cache ({@link io.rustmq.client.internal.transport.CoordinatorCache}), the connection
 * slots ({@link io.rustmq.client.internal.transport.ConnectionSlots}), the pool's source of time and delayed tasks
 * ({@link io.rustmq.client.internal.transport.Scheduler}) (its threads, like every client thread, come
 * from {@link io.rustmq.client.internal.ClientThreads}) and future plumbing
 * ({@link io.rustmq.client.internal.transport.Futures}). Each class has its own unit test and says in its Javadoc
 * which thread runs it. Nothing here refers to Netty or to the {@code transport} package, so the pool can move here
 * later without a package cycle.
 */
package io.rustmq.client.internal.transport;
