package io.rustmq.messaging;

import static io.smallrye.reactive.messaging.annotations.ConnectorAttribute.Direction.INCOMING;
import static io.smallrye.reactive.messaging.annotations.ConnectorAttribute.Direction.INCOMING_AND_OUTGOING;
import static io.smallrye.reactive.messaging.annotations.ConnectorAttribute.Direction.OUTGOING;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rustmq.client.ClientConfig;
import io.rustmq.messaging.health.ChannelHealth;
import io.rustmq.messaging.impl.ClientRegistry;
import io.rustmq.messaging.impl.IncomingSettings;
import io.rustmq.messaging.impl.JsonMapper;
import io.rustmq.messaging.impl.OutgoingSettings;
import io.rustmq.messaging.impl.RustMQSink;
import io.rustmq.messaging.impl.RustMQSource;
import io.smallrye.reactive.messaging.annotations.ConnectorAttribute;
import io.smallrye.reactive.messaging.connector.InboundConnector;
import io.smallrye.reactive.messaging.connector.OutboundConnector;
import io.smallrye.reactive.messaging.health.HealthReport;
import io.smallrye.reactive.messaging.health.HealthReporter;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

/**
 * The {@code smallrye-rustmq} connector: MicroProfile Reactive Messaging channels on RustMQ topics. Incoming channels
 * read with a group consumer and acknowledge per the commit strategy; outgoing channels send with a producer.
 * Channels whose connection settings are equal share one {@link io.rustmq.client.RustMQClient}. Every attribute is
 * declared below; the generated reference is {@code META-INF/connector/smallrye-rustmq-incoming.md} and
 * {@code -outgoing.md} in this jar.
 */
@ApplicationScoped
@Connector(RustMQConnector.CONNECTOR_NAME)
@ConnectorAttribute(name = "brokers", type = "string", direction = INCOMING_AND_OUTGOING,
        description = "Comma-separated bootstrap brokers (host:port). Required unless `client-configuration` (or a "
                + "`@Identifier(\"default-rustmq-client\")` ClientConfig bean) provides them")
@ConnectorAttribute(name = "topic", type = "string", direction = INCOMING_AND_OUTGOING,
        description = "The topic. Default: the channel name")
@ConnectorAttribute(name = "client-id", type = "string", direction = INCOMING_AND_OUTGOING,
        description = "The client id sent to the broker. Default: the base configuration's (`rustmq-java-client`)")
@ConnectorAttribute(name = "tls.ca-cert", type = "string", direction = INCOMING_AND_OUTGOING,
        description = "PEM file of the CA that signs the broker certificate. Default: the JDK trust store")
@ConnectorAttribute(name = "tls.client-cert", type = "string", direction = INCOMING_AND_OUTGOING,
        description = "PEM client certificate for mutual TLS (with `tls.client-key`)")
@ConnectorAttribute(name = "tls.client-key", type = "string", direction = INCOMING_AND_OUTGOING,
        description = "PEM private key of `tls.client-cert`")
@ConnectorAttribute(name = "tls.server-name", type = "string", direction = INCOMING_AND_OUTGOING,
        description = "The host name to verify the broker certificate against. Default: the broker's host")
@ConnectorAttribute(name = "tls.insecure-skip-verify", type = "boolean", direction = INCOMING_AND_OUTGOING,
        description = "Accept any broker certificate (development only). Default: false")
@ConnectorAttribute(name = "request-timeout", type = "string", direction = INCOMING_AND_OUTGOING,
        description = "Longest wait for a broker response: a duration such as `30s`, `500ms` or `PT30S` (a bare "
                + "number is milliseconds). Default: 30s")
@ConnectorAttribute(name = "connect-timeout", type = "string", direction = INCOMING_AND_OUTGOING,
        description = "Longest wait to connect to a broker (duration). Default: 10s")
@ConnectorAttribute(name = "health-enabled", type = "boolean", direction = INCOMING_AND_OUTGOING,
        defaultValue = "true", description = "Whether the channel reports startup, readiness and liveness")
@ConnectorAttribute(name = "health-check-interval", type = "string", direction = INCOMING_AND_OUTGOING,
        defaultValue = "2s", description = "How long a broker reachability check (a Metadata round trip) is reused "
                + "by health probes before a new one is started")
@ConnectorAttribute(name = "client-configuration", type = "string", direction = INCOMING_AND_OUTGOING,
        description = "Name of an `@Identifier` CDI bean of type `io.rustmq.client.ClientConfig` used as the base "
                + "configuration; the channel's attributes override its values. Default: the bean "
                + "`@Identifier(\"default-rustmq-client\")` if there is one")
@ConnectorAttribute(name = "close-timeout", type = "string", direction = INCOMING_AND_OUTGOING,
        defaultValue = "10s", description = "Longest time the channel takes to shut down: outgoing channels flush "
                + "in-flight sends, incoming channels wait for records being processed, commit and leave the group")
@ConnectorAttribute(name = "tracing-enabled", type = "boolean", direction = INCOMING_AND_OUTGOING,
        defaultValue = "true", description = "Whether the channel traces with OpenTelemetry (when present): an "
                + "outgoing record gets a `publish` span whose parent is the message's `TracingMetadata` context (else "
                + "the current one) and carries its context in `traceparent`/`tracestate` headers; an incoming "
                + "message carries the producer's context as `TracingMetadata`, current while the method runs. "
                + "`false`: no span and no trace header")
@ConnectorAttribute(name = "topics", type = "string", direction = INCOMING,
        description = "Comma-separated topics to read (instead of `topic`)")
@ConnectorAttribute(name = "consumer-group", type = "string", direction = INCOMING,
        description = "The consumer group. Default: the channel name (without the `$n` suffix of concurrent copies)")
@ConnectorAttribute(name = "start-position", type = "string", direction = INCOMING, defaultValue = "latest",
        description = "Where a group without a committed offset starts: `earliest`, `latest`, `offset:N` or "
                + "`timestamp:ISO-8601-instant`")
@ConnectorAttribute(name = "enable-auto-commit", type = "boolean", direction = INCOMING, defaultValue = "false",
        description = "Let the consumer commit acknowledged offsets on its own every `auto-commit-interval`; makes "
                + "`ignore` the default commit strategy")
@ConnectorAttribute(name = "auto-commit-interval", type = "string", direction = INCOMING, defaultValue = "5s",
        description = "How often the `throttled` strategy (or `enable-auto-commit`) commits (duration)")
@ConnectorAttribute(name = "commit-strategy", type = "string", direction = INCOMING,
        description = "`throttled` (default): commits, every `auto-commit-interval`, the highest offset below which "
                + "every record is acknowledged; `latest`: commits after each acknowledgment (coalesced, still never "
                + "past an unacknowledged record); `ignore`: the connector never commits; with "
                + "`enable-auto-commit` the consumer commits acknowledged offsets on its own, without it nothing is ever committed and a restart "
                + "reads again from the last committed offset or `start-position`")
@ConnectorAttribute(name = "unprocessed-record-max-age", type = "string", direction = INCOMING,
        defaultValue = "60s", description = "A record still unacknowledged this long after its processing started "
                + "is reported by topic, partition, offset and age, and liveness is down until it is settled; "
                + "`0` disables the check")
@ConnectorAttribute(name = "failure-strategy", type = "string", direction = INCOMING, defaultValue = "fail",
        description = "What a nack does: `fail` (the channel stops, liveness down with the cause), `ignore` (the "
                + "record is acknowledged), `dead-letter-queue` (sent to `dead-letter-queue.topic` with the "
                + "`rustmq-dlq-*` headers, then acknowledged), `delayed-retry` (redelivered after `retry.backoff`, "
                + "up to `retry.max-attempts` times, then dead-lettered if `dead-letter-queue.topic` is set, else "
                + "acknowledged and logged)")
@ConnectorAttribute(name = "dead-letter-queue.topic", type = "string", direction = INCOMING,
        description = "The dead-letter topic. Default with `dead-letter-queue`: `dead-letter-topic-<channel>`")
@ConnectorAttribute(name = "retry.max-attempts", type = "int", direction = INCOMING, defaultValue = "3",
        description = "With `delayed-retry`: how many times a nacked record is delivered again")
@ConnectorAttribute(name = "retry.backoff", type = "string", direction = INCOMING, defaultValue = "1s",
        description = "With `delayed-retry`: the delay before a nacked record is delivered again (duration)")
@ConnectorAttribute(name = "batch", type = "boolean", direction = INCOMING, defaultValue = "false",
        description = "Deliver `List` payloads (the records of one poll, up to `fetch-size`) with "
                + "`IncomingRustMQBatchMetadata`; the batch is acknowledged or nacked as a unit")
@ConnectorAttribute(name = "fetch-size", type = "int", direction = INCOMING,
        description = "Most records returned by one poll (and per batch). Default: the consumer's (100)")
@ConnectorAttribute(name = "session-timeout", type = "string", direction = INCOMING,
        description = "The group session timeout (duration). Default: the consumer's (30s)")
@ConnectorAttribute(name = "max-queue-size", type = "int", direction = INCOMING, defaultValue = "1024",
        description = "Most records waiting for downstream demand; at the limit the channel's partitions are "
                + "paused, and resumed once the queue is below half")
@ConnectorAttribute(name = "max-queue-bytes", type = "long", direction = INCOMING, defaultValue = "16777216",
        description = "Bytes (encoded record sizes) waiting for downstream demand at which the partitions are "
                + "paused (resumed below half); the check runs before each poll, so one poll (`fetch-size` records) "
                + "may go past it. `max-queue-size` is exact")
@ConnectorAttribute(name = "concurrency", type = "int", direction = INCOMING, defaultValue = "1",
        description = "How many records are processed at once (SmallRye creates that many copies of the channel; "
                + "they share one consumer). Order is kept per `ordering`")
@ConnectorAttribute(name = "ordering", type = "string", direction = INCOMING, defaultValue = "partition",
        description = "With `concurrency` > 1: `key` keeps each key's order, `partition` each partition's order, "
                + "`none` keeps no order. Commits stay gap-free in every mode")
@ConnectorAttribute(name = "acks", type = "string", direction = OUTGOING,
        description = "Acknowledgment level: `none`, `leader`, `majority` or `all`. Default: the producer's")
@ConnectorAttribute(name = "compression", type = "string", direction = OUTGOING,
        description = "`none`, `lz4`, `zstd` or `gzip`. Default: none")
@ConnectorAttribute(name = "idempotent", type = "boolean", direction = OUTGOING,
        description = "Idempotent sends (no duplicates on retry). Default: the producer's")
@ConnectorAttribute(name = "batch-size", type = "int", direction = OUTGOING,
        description = "Most records per produce batch. Default: the producer's")
@ConnectorAttribute(name = "linger", type = "string", direction = OUTGOING,
        description = "How long a batch waits for more records (duration). Default: the producer's")
@ConnectorAttribute(name = "max-inflight-messages", type = "int", direction = OUTGOING, defaultValue = "1024",
        description = "Most sends awaiting their broker acknowledgment; upstream demand stops at the limit")
@ConnectorAttribute(name = "key", type = "string", direction = OUTGOING,
        description = "A static key for every record (overridden by `OutgoingRustMQMetadata`)")
@ConnectorAttribute(name = "partition", type = "int", direction = OUTGOING, defaultValue = "-1",
        description = "A fixed partition for every record; -1 lets the partitioner choose")
@ConnectorAttribute(name = "wait-for-write-completion", type = "boolean", direction = OUTGOING,
        defaultValue = "true", description = "Acknowledge a message once the broker acknowledged it (`false`: as soon "
                + "as it is handed to the producer)")
@ConnectorAttribute(name = "propagate-headers", type = "string", direction = OUTGOING,
        description = "Comma-separated header names copied from the incoming RustMQ record a message derives from")
@ConnectorAttribute(name = "merge", type = "boolean", direction = OUTGOING, defaultValue = "false",
        description = "Whether several upstreams may write to this channel (handled by SmallRye)")
public class RustMQConnector implements InboundConnector, OutboundConnector, HealthReporter {
    /** The connector name used in {@code mp.messaging.*.connector}. */
    public static final String CONNECTOR_NAME = "smallrye-rustmq";

    private static final System.Logger LOG = System.getLogger(RustMQConnector.class.getName());

    @Inject
    @Any
    Instance<ClientConfig> clientConfigs;

    @Inject
    @Any
    Instance<ObjectMapper> objectMappers;

    private ClientRegistry clients;
    private JsonMapper json;
    private final Map<String, RustMQSource> sources = new ConcurrentHashMap<>();
    private final List<RustMQSink> sinks = new CopyOnWriteArrayList<>();

    /** Creates the connector (CDI does this). */
    public RustMQConnector() {
    }

    /** Prepares the shared client registry and the JSON mapper. */
    @PostConstruct
    void init() {
        clients = new ClientRegistry();
        json = JsonMapper.from(objectMappers);
    }

    @Override
    public Flow.Publisher<? extends Message<?>> getPublisher(Config config) {
        RustMQConnectorIncomingConfiguration ic = new RustMQConnectorIncomingConfiguration(config);
        String channel = ic.getChannel();
        int dollar = channel.indexOf('$');
        String base = dollar < 0 ? channel : channel.substring(0, dollar);
        int index = dollar < 0 ? 1 : Integer.parseInt(channel.substring(dollar + 1));
        RustMQSource source = sources.computeIfAbsent(base, b -> {
            IncomingSettings settings = IncomingSettings.from(ic, b);
            ClientConfig cc = io.rustmq.messaging.impl.ClientConfigs.build(ic, b, "incoming", clientConfigs);
            return new RustMQSource(settings, clients, cc);
        });
        return source.lane(index - 1);
    }

    @Override
    public Flow.Subscriber<? extends Message<?>> getSubscriber(Config config) {
        RustMQConnectorOutgoingConfiguration oc = new RustMQConnectorOutgoingConfiguration(config);
        OutgoingSettings settings = OutgoingSettings.from(oc);
        ClientConfig cc = io.rustmq.messaging.impl.ClientConfigs.build(oc, oc.getChannel(), "outgoing",
                clientConfigs);
        RustMQSink sink = new RustMQSink(settings, clients, cc, json);
        sinks.add(sink);
        return sink;
    }

    /**
     * The backpressure and processing state of an incoming channel.
     *
     * @param channel the channel name (without a {@code $n} suffix)
     * @return the snapshot, or empty if there is no such incoming channel
     */
    public Optional<IncomingChannelMetrics> getIncomingMetrics(String channel) {
        RustMQSource s = sources.get(channel);
        return s == null ? Optional.empty() : Optional.of(s.metrics());
    }

    /**
     * How many distinct {@link io.rustmq.client.RustMQClient}s the channels use (one per distinct connection
     * configuration).
     *
     * @return the number of open clients
     */
    public int clientCount() {
        return clients.size();
    }

    @Override
    public HealthReport getStartup() {
        return report(ChannelHealth::startup);
    }

    @Override
    public HealthReport getReadiness() {
        return report(ChannelHealth::readiness);
    }

    @Override
    public HealthReport getLiveness() {
        return report(ChannelHealth::liveness);
    }

    private HealthReport report(java.util.function.Function<ChannelHealth, HealthReport.ChannelInfo> probe) {
        HealthReport.HealthReportBuilder b = HealthReport.builder();
        List<ChannelHealth> all = new ArrayList<>();
        for (RustMQSource s : sources.values()) {
            all.add(s.health());
        }
        for (RustMQSink s : sinks) {
            all.add(s.health());
        }
        for (ChannelHealth h : all) {
            if (h.enabled()) {
                b.add(probe.apply(h));
            }
        }
        return b.build();
    }

    /**
     * Stops every channel before the application scope ends: outgoing channels flush, incoming channels commit what
     * was acknowledged and leave their groups, each within its {@code close-timeout}; then the clients close.
     *
     * @param event the CDI event (ignored)
     */
    public void terminate(
            @Observes(notifyObserver = Reception.IF_EXISTS) @Priority(50) @BeforeDestroyed(ApplicationScoped.class)
            Object event) {
        shutdown();
    }

    /** Same as {@link #terminate(Object)}, for containers that destroy the bean without that event. */
    @PreDestroy
    void destroy() {
        shutdown();
    }

    private synchronized void shutdown() {
        for (RustMQSink s : sinks) {
            s.close();
        }
        sinks.clear();
        for (RustMQSource s : sources.values()) {
            s.close();
        }
        sources.clear();
        if (clients != null) {
            clients.closeAll();
        }
        LOG.log(System.Logger.Level.DEBUG, "smallrye-rustmq connector stopped");
    }
}
