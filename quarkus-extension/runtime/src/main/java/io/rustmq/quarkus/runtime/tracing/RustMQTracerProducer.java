package io.rustmq.quarkus.runtime.tracing;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.api.OpenTelemetry;
import io.smallrye.common.annotation.Identifier;
import io.rustmq.client.tracing.MessageTracer;
import io.rustmq.client.tracing.OpenTelemetryTracer;
import io.rustmq.quarkus.runtime.RustMQClientProducer;

/**
 * Produces the tracer of the application's RustMQ client and channels from the application's {@link OpenTelemetry}
 * bean. A bean only when {@code quarkus-opentelemetry} (with tracing) is present.
 */
@Singleton
public class RustMQTracerProducer {

    /**
     * The client's tracer over the application's OpenTelemetry, its tracer provider and propagators.
     *
     * @param openTelemetry the application's OpenTelemetry
     * @return the tracer given to {@code ClientConfig.Builder#tracer}
     */
    @Produces
    @Singleton
    @Identifier(RustMQClientProducer.TRACER)
    MessageTracer tracer(OpenTelemetry openTelemetry) {
        return OpenTelemetryTracer.create(openTelemetry);
    }
}
