package io.rustmq.quarkus.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.tracing.MessageTracer;

/**
 * Produces the application's {@link RustMQClient} from {@code quarkus.rustmq.*} and closes it on shutdown. The
 * configuration is validated when the application starts, so a bad value fails start naming its key.
 */
@Singleton
public class RustMQClientProducer {

    /** The {@code @Identifier} the {@code smallrye-rustmq} connector looks up for its base client configuration. */
    public static final String DEFAULT_CHANNEL_CLIENT = "default-rustmq-client";

    /**
     * The {@code @Identifier} of the {@link MessageTracer} bean given to the client and the channels; the extension
     * produces one over the application's OpenTelemetry when {@code quarkus-opentelemetry} is present.
     */
    public static final String TRACER = "rustmq-tracer";

    private static final System.Logger LOG = System.getLogger(RustMQClientProducer.class.getName());

    private final ClientConfig clientConfig;

    /**
     * Builds and validates the client configuration.
     *
     * @param config the mapped {@code quarkus.rustmq.*} values
     * @param tracer the application's tracer, resolvable when {@code quarkus-opentelemetry} is present
     * @throws io.quarkus.runtime.configuration.ConfigurationException naming the bad key
     */
    RustMQClientProducer(RustMQRuntimeConfig config, @Identifier(TRACER) Instance<MessageTracer> tracer) {
        this.clientConfig = RustMQClientConfigs.toClientConfig(config,
                tracer.isResolvable() ? tracer.get() : null);
    }

    /**
     * Instantiates this bean at start so that configuration errors surface then, not at the first injection.
     *
     * @param event the startup event
     */
    void validateAtStartup(@Observes StartupEvent event) {
        LOG.log(System.Logger.Level.DEBUG, "RustMQ client configuration: {0}", clientConfig);
    }

    /**
     * The validated client configuration built from {@code quarkus.rustmq.*}.
     *
     * @return the configuration
     */
    @Produces
    @Singleton
    @DefaultBean
    public ClientConfig clientConfig() {
        return clientConfig;
    }

    /**
     * The base configuration of every {@code smallrye-rustmq} channel: a channel's own attributes ({@code brokers},
     * {@code tls.ca-cert}, ...) override these values.
     *
     * @return the configuration built from {@code quarkus.rustmq.*}
     */
    @Produces
    @Singleton
    @Identifier(DEFAULT_CHANNEL_CLIENT)
    public ClientConfig channelClientConfig() {
        return clientConfig;
    }

    /**
     * The application's client. No connection is opened until its first request.
     *
     * @return a client, one per application
     */
    @Produces
    @ApplicationScoped
    @DefaultBean
    public RustMQClient client() {
        return RustMQClient.create(clientConfig);
    }

    /**
     * Closes the client when the application stops.
     *
     * @param client the produced client
     */
    void close(@Disposes RustMQClient client) {
        client.close();
    }
}
