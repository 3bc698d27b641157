package io.rustmq.quarkus.runtime.metrics;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.StartupEvent;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.metrics.micrometer.RustMQClientMetrics;

/**
 * Binds the {@code rustmq.*} meters of the application's {@link RustMQClient} (and of its producers, consumers and
 * streams) to the application's {@link MeterRegistry} at start, and removes them when the application stops. A bean
 * only when {@code quarkus-micrometer} is present and {@code quarkus.rustmq.metrics.enabled} is true.
 */
@Singleton
public class RustMQMeterBinding {

    private final RustMQClientMetrics metrics;
    private final MeterRegistry registry;

    /**
     * Prepares the binder; nothing is registered before {@link #bind}.
     *
     * @param client the application's client (its proxy is unwrapped, so the meters never touch a stopped context)
     * @param registry the application's registry
     */
    RustMQMeterBinding(RustMQClient client, MeterRegistry registry) {
        this.metrics = new RustMQClientMetrics(ClientProxy.unwrap(client));
        this.registry = registry;
    }

    /**
     * Registers the meters when the application starts.
     *
     * @param event the startup event
     */
    void bind(@Observes StartupEvent event) {
        metrics.bindTo(registry);
    }

    /**
     * The binder, for example to {@link RustMQClientMetrics#refresh() refresh} it now instead of waiting for its
     * periodic refresh (every {@link RustMQClientMetrics#DEFAULT_REFRESH_INTERVAL}).
     *
     * @return the binder of the application's client
     */
    public RustMQClientMetrics metrics() {
        return metrics;
    }

    /** Removes every {@code rustmq.*} meter of this binder and stops its refresh. */
    @PreDestroy
    void close() {
        metrics.close();
    }
}
