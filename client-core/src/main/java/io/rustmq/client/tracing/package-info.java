/**
 * Tracing of RustMQ messaging: the library-neutral hook {@link io.rustmq.client.tracing.MessageTracer} that the
 * producer, the consumer and streams call, and its OpenTelemetry implementation
 * {@link io.rustmq.client.tracing.OpenTelemetryTracer}. OpenTelemetry is an optional dependency: without it on the
 * class path the client traces nothing and adds no header.
 */
package io.rustmq.client.tracing;
