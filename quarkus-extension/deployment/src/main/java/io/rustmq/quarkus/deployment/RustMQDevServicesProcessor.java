package io.rustmq.quarkus.deployment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.deployment.IsDevServicesSupportedByLaunchMode;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.BuildSteps;
import io.quarkus.deployment.builditem.DevServicesResultBuildItem;
import io.quarkus.deployment.dev.devservices.DevServicesConfig;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Dev Services for RustMQ: in dev and test mode, when no broker is configured, starts the embedded broker inside
 * this JVM (no container runtime) and points {@code quarkus.rustmq.brokers} and {@code quarkus.rustmq.tls.ca-cert}
 * at it, so TLS stays verified. Test classes with the same Dev Services configuration share one broker.
 */
@BuildSteps(onlyIf = { IsDevServicesSupportedByLaunchMode.class, DevServicesConfig.Enabled.class })
public class RustMQDevServicesProcessor {

    /** The connector name of {@code smallrye-rustmq} channels. */
    static final String CONNECTOR = "smallrye-rustmq";
    static final String BROKERS = "quarkus.rustmq.brokers";
    static final String CA_CERT = "quarkus.rustmq.tls.ca-cert";
    static final String TOPICS = "quarkus.rustmq.devservices.topics";

    private static final Logger LOG = Logger.getLogger(RustMQDevServicesProcessor.class);

    @BuildStep
    DevServicesResultBuildItem startBroker(RustMQBuildTimeConfig buildConfig) {
        RustMQBuildTimeConfig.DevServices devServices = buildConfig.devservices();
        if (!devServices.enabled()) {
            LOG.debug("Dev Services for RustMQ disabled by quarkus.rustmq.devservices.enabled=false");
            return null;
        }
        if (ConfigUtils.isPropertyNonEmpty(BROKERS)) {
            LOG.debugf("Dev Services for RustMQ not started: %s is set", BROKERS);
            return null;
        }
        Config config = ConfigProvider.getConfig();
        List<Channel> channels = Channel.all(config);
        for (Channel channel : channels) {
            if (channel.hasBrokers()) {
                LOG.debugf("Dev Services for RustMQ not started: channel %s sets brokers", channel.name());
                return null;
            }
        }
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (Channel channel : channels) {
            topics.put(channel.topic(), devServices.defaultPartitions());
        }
        topics.putAll(parseTopics(devServices.topics().orElse(List.of()), devServices.defaultPartitions()));
        EmbeddedBrokerService.Settings settings = new EmbeddedBrokerService.Settings(
                devServices.port().orElse(0), devServices.defaultPartitions(), Map.copyOf(topics),
                devServices.retentionBytes().orElse(0), devServices.retentionMs().orElse(-1),
                devServices.logDir().orElse(null),
                devServices.statsInterval().map(java.time.Duration::toMillis).orElse(0L));
        return DevServicesResultBuildItem.owned()
                .feature(RustMQProcessor.FEATURE)
                .serviceName(RustMQProcessor.FEATURE)
                .description("RustMQ embedded broker (in this JVM, QUIC on loopback)")
                .serviceConfig(settings)
                .startable(() -> new EmbeddedBrokerService(settings))
                .postStartHook(s -> LOG.infof("Dev Services for RustMQ started an embedded broker at %s; other "
                        + "applications can use it with -D%s=%s -D%s=%s", s.getConnectionInfo(), BROKERS,
                        s.getConnectionInfo(), CA_CERT, s.certificatePem()))
                .configProvider(Map.of(
                        BROKERS, EmbeddedBrokerService::getConnectionInfo,
                        CA_CERT, s -> s.certificatePem().toString()))
                .build();
    }

    /**
     * Parses {@code name:partitions} entries.
     *
     * @param entries the configured entries
     * @param defaultPartitions the count for entries without one
     * @return topic name to partition count, in configuration order
     * @throws ConfigurationException naming {@value #TOPICS} and the bad entry
     */
    static Map<String, Integer> parseTopics(List<String> entries, int defaultPartitions) {
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String entry : entries) {
            String e = entry.trim();
            int colon = e.lastIndexOf(':');
            String name = colon < 0 ? e : e.substring(0, colon).trim();
            int partitions = defaultPartitions;
            if (colon >= 0) {
                try {
                    partitions = Integer.parseInt(e.substring(colon + 1).trim());
                } catch (NumberFormatException ex) {
                    partitions = -1;
                }
            }
            if (name.isEmpty() || partitions < 1) {
                throw new ConfigurationException(TOPICS + ": bad entry '" + entry
                        + "'; expected name:partitions with partitions >= 1", java.util.Set.of(TOPICS));
            }
            topics.put(name, partitions);
        }
        return topics;
    }

    /** A {@code smallrye-rustmq} channel as configured under {@code mp.messaging.incoming|outgoing.<name>.*}. */
    record Channel(String prefix, String name, String topic, boolean hasBrokers) {

        /**
         * Every channel whose connector is {@code smallrye-rustmq}.
         *
         * @param config the build-time view of the configuration
         * @return the channels, possibly empty
         */
        static List<Channel> all(Config config) {
            List<Channel> channels = new java.util.ArrayList<>();
            for (String property : config.getPropertyNames()) {
                for (String direction : List.of("mp.messaging.incoming.", "mp.messaging.outgoing.")) {
                    if (property.startsWith(direction) && property.endsWith(".connector")) {
                        String name = property.substring(direction.length(), property.length() - ".connector".length());
                        String prefix = direction + name + ".";
                        if (CONNECTOR.equals(config.getOptionalValue(property, String.class).orElse(null))) {
                            channels.add(new Channel(prefix, name,
                                    config.getOptionalValue(prefix + "topic", String.class).orElse(name),
                                    config.getOptionalValue(prefix + "brokers", String.class).isPresent()));
                        }
                    }
                }
            }
            return channels;
        }
    }
}
