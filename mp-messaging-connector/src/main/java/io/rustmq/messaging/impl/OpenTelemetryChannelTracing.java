package io.rustmq.messaging.impl;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.tracing.MessageTracer;
import io.rustmq.client.tracing.OpenTelemetryTracer;
import io.smallrye.reactive.messaging.TracingMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * {@link ChannelTracing} with OpenTelemetry, after SmallRye's Kafka connector: an incoming message carries
 * {@link TracingMetadata} whose current context is the one extracted from the record's headers (the producer's
 * {@code publish} span), and {@link #enter} makes a message's {@code TracingMetadata} context current, so that the
 * {@code @Incoming} method's spans are children of the producer's span and an outgoing record's {@code publish} span
 * is a child of the message's context. Loaded only when {@code opentelemetry-api} is present.
 */
public final class OpenTelemetryChannelTracing extends ChannelTracing {
    private final OpenTelemetryTracer tracer;

    private OpenTelemetryChannelTracing(OpenTelemetryTracer tracer) {
        this.tracer = tracer;
    }

    /**
     * The tracing for a client tracer.
     *
     * @param tracer the client's tracer
     * @return the tracing, or {@code null} if the tracer is not OpenTelemetry's (then the channel adds no context)
     */
    public static ChannelTracing create(MessageTracer tracer) {
        return tracer instanceof OpenTelemetryTracer o ? new OpenTelemetryChannelTracing(o) : null;
    }

    @Override
    public Metadata incoming(Metadata metadata, ConsumerMessage record) {
        Context producer = tracer.extract(record);
        if (!Span.fromContext(producer).getSpanContext().isValid()) {
            return metadata;
        }
        return metadata.with(TracingMetadata.with(producer, producer));
    }

    @Override
    public Scope enter(Message<?> message) {
        Context context = TracingMetadata.fromMessage(message).map(TracingMetadata::getCurrentContext).orElse(null);
        if (context == null) {
            return NO_SCOPE;
        }
        io.opentelemetry.context.Scope scope = context.makeCurrent();
        return scope::close;
    }
}
