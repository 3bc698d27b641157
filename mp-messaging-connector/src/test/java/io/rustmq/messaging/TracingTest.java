package io.rustmq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.Message;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.tracing.OpenTelemetryTracer;
import io.rustmq.messaging.impl.ClientConfigs;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.TracingMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry tracing through {@code smallrye-rustmq} channels, with the SDK's in-memory exporter: the channels'
 * clients trace with it through the {@code default-rustmq-client} configuration bean.
 */
class TracingTest {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().topic("trace-on", 1)
            .topic("trace-off", 1).topic("trace-off-in", 1).build();

    static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    static final SdkTracerProvider PROVIDER = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build();
    static final OpenTelemetrySdk OTEL = OpenTelemetrySdk.builder().setTracerProvider(PROVIDER)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
    static final Tracer APP_TRACER = OTEL.getTracer("test-app");

    /** The base client configuration of every channel: the test broker, traced with the test SDK. */
    @ApplicationScoped
    public static class TracedClientConfig {
        @Produces
        @Identifier(ClientConfigs.DEFAULT_CLIENT_BEAN)
        ClientConfig config() {
            return Records.clientConfig(BROKER).toBuilder().tracer(OpenTelemetryTracer.create(OTEL)).build();
        }
    }

    /** Sends through the {@code out} channel and waits for each acknowledgment. */
    @ApplicationScoped
    public static class Sender {
        @Inject
        @Channel("out")
        Emitter<String> emitter;

        void send(org.eclipse.microprofile.reactive.messaging.Message<String> message) throws Exception {
            CompletableFuture<Void> acked = new CompletableFuture<>();
            emitter.send(message.withAck(() -> {
                acked.complete(null);
                return CompletableFuture.completedFuture(null);
            }).withNack(t -> {
                acked.completeExceptionally(t);
                return CompletableFuture.completedFuture(null);
            }));
            acked.get(60, TimeUnit.SECONDS);
        }
    }

    /** What the {@code @Incoming} method saw for one message. */
    record Seen(String payload, SpanContext current, Optional<TracingMetadata> metadata) {
    }

    /** Records the current span while handling each message, and starts a span of its own for it. */
    @ApplicationScoped
    public static class Handler {
        static final List<Seen> SEEN = new CopyOnWriteArrayList<>();

        @Incoming("in")
        CompletionStage<Void> handle(org.eclipse.microprofile.reactive.messaging.Message<String> message) {
            Span work = APP_TRACER.spanBuilder("handle " + message.getPayload()).startSpan();
            work.end();
            SEEN.add(new Seen(message.getPayload(), Span.current().getSpanContext(),
                    TracingMetadata.fromMessage(message)));
            return message.ack();
        }
    }

    @BeforeEach
    void reset() {
        SPANS.reset();
        Handler.SEEN.clear();
    }

    @AfterAll
    static void closeSdk() {
        OTEL.close();
    }

    @Test
    void incomingMethodRunsInsideTheProducersTraceAsChildOfItsPublishSpan() throws Exception {
        Map<String, String> config = TestApp.props(TestApp.connectorConfig(BROKER))
                .outgoing("out", "topic", "trace-on")
                .incoming("in", "topic", "trace-on")
                .incoming("in", "start-position", "earliest")
                .build();
        Span request = APP_TRACER.spanBuilder("request").startSpan();
        try (TestApp app = TestApp.start(config, TracedClientConfig.class, Sender.class, Handler.class)) {
            // The parent comes from SmallRye's TracingMetadata, as for a message derived from a traced incoming one.
            app.bean(Sender.class).send(org.eclipse.microprofile.reactive.messaging.Message.of("hello")
                    .addMetadata(TracingMetadata.withCurrent(Context.root().with(request))));
            await().atMost(Duration.ofSeconds(60)).until(() -> Handler.SEEN.size() == 1);
        } finally {
            request.end();
        }
        SpanData publish = span("publish trace-on");
        assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(publish.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
        assertThat(publish.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());

        Seen seen = Handler.SEEN.get(0);
        assertThat(seen.payload()).isEqualTo("hello");
        // While the method runs, the producer's publish span is the current span ...
        assertThat(seen.current().getSpanId()).isEqualTo(publish.getSpanId());
        assertThat(seen.current().getTraceId()).isEqualTo(publish.getTraceId());
        // ... the message carries it as TracingMetadata ...
        assertThat(seen.metadata()).isPresent();
        assertThat(Span.fromContext(seen.metadata().get().getCurrentContext()).getSpanContext().getSpanId())
                .isEqualTo(publish.getSpanId());
        // ... so the method's own span is a child of the publish span, in the request's trace.
        SpanData work = span("handle hello");
        assertThat(work.getParentSpanId()).isEqualTo(publish.getSpanId());
        assertThat(work.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
        // The channel's consumer records its receive span as a child of the publish span too.
        SpanData receive = span("receive trace-on");
        assertThat(receive.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(receive.getParentSpanId()).isEqualTo(publish.getSpanId());
    }

    @Test
    void tracingDisabledChannelsWriteNoTraceHeaderAndRecordNoSpan() throws Exception {
        // A record that does carry a trace context, for the incoming channel with tracing off.
        Span producerSide = APP_TRACER.spanBuilder("upstream").startSpan();
        try (var client = io.rustmq.client.RustMQClient.create(
                Records.clientConfig(BROKER).toBuilder().tracer(OpenTelemetryTracer.create(OTEL)).build());
             var producer = client.createProducer("trace-off-in");
             var ignored = producerSide.makeCurrent()) {
            producer.send(Message.builder().topic("trace-off-in").payload("traced").build());
        } finally {
            producerSide.end();
        }
        assertThat(Records.read(BROKER, "trace-off-in", 1).get(0).headers().lastString("traceparent")).isNotNull();
        SPANS.reset();

        Map<String, String> config = TestApp.props(TestApp.connectorConfig(BROKER))
                .outgoing("out", "topic", "trace-off")
                .outgoing("out", "tracing-enabled", false)
                .incoming("in", "topic", "trace-off-in")
                .incoming("in", "start-position", "earliest")
                .incoming("in", "tracing-enabled", false)
                .build();
        Span request = APP_TRACER.spanBuilder("request").startSpan();
        try (TestApp app = TestApp.start(config, TracedClientConfig.class, Sender.class, Handler.class)) {
            app.bean(Sender.class).send(org.eclipse.microprofile.reactive.messaging.Message.of("plain")
                    .addMetadata(TracingMetadata.withCurrent(Context.root().with(request))));
            await().atMost(Duration.ofSeconds(60)).until(() -> Handler.SEEN.size() == 1);
        } finally {
            request.end();
        }
        ConsumerMessage stored = Records.read(BROKER, "trace-off", 1).get(0);
        assertThat(stored.payloadAsString()).isEqualTo("plain");
        assertThat(stored.headers().lastString("traceparent")).isNull();
        assertThat(stored.headers().lastString("tracestate")).isNull();

        Seen seen = Handler.SEEN.get(0);
        assertThat(seen.payload()).isEqualTo("traced");
        assertThat(seen.metadata()).isEmpty();
        assertThat(seen.current().isValid()).isFalse();
        // Only the application's own spans: no publish span, no receive span from the channels.
        assertThat(SPANS.getFinishedSpanItems()).extracting(SpanData::getName)
                .containsExactlyInAnyOrder("request", "handle traced");
    }

    private static SpanData span(String name) {
        await().atMost(Duration.ofSeconds(30)).until(() -> SPANS.getFinishedSpanItems().stream()
                .anyMatch(s -> s.getName().equals(name)));
        return SPANS.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }
}
