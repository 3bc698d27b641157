package io.rustmq.client.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
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
import io.rustmq.client.SendResult;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.stream.MessageStream;
import io.rustmq.client.stream.StreamConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16, tracing: with the OpenTelemetry SDK and its in-memory exporter, a message produced inside a parent span
 * carries the W3C trace context, and the consumer's and the stream's spans continue that trace with the messaging
 * semantic-convention attributes; with tracing off no header is added and no span recorded.
 */
class OpenTelemetryTracingIT {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true).build();

    private InMemorySpanExporter exporter;
    private OpenTelemetrySdk otel;

    @BeforeEach
    void sdk() {
        exporter = InMemorySpanExporter.create();
        otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    @AfterEach
    void closeSdk() {
        otel.close();
    }

    private ClientConfig.Builder config(String clientId) {
        return ClientConfig.builder().brokers(BROKER.bootstrap()).clientId(clientId)
                .tls(TlsConfig.builder().caCert(BROKER.certificatePem()).serverName("localhost").build())
                .tracer(OpenTelemetryTracer.create(otel));
    }

    private static ConsumerConfig earliest() {
        return ConsumerConfig.builder().startPosition(StartPosition.earliest())
                .sessionTimeout(Duration.ofSeconds(3)).heartbeatInterval(Duration.ofMillis(300)).build();
    }

    private SpanData span(String name) {
        await(name + " span exported").atMost(Duration.ofSeconds(30))
                .until(() -> exporter.getFinishedSpanItems().stream().anyMatch(s -> s.getName().equals(name)));
        return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow();
    }

    @Test
    void consumerReceiveSpanContinuesTheProducersTraceWithSemanticConventionAttributes() {
        String topic = "trace-consume";
        Span parent = otel.getTracer("test").spanBuilder("http request").startSpan();
        SendResult sent;
        try (RustMQClient client = RustMQClient.create(config("tracing-it").build())) {
            try (Producer producer = client.createProducer(topic); Scope ignored = parent.makeCurrent()) {
                sent = producer.send(Message.builder().key("k").payload("hello").header("app", "x").build());
            } finally {
                parent.end();
            }
            try (Consumer consumer = client.createConsumer(topic, "trace-group", earliest())) {
                ConsumerMessage m = consumer.receive(Duration.ofSeconds(30));
                assertThat(m).as("the traced message arrives").isNotNull();
                assertThat(m.headers().lastString("app")).isEqualTo("x");
                String traceparent = m.headers().lastString("traceparent");
                assertThat(traceparent).as("W3C traceparent header").isNotNull()
                        .startsWith("00-" + parent.getSpanContext().getTraceId() + "-");
                m.ack();
            }
        }

        SpanData publish = span("publish " + topic);
        assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(publish.getTraceId()).isEqualTo(parent.getSpanContext().getTraceId());
        assertThat(publish.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
        assertThat(publish.getAttributes().get(AttributeKey.stringKey("messaging.system"))).isEqualTo("rustmq");
        assertThat(publish.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")))
                .isEqualTo(topic);
        assertThat(publish.getAttributes().get(AttributeKey.stringKey("messaging.destination.partition.id")))
                .isEqualTo(Integer.toString(sent.partition()));
        assertThat(publish.getAttributes().get(AttributeKey.longKey("messaging.rustmq.message.offset")))
                .isEqualTo(sent.offset());
        assertThat(publish.getAttributes().get(AttributeKey.longKey("messaging.message.body.size"))).isEqualTo(5L);
        assertThat(publish.getAttributes().get(AttributeKey.stringKey("messaging.operation.type"))).isEqualTo("send");

        SpanData receive = span("receive " + topic);
        assertThat(receive.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(receive.getTraceId()).as("the consumer's span is in the producer's trace")
                .isEqualTo(parent.getSpanContext().getTraceId());
        assertThat(receive.getParentSpanId()).isEqualTo(publish.getSpanId());
        assertThat(receive.getAttributes().get(AttributeKey.stringKey("messaging.system"))).isEqualTo("rustmq");
        assertThat(receive.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")))
                .isEqualTo(topic);
        assertThat(receive.getAttributes().get(AttributeKey.stringKey("messaging.destination.partition.id")))
                .isEqualTo(Integer.toString(sent.partition()));
        assertThat(receive.getAttributes().get(AttributeKey.longKey("messaging.rustmq.message.offset")))
                .isEqualTo(sent.offset());
        assertThat(receive.getAttributes().get(AttributeKey.stringKey("messaging.consumer.group.name")))
                .isEqualTo("trace-group");
        assertThat(receive.getAttributes().get(AttributeKey.longKey("messaging.message.body.size"))).isEqualTo(5L);
        assertThat(receive.getAttributes().get(AttributeKey.stringKey("messaging.operation.type")))
                .isEqualTo("receive");
    }

    @Test
    void streamProcessSpanIsInTheProducersTraceAndParentsTheOutputsPublishSpan() throws Exception {
        String in = "trace-stream-in";
        String out = "trace-stream-out";
        Span parent = otel.getTracer("test").spanBuilder("http request").startSpan();
        String traceId = parent.getSpanContext().getTraceId();
        try (RustMQClient client = RustMQClient.create(config("tracing-stream-it").build())) {
            try (Producer producer = client.createProducer(in); Scope ignored = parent.makeCurrent()) {
                producer.send(Message.builder().key("k").payload("abc").build());
            } finally {
                parent.end();
            }
            MessageStream stream = client.createStream(StreamConfig.builder().inputTopics(List.of(in))
                    .outputTopic(out).consumerGroup("trace-stream").consumerConfig(earliest()).build())
                    .map(m -> Message.builder().key(m.key()).payload(m.payloadAsString().toUpperCase()).build())
                    .start();
            try (Consumer consumer = client.createConsumer(out, "trace-stream-reader", earliest())) {
                ConsumerMessage m = consumer.receive(Duration.ofSeconds(30));
                assertThat(m).as("the stream's output arrives").isNotNull();
                assertThat(m.payloadAsString()).isEqualTo("ABC");
                assertThat(m.headers().lastString("traceparent")).as("the output carries the trace")
                        .startsWith("00-" + traceId + "-");
                m.ack();
            } finally {
                stream.stop(Duration.ofSeconds(10));
            }
        }
        SpanData publishIn = span("publish " + in);
        SpanData process = span("process " + in);
        assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(process.getTraceId()).isEqualTo(traceId);
        assertThat(process.getParentSpanId()).isEqualTo(publishIn.getSpanId());
        assertThat(process.getAttributes().get(AttributeKey.stringKey("messaging.consumer.group.name")))
                .isEqualTo("trace-stream");
        assertThat(process.getAttributes().get(AttributeKey.stringKey("messaging.operation.type")))
                .isEqualTo("process");
        SpanData publishOut = span("publish " + out);
        assertThat(publishOut.getTraceId()).isEqualTo(traceId);
        assertThat(publishOut.getParentSpanId()).as("the output's publish span is a child of the process span")
                .isEqualTo(process.getSpanId());
        SpanData receiveOut = span("receive " + out);
        assertThat(receiveOut.getParentSpanId()).isEqualTo(publishOut.getSpanId());
    }

    @Test
    void tracingOffAddsNoHeaderAndRecordsNoSpan() {
        String topic = "trace-off";
        Span parent = otel.getTracer("test").spanBuilder("http request").startSpan();
        try (RustMQClient client = RustMQClient.create(config("tracing-off-it").tracing(false).build())) {
            try (Producer producer = client.createProducer(topic); Scope ignored = parent.makeCurrent()) {
                producer.send(Message.builder().payload("quiet").build());
            } finally {
                parent.end();
            }
            try (Consumer consumer = client.createConsumer(topic, "trace-off-group", earliest())) {
                ConsumerMessage m = consumer.receive(Duration.ofSeconds(30));
                assertThat(m).isNotNull();
                assertThat(m.headers().asList()).extracting(h -> h.key())
                        .doesNotContain("traceparent", "tracestate");
                m.ack();
            }
        }
        assertThat(exporter.getFinishedSpanItems()).extracting(SpanData::getName)
                .as("only the test's own span").containsExactly("http request");
    }
}
