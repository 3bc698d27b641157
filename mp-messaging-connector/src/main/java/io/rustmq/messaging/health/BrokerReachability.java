package io.rustmq.messaging.health;

import io.rustmq.client.HealthCheckResult;
import io.rustmq.client.RustMQClient;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether a client reaches its broker, from a Metadata round trip ({@link RustMQClient#healthCheckAsync()}) that is
 * reused for {@code health-check-interval}: a probe never waits for the network and never starts more than one check
 * at a time; it answers with the last result and starts a new check when that result is older than the interval.
 */
public final class BrokerReachability {
    private final RustMQClient client;
    private final long intervalNanos;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile HealthCheckResult last;
    private volatile long lastNanos;
    private volatile boolean everReached;

    /**
     * Watches a client.
     *
     * @param client the client
     * @param interval how long a result is reused
     */
    public BrokerReachability(RustMQClient client, Duration interval) {
        this.client = client;
        this.intervalNanos = interval.toNanos();
        refreshIfStale();
    }

    /**
     * Whether the last check reached the broker; starts a new check if it is stale.
     *
     * @return {@code true} if a broker answered the last check (healthy or degraded)
     */
    public boolean reachable() {
        refreshIfStale();
        return last != null;
    }

    /**
     * Whether any check has ever reached the broker (for startup).
     *
     * @return {@code true} once one did
     */
    public boolean everReached() {
        refreshIfStale();
        return everReached;
    }

    /**
     * A short description of the last check, for health messages.
     *
     * @return text such as {@code broker 127.0.0.1:1234 UP in 2 ms}
     */
    public String describe() {
        HealthCheckResult r = last;
        if (r == null) {
            return "broker not checked yet";
        }
        return "broker " + r.broker() + " " + r.status()
                + (r.roundTrip() == null ? "" : " in " + r.roundTrip().toMillis() + " ms");
    }

    private void refreshIfStale() {
        long now = System.nanoTime();
        if ((last == null || now - lastNanos >= intervalNanos) && checking.compareAndSet(false, true)) {
            try {
                client.healthCheckAsync().whenComplete((r, e) -> {
                    if (r != null) {
                        last = r;
                        everReached = true;
                    } else {
                        last = null;
                    }
                    lastNanos = System.nanoTime();
                    checking.set(false);
                });
            } catch (RuntimeException e) {
                last = null;
                lastNanos = now;
                checking.set(false);
            }
        }
    }
}
