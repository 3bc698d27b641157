/**
 * The API a Jakarta EE application uses with the RustMQ resource adapter: inject a {@link
 * io.rustmq.jca.api.RustMQConnectionFactory}, open a {@link io.rustmq.jca.api.RustMQConnection} per unit of work and
 * close it; receive with a message-driven bean that implements {@link io.rustmq.jca.api.RustMQMessageListener}.
 */
package io.rustmq.jca.api;
