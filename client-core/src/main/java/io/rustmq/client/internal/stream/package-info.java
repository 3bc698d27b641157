/**
 * A stream's parts, not API: {@link io.rustmq.client.internal.stream.Lane} (one ordered worker per lane, which keeps
 * a key's order also when an output send fails) and {@link io.rustmq.client.internal.stream.StreamCounters}.
 * {@code MessageStream} (in {@code io.rustmq.client.stream}) dispatches to the lanes.
 */
package io.rustmq.client.internal.stream;
