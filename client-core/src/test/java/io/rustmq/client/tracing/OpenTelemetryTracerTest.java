package io.rustmq.client.tracing;

import io.opentelemetry.api.OpenTelemetry;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.rustmq.client.Message;
import io.rustmq.client.SendResult;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.TestMessages;
import io.rustmq.client.internal.consumer.AckListener;
import io.rustmq.client.internal.consumer.MessageAccess;
import io.rustmq.client.protocol.TopicPartition;
import io.rustmq.client.stream.MessageProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenTelemetryTracerTest {
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
    private final OpenTelemetryTracer tracer = OpenTelemetryTracer.create(otel);
    private final MessageAccess access = TestMessages.access(new AckListener() {
        @Override
        public void ack(ConsumerMessage m) {
        }

        @Override
        public void nack(ConsumerMessage m, Throwable reason) {
        }
    });

    @AfterEach
    void close() {
        otel.close();
    }

    private SpanData only(String name) {
        List<SpanData> spans = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name))
                .toList();
        assertThat(spans).as("spans named %s", name).hasSize(1);
        return spans.get(0);
    }

    @Test
    void publishReplacesAStaleTraceparentWithItsOwnContextAndKeepsOtherHeaders() {
        Message original = Message.builder().payload("abc").header("traceparent", "stale").header("app", "x")
                .partition(2).build();
        MessageTracer.Publish publish = tracer.startPublish("orders", original);
        Message sent = publish.message();
        publish.end(new SendResult("orders", 2, 41), null);

        SpanData span = only("publish orders");
        assertThat(span.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(sent.headers().all("traceparent")).hasSize(1);
        assertThat(sent.headers().lastString("traceparent"))
                .isEqualTo("00-" + span.getTraceId() + "-" + span.getSpanId() + "-01");
        assertThat(sent.headers().lastString("app")).isEqualTo("x");
        assertThat(sent.payloadAsString()).isEqualTo("abc");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("messaging.destination.partition.id")))
                .isEqualTo("2");
        assertThat(span.getAttributes().get(AttributeKey.longKey("messaging.rustmq.message.offset"))).isEqualTo(41L);
    }

    @Test
    void theGlobalTracerUsesAnInstanceRegisteredAfterItWasCreated() {
        OpenTelemetryTracer global = OpenTelemetryTracer.global();
        Message untouched = Message.builder().payload("x").build();
        assertThat(global.startPublish("orders", untouched).message())
                .as("no global instance yet: no-op, no header").isSameAs(untouched);
        GlobalOpenTelemetry.set(otel);
        try {
            MessageTracer.Publish p = global.startPublish("orders", untouched);
            p.end(new SendResult("orders", 0, 0), null);
            assertThat(p.message().headers().lastString("traceparent")).isNotNull();
            assertThat(only("publish orders").getKind()).isEqualTo(SpanKind.PRODUCER);
        } finally {
            GlobalOpenTelemetry.resetForTest();
        }
    }

    @Test
    void receiveSpansAreSkippedWhileOnlyTheNoopTracerExistsAndRecordedOnceAnSdkIsRegistered() {
        OpenTelemetryTracer global = OpenTelemetryTracer.global();
        ConsumerMessage received = access.create(Message.builder().payload("p").build(), new TopicPartition("in", 3),
                9, 1, null, 0);
        global.onReceive(received, "g");
        assertThat(exporter.getFinishedSpanItems()).as("no SDK registered: nothing recorded").isEmpty();
        GlobalOpenTelemetry.set(otel);
        try {
            global.onReceive(received, "g");
            SpanData span = only("receive in");
            assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(span.getAttributes().get(AttributeKey.longKey("messaging.rustmq.message.offset")))
                    .isEqualTo(9L);
        } finally {
            GlobalOpenTelemetry.resetForTest();
        }
    }

    @Test
    void aFailedPublishEndsItsSpanWithErrorStatus() {
        tracer.startPublish("orders", Message.builder().payload("x").build())
                .end(null, new IllegalStateException("broker gone"));
        SpanData span = only("publish orders");
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getEvents()).extracting(e -> e.getName()).contains("exception");
    }

    @Test
    void processSpanIsAChildOfThePublishContextIsCurrentDuringTheCallAndMarksOutputs() throws Exception {
        Message sent = tracer.startPublish("in", Message.builder().payload("p").build()).message();
        ConsumerMessage received = access.create(sent, new TopicPartition("in", 0), 7, 1, null, 0);
        String[] currentTrace = new String[1];
        MessageProcessor traced = tracer.wrap(m -> {
            currentTrace[0] = Span.current().getSpanContext().getTraceId();
            return Message.builder().payload("out").build();
        }, "g");
        List<Message> out = traced.processAll(received);

        SpanData process = only("process in");
        assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(currentTrace[0]).isEqualTo(process.getTraceId());
        assertThat(sent.headers().lastString("traceparent")).contains(process.getTraceId());
        assertThat(process.getAttributes().get(AttributeKey.stringKey("messaging.consumer.group.name")))
                .isEqualTo("g");
        assertThat(process.getAttributes().get(AttributeKey.longKey("messaging.rustmq.message.offset")))
                .isEqualTo(7L);
        assertThat(out).singleElement().satisfies(m -> assertThat(m.headers().lastString("traceparent"))
                .isEqualTo("00-" + process.getTraceId() + "-" + process.getSpanId() + "-01"));
    }

    @Test
    void aFailingProcessorRethrowsAndItsSpanHasErrorStatus() {
        ConsumerMessage received = access.create(Message.builder().payload("p").build(), new TopicPartition("in", 0),
                0, 1, null, 0);
        MessageProcessor traced = tracer.wrap(m -> {
            throw new IllegalArgumentException("bad input");
        }, "g");
        assertThatThrownBy(() -> traced.processAll(received)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad input");
        assertThat(only("process in").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }

    @Test
    void aBatchIsOneProcessSpanLinkedToEveryProducer() throws Exception {
        Message a = tracer.startPublish("in", Message.builder().payload("a").build()).message();
        Message b = tracer.startPublish("in", Message.builder().payload("b").build()).message();
        List<ConsumerMessage> batch = List.of(access.create(a, new TopicPartition("in", 0), 0, 1, null, 0),
                access.create(b, new TopicPartition("in", 0), 1, 1, null, 0));
        Span outer = otel.getTracer("test").spanBuilder("outer").startSpan();
        try (Scope ignored = outer.makeCurrent()) {
            tracer.wrap(m -> null, "g").processBatch(batch);
        } finally {
            outer.end();
        }
        SpanData process = only("process in");
        assertThat(process.getLinks()).hasSize(2);
        assertThat(process.getAttributes().get(AttributeKey.longKey("messaging.batch.message_count")))
                .isEqualTo(2L);
        assertThat(process.getParentSpanId()).isEqualTo(outer.getSpanContext().getSpanId());
    }

    @Test
    void onTheNoopInstanceAPublishSendsTheMessageUnchangedAndEndsQuietly() {
        Message original = Message.builder().payload("abc").header("traceparent", "kept").build();
        MessageTracer.Publish publish = OpenTelemetryTracer.create(OpenTelemetry.noop()).startPublish("t", original);
        assertThat(publish.message()).isSameAs(original);
        assertThat(publish.needsEnd()).as("the producer may skip its callback wrapper").isFalse();
        assertThat(tracer.startPublish("t", original).needsEnd()).as("a real tracer's span must be ended").isTrue();
        publish.end(new SendResult("t", 0, 1), null);
        publish.end(null, new RuntimeException("failed"));
        assertThat(exporter.getFinishedSpanItems()).isEmpty();
    }
}
