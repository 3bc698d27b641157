package io.rustmq.client.metrics.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.rustmq.client.ClientStats;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.internal.ClientThreads;
import io.rustmq.client.metrics.ConsumerMetrics;
import io.rustmq.client.metrics.ProducerMetrics;
import io.rustmq.client.metrics.StreamMetrics;
import io.rustmq.client.internal.producer.DefaultProducer;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.TopicPartition;
import io.rustmq.client.stream.MessageStream;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * A Micrometer {@link MeterBinder} for a {@link RustMQClient}, its producers, consumers and streams, after Kafka's
 * {@code KafkaClientMetrics}: the counters and gauges of {@link ClientStats}, {@link ProducerMetrics},
 * {@link ConsumerMetrics} (lag per partition, tagged {@code topic} and {@code partition}) and {@link StreamMetrics},
 * named {@code rustmq.*} and tagged {@code client.id} (plus {@code topic}, {@code group}, {@code partition} where
 * they apply, and {@code producer.id}/{@code consumer.id}/{@code stream.id} to tell instances apart). Meters read
 * the objects live; a refresh, run at bind time, every {@code refreshInterval} on a thread of the client's thread
 * factory and on {@link #refresh()}, adds meters for new producers, consumers, streams and assigned partitions and
 * removes those of closed objects and revoked partitions. {@link #close()} removes every meter. Micrometer is an
 * optional dependency of the client: only applications that have it load this class.
 *
 * <pre>{@code
 * RustMQClientMetrics metrics = new RustMQClientMetrics(client);
 * metrics.bindTo(registry);   // ... metrics.close() before or after client.close()
 * }</pre>
 */
public final class RustMQClientMetrics implements MeterBinder, AutoCloseable {
    /** The default interval between refreshes. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(10);

    private static final System.Logger LOG = System.getLogger(RustMQClientMetrics.class.getName());

    private final RustMQClient client;
    private final Tags tags;
    private final Duration refreshInterval;
    private final Map<Object, Bound> bound = new IdentityHashMap<>();
    private final List<Meter> clientMeters = new ArrayList<>();
    private final AtomicLong consumerIds = new AtomicLong();
    private final AtomicLong streamIds = new AtomicLong();
    private MeterRegistry registry;
    private ScheduledExecutorService refresher;
    private boolean closed;

    /**
     * A binder with no extra tags, refreshed every {@link #DEFAULT_REFRESH_INTERVAL}.
     *
     * @param client the client
     */
    public RustMQClientMetrics(RustMQClient client) {
        this(client, Tags.empty(), DEFAULT_REFRESH_INTERVAL);
    }

    /**
     * A binder whose meters all carry extra tags, refreshed every {@link #DEFAULT_REFRESH_INTERVAL}.
     *
     * @param client the client
     * @param tags tags added to every meter
     */
    public RustMQClientMetrics(RustMQClient client, Iterable<Tag> tags) {
        this(client, tags, DEFAULT_REFRESH_INTERVAL);
    }

    /**
     * A binder with extra tags and its own refresh interval.
     *
     * @param client the client
     * @param tags tags added to every meter
     * @param refreshInterval how often new and closed producers, consumers, streams and partitions are noticed;
     *     positive, or zero for no background refresh (then call {@link #refresh()})
     * @throws IllegalArgumentException if {@code refreshInterval} is negative
     * @throws NullPointerException if an argument is null
     */
    public RustMQClientMetrics(RustMQClient client, Iterable<Tag> tags, Duration refreshInterval) {
        this.client = Objects.requireNonNull(client, "client");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags")).and("client.id", client.config().clientId());
        if (refreshInterval.isNegative()) {
            throw new IllegalArgumentException("refreshInterval must not be negative, got " + refreshInterval);
        }
        this.refreshInterval = refreshInterval;
    }

    /**
     * Registers the client's meters and those of its open producers, consumers and streams, and starts the
     * background refresh. A binder binds to one registry.
     *
     * @param registry the registry
     * @throws IllegalStateException if it is already bound to another registry, or closed
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (closed) {
            throw new IllegalStateException("this RustMQClientMetrics is closed");
        }
        if (this.registry != null) {
            if (this.registry != registry) {
                throw new IllegalStateException("already bound to " + this.registry
                        + "; create one RustMQClientMetrics per registry");
            }
            return;
        }
        this.registry = registry;
        bindClient();
        refresh();
        if (!refreshInterval.isZero() && !client.isClosed()) {
            refresher = ClientThreads.scheduler(client.config().threadFactory().orElse(null),
                    "rustmq-metrics-" + client.config().clientId());
            long ms = Math.max(1, refreshInterval.toMillis());
            refresher.scheduleWithFixedDelay(this::refreshInBackground, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    private void refreshInBackground() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "refreshing the RustMQ meters failed; the next refresh retries", e);
        }
    }

    /**
     * Adds meters for producers, consumers, streams and assigned partitions that appeared since the last refresh
     * and removes those of closed objects and revoked partitions; once the client is closed, removes every meter.
     * Does nothing before {@link #bindTo} or after {@link #close()}.
     */
    public synchronized void refresh() {
        if (registry == null || closed) {
            return;
        }
        if (client.isClosed()) {
            removeAll();
            stopRefresher();
            return;
        }
        Set<Object> live = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Producer p : client.producers()) {
            live.add(p);
            bound.computeIfAbsent(p, k -> bindProducer(p));
        }
        for (Consumer c : client.consumers()) {
            live.add(c);
            Bound b = bound.computeIfAbsent(c, k -> bindConsumer(c));
            updateLag(c, b);
        }
        for (MessageStream s : client.streams()) {
            live.add(s);
            bound.computeIfAbsent(s, k -> bindStream(s));
        }
        bound.entrySet().removeIf(e -> {
            if (live.contains(e.getKey())) {
                return false;
            }
            e.getValue().removeFrom(registry);
            return true;
        });
    }

    /** Stops the refresh and removes every meter this binder registered. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopRefresher();
        if (registry != null) {
            removeAll();
        }
    }

    private void stopRefresher() {
        if (refresher != null) {
            refresher.shutdownNow();
            refresher = null;
        }
    }

    private void removeAll() {
        for (Meter m : clientMeters) {
            registry.remove(m);
        }
        clientMeters.clear();
        for (Bound b : bound.values()) {
            b.removeFrom(registry);
        }
        bound.clear();
    }

    // ------------------------------------------------------------------------------------------------------------

    private void bindClient() {
        Tags t = tags;
        RustMQClient c = client;
        clientMeters.add(gauge("rustmq.client.connections.active", "QUIC connections open now", null, t, c,
                x -> x.stats().activeConnections()));
        clientMeters.add(counter("rustmq.client.connections.total", "connections opened", null, t, c,
                x -> x.stats().totalConnections()));
        clientMeters.add(gauge("rustmq.client.brokers", "brokers the client knows of", null, t, c,
                x -> x.stats().brokers()));
        clientMeters.add(counter("rustmq.client.bytes.sent", "request-frame bytes written", "bytes", t, c,
                x -> x.stats().bytesSent()));
        clientMeters.add(counter("rustmq.client.bytes.received", "response bytes read", "bytes", t, c,
                x -> x.stats().bytesReceived()));
        clientMeters.add(counter("rustmq.client.requests.sent", "requests written", null, t, c,
                x -> x.stats().requestsSent()));
        clientMeters.add(counter("rustmq.client.responses.received", "responses read to completion", null, t, c,
                x -> x.stats().responsesReceived()));
        clientMeters.add(counter("rustmq.client.request.errors", "requests that failed", null, t, c,
                x -> x.stats().errors()));
        clientMeters.add(counter("rustmq.client.health.checks", "health checks run", null, t, c,
                x -> x.stats().healthChecks()));
        clientMeters.add(counter("rustmq.client.health.check.errors", "health checks that failed", null, t, c,
                x -> x.stats().healthCheckErrors()));
        clientMeters.add(counter("rustmq.client.reconnect.attempts", "reconnection attempts", null, t, c,
                x -> x.stats().reconnectAttempts()));
        clientMeters.add(age("rustmq.client.last.heartbeat.age",
                "time since the last successful health check or group heartbeat", t, c,
                x -> x.stats().lastHeartbeat()));
    }

    private Bound bindProducer(Producer p) {
        String id = p instanceof DefaultProducer dp ? dp.producerId() : Integer.toHexString(
                System.identityHashCode(p));
        Tags t = tags.and("topic", p.topic() == null ? "*" : p.topic()).and("producer.id", id);
        Bound b = new Bound();
        b.meters.add(counter("rustmq.producer.messages.sent", "messages the broker acknowledged", null, t, p,
                x -> x.metrics().messagesSent()));
        b.meters.add(counter("rustmq.producer.messages.failed", "messages whose send failed", null, t, p,
                x -> x.metrics().messagesFailed()));
        b.meters.add(counter("rustmq.producer.bytes.sent", "record bytes acknowledged, as encoded", "bytes", t, p,
                x -> x.metrics().bytesSent()));
        b.meters.add(counter("rustmq.producer.batches.sent", "Produce requests acknowledged", null, t, p,
                x -> x.metrics().batchesSent()));
        b.meters.add(counter("rustmq.producer.retries", "Produce requests sent again", null, t, p,
                x -> x.metrics().retries()));
        b.meters.add(gauge("rustmq.producer.batch.size.avg", "acknowledged messages per acknowledged request",
                null, t, p, x -> x.metrics().averageBatchSize()));
        b.meters.add(TimeGauge.builder("rustmq.producer.request.latency.p50", p, TimeUnit.MICROSECONDS,
                x -> x.metrics().requestLatencyP50Micros()).tags(t)
                .description("median time from sending a Produce request to its outcome").register(registry));
        b.meters.add(TimeGauge.builder("rustmq.producer.request.latency.p99", p, TimeUnit.MICROSECONDS,
                x -> x.metrics().requestLatencyP99Micros()).tags(t)
                .description("99th percentile time from sending a Produce request to its outcome")
                .register(registry));
        b.meters.add(age("rustmq.producer.last.send.age", "time since the last Produce request was sent", t, p,
                x -> x.metrics().lastSendTime()));
        return b;
    }

    private Bound bindConsumer(Consumer c) {
        Tags base = tags.and("group", c.group()).and("consumer.id", Long.toString(consumerIds.incrementAndGet()));
        Tags t = base.and("topic", String.join(",", c.topics()));
        Bound b = new Bound();
        b.lagTags = base;
        b.meters.add(counter("rustmq.consumer.messages.received", "deliveries handed to the application", null, t, c,
                x -> x.metrics().messagesReceived()));
        b.meters.add(counter("rustmq.consumer.messages.processed", "messages acknowledged", null, t, c,
                x -> x.metrics().messagesProcessed()));
        b.meters.add(counter("rustmq.consumer.messages.nacked", "negative acknowledgments", null, t, c,
                x -> x.metrics().messagesNacked()));
        b.meters.add(counter("rustmq.consumer.messages.dead.lettered", "messages stored in the dead-letter topic",
                null, t, c, x -> x.metrics().messagesDeadLettered()));
        b.meters.add(counter("rustmq.consumer.position.resets", "positions reset because they left the log", null, t,
                c, x -> x.metrics().positionResets()));
        b.meters.add(counter("rustmq.consumer.dead.letter.failures", "messages the dead-letter topic could not store",
                null, t, c, x -> x.metrics().deadLetterFailures()));
        b.meters.add(gauge("rustmq.consumer.lag.total", "sum of the lag of the assigned partitions", null, t, c,
                x -> x.metrics().totalLag()));
        b.meters.add(age("rustmq.consumer.last.receive.age", "time since a message was last handed out", t, c,
                x -> x.metrics().lastReceiveTime()));
        return b;
    }

    /** Adds a lag gauge per newly assigned (or newly measured) partition and removes those of revoked ones. */
    private void updateLag(Consumer c, Bound b) {
        Set<TopicPartition> now = new HashSet<>(c.assignment());
        now.addAll(c.metrics().lag().keySet());
        b.lag.entrySet().removeIf(e -> {
            if (now.contains(e.getKey())) {
                return false;
            }
            registry.remove(e.getValue());
            return true;
        });
        for (TopicPartition tp : now) {
            b.lag.computeIfAbsent(tp, k -> Gauge.builder("rustmq.consumer.lag", c, x -> {
                long lag = x.metrics().lagOf(k);
                return lag < 0 ? Double.NaN : lag;
            }).tags(b.lagTags.and("topic", k.topic()).and("partition", Integer.toUnsignedString(k.partition())))
                    .description("high watermark minus the next offset to hand out, per partition")
                    .register(registry));
        }
    }

    private Bound bindStream(MessageStream s) {
        Tags t = tags.and("group", s.config().consumerGroup()).and("topic", String.join(",", s.config().inputTopics()))
                .and("stream.id", Long.toString(streamIds.incrementAndGet()));
        Bound b = new Bound();
        b.meters.add(counter("rustmq.stream.processed", "inputs processed and acknowledged", null, t, s,
                x -> x.metrics().processed()));
        b.meters.add(counter("rustmq.stream.failed", "processing attempts that failed", null, t, s,
                x -> x.metrics().failed()));
        b.meters.add(counter("rustmq.stream.retried", "attempts made again after a failure", null, t, s,
                x -> x.metrics().retried()));
        b.meters.add(counter("rustmq.stream.dead.lettered", "inputs sent to the dead-letter topic", null, t, s,
                x -> x.metrics().deadLettered()));
        b.meters.add(counter("rustmq.stream.skipped", "inputs acknowledged without output after a failure", null, t,
                s, x -> x.metrics().skipped()));
        b.meters.add(gauge("rustmq.stream.in.flight", "inputs taken and not yet acknowledged", null, t, s,
                x -> x.metrics().inFlight()));
        b.meters.add(TimeGauge.builder("rustmq.stream.processing.time.avg", s, TimeUnit.NANOSECONDS,
                x -> x.metrics().averageProcessingTime().toNanos()).tags(t)
                .description("mean time of one successful processor call").register(registry));
        return b;
    }

    private <T> Meter counter(String name, String description, String unit, Tags t, T obj, ToDoubleFunction<T> f) {
        return FunctionCounter.builder(name, obj, f).tags(t).description(description).baseUnit(unit)
                .register(registry);
    }

    private <T> Meter gauge(String name, String description, String unit, Tags t, T obj, ToDoubleFunction<T> f) {
        return Gauge.builder(name, obj, f).tags(t).description(description).baseUnit(unit).register(registry);
    }

    /** A time gauge of the time since an instant; NaN while the instant is unknown. */
    private <T> Meter age(String name, String description, Tags t, T obj,
                          java.util.function.Function<T, Instant> instant) {
        return TimeGauge.builder(name, obj, TimeUnit.MILLISECONDS, x -> {
            Instant i = instant.apply(x);
            return i == null ? Double.NaN : Math.max(0, System.currentTimeMillis() - i.toEpochMilli());
        }).tags(t).description(description).register(registry);
    }

    /** The meters registered for one producer, consumer or stream. */
    private static final class Bound {
        final List<Meter> meters = new ArrayList<>();
        final Map<TopicPartition, Meter> lag = new HashMap<>();
        Tags lagTags;

        void removeFrom(MeterRegistry registry) {
            for (Meter m : meters) {
                registry.remove(m);
            }
            for (Meter m : lag.values()) {
                registry.remove(m);
            }
            meters.clear();
            lag.clear();
        }
    }
}
