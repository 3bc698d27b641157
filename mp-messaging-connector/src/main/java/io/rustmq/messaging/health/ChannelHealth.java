package io.rustmq.messaging.health;

import io.smallrye.reactive.messaging.health.HealthReport;

/** The health of one channel, as the connector's {@code HealthReporter} reports it. */
public interface ChannelHealth {
    /**
     * Whether the channel reports health ({@code health-enabled}).
     *
     * @return {@code true} if it does
     */
    boolean enabled();

    /**
     * Startup: up once the channel's client has reached its broker.
     *
     * @return the channel's entry
     */
    HealthReport.ChannelInfo startup();

    /**
     * Readiness: up while the broker is reachable (and, for an incoming channel, once it has partitions).
     *
     * @return the channel's entry
     */
    HealthReport.ChannelInfo readiness();

    /**
     * Liveness: down after a fatal failure or while a record is stuck.
     *
     * @return the channel's entry
     */
    HealthReport.ChannelInfo liveness();
}
