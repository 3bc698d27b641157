package io.rustmq.quarkus.deployment;

import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.RunTimeConfigurationDefaultBuildItem;
import io.quarkus.deployment.builditem.nativeimage.RuntimeInitializedPackageBuildItem;
import io.quarkus.smallrye.health.deployment.spi.HealthBuildItem;
import io.rustmq.messaging.RustMQConnector;
import io.rustmq.messaging.RustMQPayloadConverter;
import io.rustmq.quarkus.runtime.RustMQClientProducer;
import io.rustmq.quarkus.runtime.health.RustMQClientReadinessCheck;

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
     * Native image: Netty's QUIC classes load their JNI library when first used, so they initialise at run time.
     * The client's codec and metrics use no reflection; JSON payload types are registered by the messaging steps.
     */
    @BuildStep
    RuntimeInitializedPackageBuildItem nativeImage() {
        return new RuntimeInitializedPackageBuildItem("io.netty.incubator.codec.quic");
    }
}
