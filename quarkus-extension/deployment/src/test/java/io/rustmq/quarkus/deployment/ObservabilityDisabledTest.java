package io.rustmq.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.quarkus.arc.Arc;
import io.quarkus.test.QuarkusUnitTest;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.producer.Producer;
import io.rustmq.quarkus.runtime.metrics.RustMQMeterBinding;

/**
 * {@code quarkus.rustmq.metrics.enabled=false} keeps every {@code rustmq.*} meter out of the registry, and
 * {@code quarkus.rustmq.tracing.enabled=false} keeps trace headers out of sent messages, although
 * {@code quarkus-micrometer} and {@code quarkus-opentelemetry} are present.
 */
class ObservabilityDisabledTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TopicReader.class))
            .overrideConfigKey("quarkus.rustmq.metrics.enabled", "false")
            .overrideConfigKey("quarkus.rustmq.tracing.enabled", "false")
            .overrideConfigKey("quarkus.rustmq.devservices.topics", "observability-off");

    @Inject
    RustMQClient client;

    @Inject
    MeterRegistry registry;

    @Inject
    OpenTelemetry openTelemetry;

    @Test
    void noMeterIsRegisteredAndNoTraceHeaderIsSent() {
        assertThat(client.config().tracing()).isFalse();
        Span parent = openTelemetry.getTracer("observability-test").spanBuilder("checkout").startSpan();
        assertThat(parent.getSpanContext().isValid()).isTrue();
        try (Scope ignored = parent.makeCurrent(); Producer producer = client.createProducer("observability-off")) {
            producer.send(Message.builder().topic("observability-off").payload("untraced").build());
        } finally {
            parent.end();
        }

        ConsumerMessage received = TopicReader.firstMessage(client, "observability-off");
        assertThat(received.payloadAsString()).isEqualTo("untraced");
        assertThat(received.headers().lastString("traceparent")).isNull();

        assertThat(Arc.container().instance(RustMQMeterBinding.class).isAvailable()).isFalse();
        assertThat(registry.getMeters()).as("meters in the application's registry")
                .noneMatch(m -> m.getId().getName().startsWith("rustmq."));
    }
}
