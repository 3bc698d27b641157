package io.rustmq.jca.internal;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.RustMQException;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.tracing.MessageTracer;
import io.rustmq.client.tracing.Tracing;

/**
 * Puts a message-driven bean's work into the producer's trace: {@link #enter} makes the trace context a message
 * carries in its headers current on the delivering thread. Free of OpenTelemetry types, so that the adapter runs
 * without it: {@link #NONE} when the activation's client has tracing off, when {@code opentelemetry-api} is not
 * visible to the adapter or when the client uses a tracer other than OpenTelemetry's. Not public API.
 */
public abstract class InboundTracing {
    /** Makes nothing current. */
    public static final InboundTracing NONE = new InboundTracing() {
        @Override
        public Scope enter(ConsumerMessage message) {
            return NO_SCOPE;
        }
    };

    /** A scope that restores nothing. */
    static final Scope NO_SCOPE = () -> {
    };

    /** A context made current; {@link #close()} restores the previous one (on the same thread). */
    public interface Scope extends AutoCloseable {
        /** Restores the context that was current before; never throws. */
        @Override
        void close();
    }

    /** For subclasses. */
    protected InboundTracing() {
    }

    /**
     * The inbound tracing for an activation's client configuration.
     *
     * @param config the client configuration of the activation
     * @return OpenTelemetry's when the configuration's tracer is OpenTelemetry's (the default with
     *     {@code opentelemetry-api} present and tracing on), else {@link #NONE}
     * @throws RustMQException if OpenTelemetry is present but its tracing cannot be loaded
     */
    public static InboundTracing of(ClientConfig config) {
        MessageTracer tracer = Tracing.forConfig(config);
        if (tracer == null || !Tracing.openTelemetryPresent()) {
            return NONE;
        }
        try {
            // Loaded by name: this class must not link OpenTelemetry types.
            Object t = Class.forName("io.rustmq.jca.internal.OpenTelemetryInboundTracing", true,
                    InboundTracing.class.getClassLoader()).getMethod("create", MessageTracer.class)
                    .invoke(null, tracer);
            return t == null ? NONE : (InboundTracing) t;
        } catch (ReflectiveOperationException e) {
            throw new RustMQException("cannot set up OpenTelemetry tracing of inbound delivery although "
                    + "opentelemetry-api is present: " + e, e, false);
        }
    }

    /**
     * Makes the trace context of a message current on this thread (the current one stays if it carries none).
     *
     * @param message the message about to be delivered
     * @return the scope to close on the same thread after the delivery
     */
    public abstract Scope enter(ConsumerMessage message);
}
