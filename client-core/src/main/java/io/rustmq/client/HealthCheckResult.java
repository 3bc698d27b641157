package io.rustmq.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of a successful health check ({@link RustMQClient#healthCheck()}): a broker answered a Metadata request.
 * A check that no broker answers throws instead. Immutable.
 *
 * @param status {@link Status#HEALTHY} when every known broker is connected, {@link Status#DEGRADED} when at least
 *     one is down (being reconnected) but another answered
 * @param brokerId the id of the broker that answered, as its Metadata names it ({@code null} if it listed none)
 * @param broker the address of the broker that answered, {@code host:port}
 * @param roundTrip the time from sending the Metadata request to decoding its response (connecting excluded)
 * @param timestamp when the response arrived (wall clock)
 * @param connectedBrokers brokers with an open connection when the check finished
 * @param knownBrokers brokers the client knows of (configured and discovered)
 */
public record HealthCheckResult(Status status, String brokerId, String broker, Duration roundTrip, Instant timestamp,
                                int connectedBrokers, int knownBrokers) {
    /** How healthy the connection layer is. */
    public enum Status {
        /** A broker answered and every known broker is connected (or idle by choice). */
        HEALTHY,
        /** A broker answered, but at least one known broker is down and being reconnected. */
        DEGRADED
    }

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if status, broker, roundTrip or timestamp is null
     */
    public HealthCheckResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(roundTrip, "roundTrip");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /**
     * Whether every known broker is connected.
     *
     * @return {@code true} for {@link Status#HEALTHY}
     */
    public boolean isHealthy() {
        return status == Status.HEALTHY;
    }
}
