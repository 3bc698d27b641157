package io.rustmq.jca.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.tracing.OpenTelemetryTracer;
import io.rustmq.jca.api.RustMQMessageListener;
import io.rustmq.jca.internal.InboundTracing;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Inbound delivery with OpenTelemetry (SDK with the in-memory exporter): the message-driven bean's work runs with the
 * producer's {@code publish} span current, from {@code beforeDelivery} to {@code afterDelivery}. Real messages from
 * the embedded broker; the endpoint is a plain class standing in for the container's MDB proxy.
 */
class EndpointActivationTracingTest {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().topic("jca-trace-on", 1)
            .topic("jca-trace-off", 1).build();

    static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    static final OpenTelemetrySdk OTEL = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
    static final Tracer APP = OTEL.getTracer("test-mdb");

    /** An endpoint that records the current span at each step and starts a span of its own in onMessage. */
    static final class RecordingEndpoint implements MessageEndpoint, RustMQMessageListener {
        final List<SpanContext> before = new ArrayList<>();
        final List<SpanContext> during = new ArrayList<>();
        final List<SpanContext> after = new ArrayList<>();

        @Override
        public void beforeDelivery(Method method) {
            before.add(Span.current().getSpanContext());
        }

        @Override
        public void onMessage(ConsumerMessage message) {
            during.add(Span.current().getSpanContext());
            APP.spanBuilder("mdb " + message.payloadAsString()).startSpan().end();
        }

        @Override
        public void afterDelivery() {
            after.add(Span.current().getSpanContext());
        }

        @Override
        public void release() {
        }
    }

    @BeforeEach
    void reset() {
        SPANS.reset();
    }

    @AfterAll
    static void closeSdk() {
        OTEL.close();
    }

    @Test
    void beanWorkIsAChildOfTheProducersPublishSpan() {
        Span request = APP.spanBuilder("request").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            produce("jca-trace-on", "order-1");
        } finally {
            request.end();
        }
        ConsumerMessage m = consumeOne("jca-trace-on");
        SpanData publish = span("publish jca-trace-on");
        assertThat(publish.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());

        RecordingEndpoint endpoint = new RecordingEndpoint();
        boolean kept = EndpointActivation.deliver(endpoint, m, InboundTracing.of(config(true)));

        assertThat(kept).isTrue();
        assertThat(m.isSettled()).isTrue();
        // The publish span is current for the whole delivery, container callbacks included ...
        assertThat(endpoint.before).singleElement().satisfies(c -> assertThat(c.getSpanId())
                .isEqualTo(publish.getSpanId()));
        assertThat(endpoint.during).singleElement().satisfies(c -> assertThat(c.getSpanId())
                .isEqualTo(publish.getSpanId()));
        assertThat(endpoint.after).singleElement().satisfies(c -> assertThat(c.getSpanId())
                .isEqualTo(publish.getSpanId()));
        // ... so the bean's own span is its child, in the request's trace ...
        SpanData work = span("mdb order-1");
        assertThat(work.getParentSpanId()).isEqualTo(publish.getSpanId());
        assertThat(work.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
        // ... and the delivering thread's context is restored afterwards.
        assertThat(Span.current().getSpanContext().isValid()).isFalse();
    }

    @Test
    void withTracingOffTheBeanRunsOutsideAnyTrace() {
        Span request = APP.spanBuilder("request").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            produce("jca-trace-off", "order-2");
        } finally {
            request.end();
        }
        ConsumerMessage m = consumeOne("jca-trace-off");
        assertThat(m.headers().lastString("traceparent")).isNotNull();

        RecordingEndpoint endpoint = new RecordingEndpoint();
        InboundTracing tracing = InboundTracing.of(config(false));
        assertThat(tracing).isSameAs(InboundTracing.NONE);
        assertThat(EndpointActivation.deliver(endpoint, m, tracing)).isTrue();

        assertThat(endpoint.during).singleElement().satisfies(c -> assertThat(c.isValid()).isFalse());
        SpanData work = span("mdb order-2");
        assertThat(work.getParentSpanContext().isValid()).isFalse();
        assertThat(work.getTraceId()).isNotEqualTo(request.getSpanContext().getTraceId());
    }

    private static ClientConfig config(boolean tracing) {
        return ClientConfig.builder().brokers(BROKER.bootstrap())
                .tls(TlsConfig.builder().caCert(BROKER.certificatePem()).serverName("localhost").build())
                .tracer(OpenTelemetryTracer.create(OTEL)).tracing(tracing).build();
    }

    private static void produce(String topic, String payload) {
        try (RustMQClient client = RustMQClient.create(config(true));
             Producer producer = client.createProducer(topic)) {
            producer.send(Message.builder().topic(topic).payload(payload).build());
        }
    }

    private static ConsumerMessage consumeOne(String topic) {
        try (RustMQClient client = RustMQClient.create(config(false));
             Consumer consumer = client.createConsumer(List.of(topic), "mdb-" + UUID.randomUUID(),
                     ConsumerConfig.builder().startPosition(StartPosition.earliest()).build())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                List<ConsumerMessage> got = consumer.poll(Duration.ofMillis(500));
                if (!got.isEmpty()) {
                    return got.get(0);
                }
            }
        }
        throw new AssertionError("no message on " + topic + " within 60 s");
    }

    private static SpanData span(String name) {
        return SPANS.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + SPANS.getFinishedSpanItems()));
    }
}
