package io.rustmq.quarkus.deployment;

import java.util.Optional;

import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.RunTimeConfigurationDefaultBuildItem;
import io.quarkus.deployment.builditem.nativeimage.RuntimeInitializedPackageBuildItem;
import io.quarkus.deployment.metrics.MetricsCapabilityBuildItem;
import io.quarkus.runtime.metrics.MetricsFactory;
import io.quarkus.smallrye.health.deployment.spi.HealthBuildItem;
import io.rustmq.messaging.RustMQConnector;
import io.rustmq.messaging.RustMQPayloadConverter;
import io.rustmq.quarkus.runtime.RustMQClientProducer;
import io.rustmq.quarkus.runtime.health.RustMQClientReadinessCheck;
import io.rustmq.quarkus.runtime.metrics.RustMQMeterBinding;
import io.rustmq.quarkus.runtime.tracing.RustMQTracerProducer;

/** Build steps of the RustMQ extension: the feature, the client beans, health checks and native registrations. */
public class RustMQProcessor {

    /** The feature name Quarkus lists at start. */
    public static final String FEATURE = "rustmq";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    @BuildStep
    AdditionalBeanBuildItem beans() {
        return AdditionalBeanBuildItem.builder()
                .addBeanClasses(RustMQClientProducer.class, RustMQConnector.class, RustMQPayloadConverter.class)
                .setUnremovable()
                .build();
    }

    /**
     * The client's readiness check, and the channels' (reported by the connector through SmallRye Reactive
     * Messaging's health) switched off with {@code quarkus.rustmq.health.enabled=false}.
     */
    @BuildStep
    void health(RustMQBuildTimeConfig config, Capabilities capabilities, BuildProducer<HealthBuildItem> health,
            BuildProducer<RunTimeConfigurationDefaultBuildItem> defaults) {
        if (capabilities.isPresent(Capability.SMALLRYE_HEALTH)) {
            health.produce(new HealthBuildItem(RustMQClientReadinessCheck.class.getName(), config.health().enabled()));
        }
        if (!config.health().enabled()) {
            defaults.produce(new RunTimeConfigurationDefaultBuildItem(
                    "mp.messaging.connector." + RustMQConnector.CONNECTOR_NAME + ".health-enabled", "false"));
        }
    }

    /**
     * Observability (detected as Quarkus' Kafka extension does): with {@code quarkus-micrometer}, a bean binding the client's {@code rustmq.*} meters to the
     * application's registry (unless {@code quarkus.rustmq.metrics.enabled=false}); with {@code quarkus-opentelemetry}
     * tracing, a tracer over the application's {@code OpenTelemetry} for the client and the channels.
     */
    @BuildStep
    void observability(RustMQBuildTimeConfig config, Capabilities capabilities,
            Optional<MetricsCapabilityBuildItem> metrics, BuildProducer<AdditionalBeanBuildItem> beans) {
        if (config.metrics().enabled() && metrics.isPresent()
                && metrics.get().metricsSupported(MetricsFactory.MICROMETER)) {
            beans.produce(AdditionalBeanBuildItem.unremovableOf(RustMQMeterBinding.class));
        }
        if (capabilities.isPresent(Capability.OPENTELEMETRY_TRACER)) {
            beans.produce(AdditionalBeanBuildItem.unremovableOf(RustMQTracerProducer.class));
        }
    }

    /**
     * Native image: Netty's QUIC classes load their JNI library when first used, so they initialise at run time.
     * The client's codec and metrics use no reflection; JSON payload types are registered by the messaging steps.
     */
    @BuildStep
    RuntimeInitializedPackageBuildItem nativeImage() {
        return new RuntimeInitializedPackageBuildItem("io.netty.incubator.codec.quic");
    }
}
