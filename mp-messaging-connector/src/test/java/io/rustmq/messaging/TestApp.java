package io.rustmq.messaging;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.inject.ConfigExtension;
import io.smallrye.reactive.messaging.providers.IncomingInterceptorDecorator;
import io.smallrye.reactive.messaging.providers.MediatorFactory;
import io.smallrye.reactive.messaging.providers.OutgoingInterceptorDecorator;
import io.smallrye.reactive.messaging.providers.connectors.ExecutionHolder;
import io.smallrye.reactive.messaging.providers.connectors.WorkerPoolRegistry;
import io.smallrye.reactive.messaging.providers.extension.ChannelProducer;
import io.smallrye.reactive.messaging.providers.extension.EmitterFactoryImpl;
import io.smallrye.reactive.messaging.providers.extension.HealthCenter;
import io.smallrye.reactive.messaging.providers.extension.LegacyEmitterFactoryImpl;
import io.smallrye.reactive.messaging.providers.extension.MediatorManager;
import io.smallrye.reactive.messaging.providers.extension.MutinyEmitterFactoryImpl;
import io.smallrye.reactive.messaging.providers.extension.ReactiveMessagingExtension;
import io.smallrye.reactive.messaging.providers.impl.ConfiguredChannelFactory;
import io.smallrye.reactive.messaging.providers.impl.ConnectorFactories;
import io.smallrye.reactive.messaging.providers.impl.InternalChannelRegistry;
import io.smallrye.reactive.messaging.providers.wiring.Wiring;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A MicroProfile application for a test: a Weld SE container with SmallRye Reactive Messaging's provider, the
 * {@code smallrye-rustmq} connector, the given beans and the given configuration. Close it to stop it (a restart is
 * a new instance).
 */
public final class TestApp implements AutoCloseable {
    private final WeldContainer container;
    private final SmallRyeConfig config;
    private final ClassLoader loader = Thread.currentThread().getContextClassLoader();

    private TestApp(Map<String, String> properties, Class<?>... beans) {
        config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build();
        ConfigProviderResolver.instance().registerConfig(config, loader);
        Weld weld = new Weld(UUID.randomUUID().toString()).disableDiscovery()
                .addExtension(new ConfigExtension())
                .addExtension(new ReactiveMessagingExtension())
                .addBeanClasses(MediatorFactory.class, MediatorManager.class, InternalChannelRegistry.class,
                        ConnectorFactories.class, ConfiguredChannelFactory.class, ChannelProducer.class,
                        ExecutionHolder.class, WorkerPoolRegistry.class, HealthCenter.class, Wiring.class,
                        EmitterFactoryImpl.class, MutinyEmitterFactoryImpl.class, LegacyEmitterFactoryImpl.class,
                        OutgoingInterceptorDecorator.class, IncomingInterceptorDecorator.class,
                        RustMQConnector.class, RustMQPayloadConverter.class)
                .addBeanClasses(beans);
        try {
            container = weld.initialize();
        } catch (RuntimeException e) {
            ConfigProviderResolver.instance().releaseConfig(config);
            throw e;
        }
    }

    /**
     * Starts an application.
     *
     * @param properties the MicroProfile Config properties
     * @param beans the application's beans
     * @return the running application
     */
    public static TestApp start(Map<String, String> properties, Class<?>... beans) {
        return new TestApp(properties, beans);
    }

    /**
     * The connection attributes for the broker, connector-wide.
     *
     * @param broker the broker
     * @return properties to add
     */
    public static Map<String, String> connectorConfig(EmbeddedBrokerExtension broker) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mp.messaging.connector.smallrye-rustmq.brokers", broker.bootstrap());
        m.put("mp.messaging.connector.smallrye-rustmq.tls.ca-cert", broker.certificatePem().toString());
        m.put("mp.messaging.connector.smallrye-rustmq.tls.server-name", "localhost");
        return m;
    }

    /**
     * Builds channel attributes.
     *
     * @param base connector-wide properties
     * @return a builder
     */
    public static Props props(Map<String, String> base) {
        return new Props(base);
    }

    /** Fluent properties. */
    public static final class Props {
        private final Map<String, String> map;

        Props(Map<String, String> base) {
            this.map = new HashMap<>(base);
        }

        public Props incoming(String channel, String attribute, Object value) {
            if (!map.containsKey("mp.messaging.incoming." + channel + ".connector")) {
                map.put("mp.messaging.incoming." + channel + ".connector", RustMQConnector.CONNECTOR_NAME);
            }
            map.put("mp.messaging.incoming." + channel + "." + attribute, String.valueOf(value));
            return this;
        }

        public Props outgoing(String channel, String attribute, Object value) {
            if (!map.containsKey("mp.messaging.outgoing." + channel + ".connector")) {
                map.put("mp.messaging.outgoing." + channel + ".connector", RustMQConnector.CONNECTOR_NAME);
            }
            map.put("mp.messaging.outgoing." + channel + "." + attribute, String.valueOf(value));
            return this;
        }

        public Props put(String key, Object value) {
            map.put(key, String.valueOf(value));
            return this;
        }

        public Map<String, String> build() {
            return Map.copyOf(map);
        }
    }

    /**
     * A bean of the application.
     *
     * @param type its class
     * @param <T> its type
     * @return the contextual instance
     */
    public <T> T bean(Class<T> type) {
        return container.select(type).get();
    }

    /**
     * The connector bean.
     *
     * @return the connector
     */
    public RustMQConnector connector() {
        return container.select(RustMQConnector.class,
                org.eclipse.microprofile.reactive.messaging.spi.ConnectorLiteral.of(RustMQConnector.CONNECTOR_NAME))
                .get();
    }

    /**
     * SmallRye's health aggregate.
     *
     * @return the health center
     */
    public HealthCenter health() {
        return container.select(HealthCenter.class).get();
    }

    @Override
    public void close() {
        try {
            container.close();
        } finally {
            ConfigProviderResolver.instance().releaseConfig(config);
        }
    }
}
