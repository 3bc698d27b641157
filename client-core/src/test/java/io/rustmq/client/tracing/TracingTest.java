package io.rustmq.client.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.rustmq.client.ClientConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TracingTest {
    @Test
    void tracingOffMeansNoTracerEvenWhenOneIsConfigured() {
        ClientConfig config = ClientConfig.builder().tracer(OpenTelemetryTracer.create(OpenTelemetry.noop()))
                .tracing(false).build();
        assertThat(Tracing.forConfig(config)).isNull();
    }

    @Test
    void aConfiguredTracerIsUsed() {
        OpenTelemetryTracer tracer = OpenTelemetryTracer.create(OpenTelemetry.noop());
        assertThat(Tracing.forConfig(ClientConfig.builder().tracer(tracer).build())).isSameAs(tracer);
    }

    @Test
    void byDefaultTheGlobalOpenTelemetryTracerIsUsedWhenTheApiIsPresent() {
        assertThat(Tracing.openTelemetryPresent()).isTrue();
        assertThat(Tracing.forConfig(ClientConfig.defaults())).isInstanceOf(OpenTelemetryTracer.class);
    }

    @Test
    void configCopiesKeepTheTracingSettings() {
        OpenTelemetryTracer tracer = OpenTelemetryTracer.create(OpenTelemetry.noop());
        ClientConfig config = ClientConfig.builder().tracing(false).tracer(tracer).build();
        ClientConfig copy = config.toBuilder().build();
        assertThat(copy).isEqualTo(config);
        assertThat(copy.tracing()).isFalse();
        assertThat(copy.tracer()).containsSame(tracer);
        assertThat(ClientConfig.defaults().tracing()).isTrue();
    }
}
