package io.rustmq.client.tracing;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.RustMQException;

/**
 * Chooses the tracer a client's producers, consumers and streams use, without linking OpenTelemetry unless it is
 * present: none when {@link ClientConfig#tracing()} is off; the configured {@link ClientConfig#tracer()} if any;
 * otherwise {@link OpenTelemetryTracer#global()} when {@code opentelemetry-api} is on the class path, else none.
 */
public final class Tracing {
    private static final String OTEL_PROBE = "io.opentelemetry.api.GlobalOpenTelemetry";
    private static volatile MessageTracer global;
    private static volatile boolean probed;

    private Tracing() {
    }

    /**
     * The tracer for a client configuration.
     *
     * @param config the client's configuration
     * @return the tracer, or {@code null} when tracing is off or no tracing library is present (then the hook points
     *     cost one null check)
     */
    public static MessageTracer forConfig(ClientConfig config) {
        if (!config.tracing()) {
            return null;
        }
        if (config.tracer().isPresent()) {
            return config.tracer().get();
        }
        return globalIfPresent();
    }

    /**
     * Whether {@code opentelemetry-api} can be loaded by the class loader that loaded the client.
     *
     * @return {@code true} if it is on the class path
     */
    public static boolean openTelemetryPresent() {
        try {
            Class.forName(OTEL_PROBE, false, Tracing.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static MessageTracer globalIfPresent() {
        if (!probed) {
            synchronized (Tracing.class) {
                if (!probed) {
                    global = openTelemetryPresent() ? loadGlobal() : null;
                    probed = true;
                }
            }
        }
        return global;
    }

    /** Loads the OpenTelemetry tracer by name, so that this class never links OpenTelemetry types. */
    private static MessageTracer loadGlobal() {
        try {
            return (MessageTracer) Class.forName("io.rustmq.client.tracing.OpenTelemetryTracer", true,
                    Tracing.class.getClassLoader()).getMethod("global").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new RustMQException("cannot create the OpenTelemetry tracer although opentelemetry-api is present: "
                    + e, e, false);
        }
    }
}
