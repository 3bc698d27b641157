package io.rustmq.quarkus.runtime.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.rustmq.client.HealthCheckResult;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.RustMQException;

/**
 * Readiness of the application's {@link RustMQClient}: up when a broker answers a Metadata round trip within the
 * request timeout (also when another known broker is down). Registered only when SmallRye Health is present and {@code quarkus.rustmq.health.enabled} is true.
 */
@Readiness
@ApplicationScoped
public class RustMQClientReadinessCheck implements HealthCheck {

    /** The name this check reports under. */
    public static final String NAME = "RustMQ client";

    @Inject
    RustMQClient client;

    /**
     * Runs one health check against the brokers.
     *
     * @return up with the answering broker and round-trip time, or down with the reason
     */
    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named(NAME)
                .withData("brokers", String.join(",", client.config().brokers()));
        try {
            HealthCheckResult result = client.healthCheck();
            // DEGRADED still means a broker answered: the client can serve requests.
            builder.up().withData("status", result.status().name())
                    .withData("broker", result.broker())
                    .withData("round-trip-ms", result.roundTrip().toMillis())
                    .withData("connected-brokers", result.connectedBrokers());
        } catch (RustMQException e) {
            builder.down().withData("error", String.valueOf(e.getMessage()));
        }
        return builder.build();
    }
}
