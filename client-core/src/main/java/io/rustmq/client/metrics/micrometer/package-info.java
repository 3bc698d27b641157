/**
 * Micrometer meters for the client: {@link io.rustmq.client.metrics.micrometer.RustMQClientMetrics}. Micrometer is
 * an optional dependency; nothing else in the client refers to this package.
 */
package io.rustmq.client.metrics.micrometer;
