package io.rustmq.messaging.impl;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.Header;
import io.rustmq.client.Headers;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.RustMQException;
import io.rustmq.client.SendResult;
import io.rustmq.client.producer.Producer;
import io.rustmq.messaging.IncomingRustMQMetadata;
import io.rustmq.messaging.OutgoingRustMQMetadata;
import io.rustmq.messaging.health.BrokerReachability;
import io.rustmq.messaging.health.ChannelHealth;
import io.smallrye.reactive.messaging.health.HealthReport;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * An outgoing channel: a subscriber that sends each message with a producer (one per topic, shared by the channel),
 * keeps at most {@code max-inflight-messages} sends unacknowledged (it requests one more message per completed send)
 * and acknowledges each message once the broker stored it (or at once with {@code wait-for-write-completion=false}).
 * A payload that cannot be serialized nacks its message; the channel goes on.
 */
public final class RustMQSink implements Flow.Subscriber<Message<?>> {
    private static final System.Logger LOG = System.getLogger(RustMQSink.class.getName());

    private final OutgoingSettings settings;
    private final ClientRegistry registry;
    private final RustMQClient client;
    private final JsonMapper json;
    private final BrokerReachability reachability;
    private final ChannelTracing tracing;
    private final Map<String, Producer> producers = new ConcurrentHashMap<>();
    private final AtomicInteger inflight = new AtomicInteger();
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;
    private volatile String lastFailure;

    /**
     * Creates the channel's sender.
     *
     * @param settings the channel settings
     * @param registry the shared clients
     * @param clientConfig the connection settings
     * @param json the JSON mapper for object payloads
     */
    public RustMQSink(OutgoingSettings settings, ClientRegistry registry, ClientConfig clientConfig,
                      JsonMapper json) {
        this.settings = settings;
        this.registry = registry;
        this.json = json;
        this.client = registry.acquire(clientConfig);
        this.reachability = new BrokerReachability(client, settings.healthCheckInterval());
        this.tracing = ChannelTracing.of(clientConfig);
        producer(settings.topic());
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        this.subscription = s;
        s.request(settings.maxInflight());
    }

    @Override
    public void onNext(Message<?> message) {
        inflight.incrementAndGet();
        io.rustmq.client.Message record;
        try {
            record = toRecord(message);
        } catch (RuntimeException | IOException e) {
            failed.increment();
            settle(message.nack(new IllegalArgumentException("smallrye-rustmq channel '" + settings.channel()
                    + "': cannot serialize a payload of type " + typeOf(message.getPayload()) + ": " + e, e)));
            return;
        }
        CompletableFuture<SendResult> f;
        // The producer's publish span takes the current context as its parent: the message's, if it has one.
        try (ChannelTracing.Scope ignored = tracing.enter(message)) {
            f = producer(record.topic()).sendAsync(record);
        } catch (RustMQException e) {
            f = CompletableFuture.failedFuture(e);
        }
        if (!settings.waitForWriteCompletion()) {
            message.ack();
        }
        f.whenComplete((r, e) -> {
            if (e == null) {
                sent.increment();
                settle(settings.waitForWriteCompletion() ? message.ack() : null);
            } else {
                failed.increment();
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e;
                lastFailure = cause.toString();
                LOG.log(System.Logger.Level.WARNING, "channel " + settings.channel() + ": sending to "
                        + record.topic() + " failed: " + cause);
                settle(settings.waitForWriteCompletion() ? message.nack(cause) : null);
            }
        });
    }

    private void settle(java.util.concurrent.CompletionStage<Void> ackOrNack) {
        Runnable next = () -> {
            inflight.decrementAndGet();
            Flow.Subscription s = subscription;
            if (s != null && !closed) {
                s.request(1);
            }
        };
        if (ackOrNack == null) {
            next.run();
        } else {
            ackOrNack.whenComplete((v, e) -> next.run());
        }
    }

    private static String typeOf(Object payload) {
        return payload == null ? "null" : payload.getClass().getName();
    }

    private io.rustmq.client.Message toRecord(Message<?> message) throws IOException {
        Object payload = message.getPayload();
        Optional<OutgoingRustMQMetadata> out = message.getMetadata(OutgoingRustMQMetadata.class);
        io.rustmq.client.Message.Builder b;
        if (payload instanceof io.rustmq.client.Message m) {
            b = m.toBuilder();
            if (m.topic() == null) {
                b.topic(settings.topic());
            }
        } else {
            b = io.rustmq.client.Message.builder().topic(settings.topic());
            if (payload == null) {
                b.payload(new byte[0]);
            } else if (payload instanceof byte[] bytes) {
                b.payload(bytes);
            } else if (payload instanceof String s) {
                b.payload(s.getBytes(StandardCharsets.UTF_8));
            } else {
                b.payload(json.write(payload));
            }
            if (settings.key() != null) {
                b.key(settings.key());
            }
            if (settings.partition() >= 0) {
                b.partition(settings.partition());
            }
        }
        if (!settings.propagateHeaders().isEmpty()) {
            Optional<IncomingRustMQMetadata> in = message.getMetadata(IncomingRustMQMetadata.class);
            if (in.isPresent()) {
                for (Header h : in.get().getHeaders()) {
                    if (settings.propagateHeaders().contains(h.key())) {
                        b.header(h.key(), h.value());
                    }
                }
            }
        }
        if (out.isPresent()) {
            OutgoingRustMQMetadata o = out.get();
            if (o.getTopic() != null) {
                b.topic(o.getTopic());
            }
            if (o.getKey() != null) {
                b.key(o.getKey());
            }
            o.getPartition().ifPresent(b::partition);
            Headers hs = o.getHeaders();
            for (Header h : hs) {
                b.header(h.key(), h.value());
            }
        }
        return b.build();
    }

    private Producer producer(String topic) {
        return producers.computeIfAbsent(topic, t -> client.createProducer(t, settings.producerConfig()));
    }

    @Override
    public void onError(Throwable t) {
        LOG.log(System.Logger.Level.WARNING, "channel " + settings.channel() + ": upstream failed", t);
        lastFailure = "upstream failed: " + t;
    }

    @Override
    public void onComplete() {
        for (Producer p : producers.values()) {
            CompletableFuture.runAsync(() -> {
                try {
                    p.flush();
                } catch (RustMQException e) {
                    LOG.log(System.Logger.Level.WARNING, "channel " + settings.channel() + ": flush failed", e);
                }
            });
        }
    }

    /**
     * The channel's health: readiness follows the broker's reachability; liveness stays up (send failures nack
     * their messages and show in the readiness text).
     *
     * @return the health view
     */
    public ChannelHealth health() {
        return new ChannelHealth() {
            @Override
            public boolean enabled() {
                return settings.healthEnabled();
            }

            @Override
            public HealthReport.ChannelInfo startup() {
                return new HealthReport.ChannelInfo(settings.channel(), reachability.everReached(),
                        reachability.describe());
            }

            @Override
            public HealthReport.ChannelInfo readiness() {
                String f = lastFailure;
                return new HealthReport.ChannelInfo(settings.channel(), reachability.reachable() && !closed,
                        reachability.describe() + "; sent " + sent.sum() + ", failed " + failed.sum() + ", in flight "
                                + inflight.get() + (f == null ? "" : ", last failure: " + f));
            }

            @Override
            public HealthReport.ChannelInfo liveness() {
                return new HealthReport.ChannelInfo(settings.channel(), !closed || inflight.get() == 0);
            }
        };
    }

    /**
     * Flushes and closes the channel's producers within {@code close-timeout}, then releases the client.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
        for (Producer p : producers.values()) {
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                p.close(Duration.ofNanos(left));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "channel " + settings.channel() + ": closing a producer failed",
                        e);
            }
        }
        producers.clear();
        registry.release(client);
    }
}
