/** The consumer-group coordinator: joins, assignments, heartbeats, committed offsets, leaves and session expiry. */
package io.rustmq.broker.group;
