/**
 * The embedded RustMQ broker: {@link io.rustmq.broker.EmbeddedBroker}, its builder, {@link io.rustmq.broker.Main} for
 * the command line, and {@link io.rustmq.broker.EmbeddedCluster}, several brokers sharing topics, group state and a
 * leadership view, with {@link io.rustmq.broker.BrokerCounters} showing where clients sent their requests.
 */
package io.rustmq.broker;
