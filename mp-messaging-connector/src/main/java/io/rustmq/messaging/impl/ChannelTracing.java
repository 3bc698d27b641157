package io.rustmq.messaging.impl;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.RustMQException;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.tracing.MessageTracer;
import io.rustmq.client.tracing.Tracing;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * A channel's trace context handling, free of OpenTelemetry types so that the connector runs without it: an incoming
 * record's message gets the producer's context (SmallRye's {@code TracingMetadata}), and a message's context is made
 * current while it is delivered to the application or handed to the producer. {@link #NONE} when the channel's
 * {@code tracing-enabled} is false, when OpenTelemetry is absent or when the client uses another tracer.
 */
public abstract class ChannelTracing {
    /** Does nothing: no metadata is added and no context is made current. */
    public static final ChannelTracing NONE = new ChannelTracing() {
        @Override
        public Metadata incoming(Metadata metadata, ConsumerMessage record) {
            return metadata;
        }

        @Override
        public Scope enter(Message<?> message) {
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
    protected ChannelTracing() {
    }

    /**
     * The tracing of a channel whose client has this configuration: the OpenTelemetry one when the configuration's
     * tracer is OpenTelemetry's (the default when {@code opentelemetry-api} is present and tracing is on), else
     * {@link #NONE}.
     *
     * @param config the channel's client configuration ({@code tracing-enabled=false} turned its tracing off)
     * @return the channel's tracing
     */
    public static ChannelTracing of(ClientConfig config) {
        MessageTracer tracer = Tracing.forConfig(config);
        if (tracer == null || !Tracing.openTelemetryPresent()) {
            return NONE;
        }
        try {
            // Loaded by name: this class must not link OpenTelemetry types.
            Object t = Class.forName("io.rustmq.messaging.impl.OpenTelemetryChannelTracing", true,
                    ChannelTracing.class.getClassLoader()).getMethod("create", MessageTracer.class)
                    .invoke(null, tracer);
            return t == null ? NONE : (ChannelTracing) t;
        } catch (ReflectiveOperationException e) {
            throw new RustMQException("cannot set up the channel's OpenTelemetry tracing although opentelemetry-api "
                    + "is present: " + e, e, false);
        }
    }

    /**
     * The metadata of an incoming record's message, with the trace context its headers carry added.
     *
     * @param metadata the message's metadata so far
     * @param record the record
     * @return the metadata to use
     */
    public abstract Metadata incoming(Metadata metadata, ConsumerMessage record);

    /**
     * Makes a message's trace context ({@code TracingMetadata}'s current context) current on this thread, if it has
     * one.
     *
     * @param message the message being delivered or sent
     * @return the scope to close on the same thread once the delivery or the send call returns
     */
    public abstract Scope enter(Message<?> message);
}
