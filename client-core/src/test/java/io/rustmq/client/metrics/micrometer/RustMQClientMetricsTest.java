package io.rustmq.client.metrics.micrometer;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.RustMQClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The binder without a broker (a new client opens no connection): client meters, binding rules, close. */
class RustMQClientMetricsTest {
    private static ClientConfig config() {
        return ClientConfig.builder().brokers("127.0.0.1:1").clientId("binder-unit").build();
    }

    @Test
    void bindsTheClientMetersTaggedWithTheClientIdAndRemovesThemOnClose() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RustMQClient client = RustMQClient.create(config())) {
            RustMQClientMetrics metrics = new RustMQClientMetrics(client, Tags.of("env", "unit"), Duration.ZERO);
            metrics.bindTo(registry);
            assertThat(registry.getMeters()).hasSize(12).allSatisfy(m -> {
                assertThat(m.getId().getName()).startsWith("rustmq.client.");
                assertThat(m.getId().getTag("client.id")).isEqualTo("binder-unit");
                assertThat(m.getId().getTag("env")).isEqualTo("unit");
            });
            assertThat(registry.get("rustmq.client.requests.sent").functionCounter().count()).isZero();
            assertThat(registry.get("rustmq.client.last.heartbeat.age").timeGauge().value()).isNaN();
            metrics.close();
            assertThat(registry.getMeters()).isEmpty();
            metrics.refresh();
            assertThat(registry.getMeters()).as("a closed binder registers nothing again").isEmpty();
        }
    }

    @Test
    void refreshAfterTheClientClosedRemovesEveryMeter() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RustMQClient client = RustMQClient.create(config());
        RustMQClientMetrics metrics = new RustMQClientMetrics(client, Tags.empty(), Duration.ZERO);
        metrics.bindTo(registry);
        assertThat(registry.getMeters()).isNotEmpty();
        client.close();
        metrics.refresh();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void bindsToOneRegistryOnlyAndRefusesANegativeInterval() {
        try (RustMQClient client = RustMQClient.create(config());
             RustMQClientMetrics metrics = new RustMQClientMetrics(client, Tags.empty(), Duration.ZERO)) {
            SimpleMeterRegistry first = new SimpleMeterRegistry();
            metrics.bindTo(first);
            metrics.bindTo(first);
            assertThat(first.getMeters()).hasSize(12);
            assertThatThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("one RustMQClientMetrics per");
            assertThatThrownBy(() -> new RustMQClientMetrics(client, Tags.empty(), Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refreshInterval");
        }
    }
}
