package io.rustmq.messaging;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.junit.jupiter.api.Test;

import java.util.Map;

class ConfigurationTest {
    /** A consumer for the misconfigured channel. */
    @ApplicationScoped
    public static class Consumer {
        @Incoming("orders")
        public void consume(String s) {
            // never called
        }
    }

    @Test
    void missingBrokersFailsDeploymentNamingTheChannelAndTheAttribute() {
        Map<String, String> config = Map.of(
                "mp.messaging.incoming.orders.connector", "smallrye-rustmq",
                "mp.messaging.incoming.orders.topic", "orders");
        assertThatThrownBy(() -> TestApp.start(config, Consumer.class).close())
                .hasStackTraceContaining("smallrye-rustmq channel 'orders': the attribute 'brokers' is required");
    }

    @Test
    void badFailureStrategyFailsDeploymentNamingTheChannelAndTheAttribute() {
        Map<String, String> config = Map.of(
                "mp.messaging.incoming.orders.connector", "smallrye-rustmq",
                "mp.messaging.incoming.orders.brokers", "127.0.0.1:1",
                "mp.messaging.incoming.orders.failure-strategy", "retry-forever");
        assertThatThrownBy(() -> TestApp.start(config, Consumer.class).close())
                .hasStackTraceContaining("smallrye-rustmq channel 'orders': attribute 'failure-strategy' = "
                        + "'retry-forever' must be fail, ignore, dead-letter-queue or delayed-retry");
    }
}
