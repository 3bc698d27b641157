package io.rustmq.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.tracing.OpenTelemetryTracer;
import io.rustmq.quarkus.runtime.metrics.RustMQMeterBinding;

/**
 * With {@code quarkus-micrometer} (Prometheus registry) and {@code quarkus-opentelemetry} present, the CDI client's
 * {@code rustmq.*} meters are in the application's registry and on {@code /q/metrics}, tagged with its client id,
 * and its sends carry the trace context of the application's OpenTelemetry.
 */
class ObservabilityTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TopicReader.class))
            .overrideConfigKey("quarkus.rustmq.client-id", "observed-app")
            .overrideConfigKey("quarkus.rustmq.devservices.topics", "observability-metrics,observability-traces");

    @Inject
    RustMQClient client;

    @Inject
    MeterRegistry registry;

    @Inject
    RustMQMeterBinding binding;

    @Inject
    OpenTelemetry openTelemetry;

    @Test
    void registryAndMetricsEndpointListTheClientsMetersTaggedWithItsClientId() {
        try (Producer producer = client.createProducer("observability-metrics")) {
            for (int i = 0; i < 3; i++) {
                producer.send(Message.builder().topic("observability-metrics").payload("m" + i).build());
            }
            binding.metrics().refresh(); // picks up the new producer now rather than at the next periodic refresh

            FunctionCounter sent = registry.find("rustmq.producer.messages.sent")
                    .tags("client.id", "observed-app", "topic", "observability-metrics").functionCounter();
            assertThat(sent).as("rustmq.producer.messages.sent in the application's registry").isNotNull();
            assertThat(sent.count()).isEqualTo(3.0);
            assertThat(registry.find("rustmq.client.requests.sent").tag("client.id", "observed-app")
                    .functionCounter().count()).isPositive();

            RestAssured.when().get("/q/metrics").then()
                    .statusCode(200)
                    .body(containsString("rustmq_producer_messages_sent_total{"))
                    .body(containsString("client_id=\"observed-app\""))
                    .body(containsString("rustmq_client_requests_sent_total{"));
        }
    }

    @Test
    void sendsCarryTheTraceOfTheApplicationsOpenTelemetry() {
        assertThat(client.config().tracing()).isTrue();
        assertThat(client.config().tracer()).get().isInstanceOf(OpenTelemetryTracer.class);

        Span parent = openTelemetry.getTracer("observability-test").spanBuilder("checkout").startSpan();
        String traceId = parent.getSpanContext().getTraceId();
        assertThat(parent.getSpanContext().isValid()).as("the application's SDK records spans").isTrue();
        try (Scope ignored = parent.makeCurrent(); Producer producer = client.createProducer("observability-traces")) {
            producer.send(Message.builder().topic("observability-traces").payload("traced").build());
        } finally {
            parent.end();
        }

        ConsumerMessage received = TopicReader.firstMessage(client, "observability-traces");
        assertThat(received.headers().lastString("traceparent")).as("W3C trace context header")
                .isNotNull().contains(traceId);
    }
}
