package io.rustmq.jca.internal;

import io.opentelemetry.context.Context;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.tracing.MessageTracer;
import io.rustmq.client.tracing.OpenTelemetryTracer;

/**
 * {@link InboundTracing} with OpenTelemetry: the context extracted from the message's headers (the producer's
 * {@code publish} span) is current while the endpoint runs, so the bean's spans are its children. Loaded only when
 * {@code opentelemetry-api} is present. Not public API.
 */
public final class OpenTelemetryInboundTracing extends InboundTracing {
    private final OpenTelemetryTracer tracer;

    private OpenTelemetryInboundTracing(OpenTelemetryTracer tracer) {
        this.tracer = tracer;
    }

    /**
     * The inbound tracing for a client tracer.
     *
     * @param tracer the client's tracer
     * @return the tracing, or {@code null} if the tracer is not OpenTelemetry's
     */
    public static InboundTracing create(MessageTracer tracer) {
        return tracer instanceof OpenTelemetryTracer o ? new OpenTelemetryInboundTracing(o) : null;
    }

    @Override
    public Scope enter(ConsumerMessage message) {
        Context context = tracer.extract(message);
        io.opentelemetry.context.Scope scope = context.makeCurrent();
        return scope::close;
    }
}
