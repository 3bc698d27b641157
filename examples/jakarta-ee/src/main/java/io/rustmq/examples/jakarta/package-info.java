/**
 * A Jakarta EE application on the RustMQ resource adapter: {@link io.rustmq.examples.jakarta.OrderService} sends
 * through the injected connection factory, {@link io.rustmq.examples.jakarta.OrderListener} receives,
 * {@link io.rustmq.examples.jakarta.OrderResource} is the HTTP front.
 */
package io.rustmq.examples.jakarta;
