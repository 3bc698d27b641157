/** OpenTelemetry wiring of the extension, loaded only when {@code quarkus-opentelemetry} is present. */
package io.rustmq.quarkus.runtime.tracing;
