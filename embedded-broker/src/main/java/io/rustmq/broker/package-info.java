/** The embedded RustMQ broker: {@link io.rustmq.broker.EmbeddedBroker}, its builder, and {@link io.rustmq.broker.Main} for the command line. */
package io.rustmq.broker;
