package io.rustmq.client.internal.transport;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.ConnectionException;
import io.rustmq.client.HealthCheckResult;
import io.rustmq.client.RustMQException;
import io.rustmq.client.internal.transport.Futures;
import io.rustmq.client.internal.transport.RetryPolicy;
import io.rustmq.client.internal.transport.Scheduler;
import io.rustmq.client.protocol.MetadataRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Health checks: one check is a Metadata round trip (DESIGN §4: the broker has no health request) to a connected
 * broker, or to the next one that can be reached, within {@link ClientConfig#requestTimeout()}; a background check
 * runs every {@link ClientConfig#keepAliveInterval()} (its answer also refreshes the routes). Keeps the counters of
 * checks and failed checks and the time of the last heartbeat. A check's attempts run on the transport's callback
 * threads, its deadline and the background checks on the pool's {@link Scheduler} thread. Thread-safe.
 */
final class HealthChecker {
    private static final System.Logger LOG = System.getLogger(HealthChecker.class.getName());

    private final ConnectionPool pool;
    private final MetadataRouter router;
    private final ClientConfig config;
    private final Scheduler scheduler;
    private final LongAdder checks = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final Object timerLock = new Object();
    private volatile Instant lastHeartbeat;
    private Scheduler.Cancellable timer;
    private boolean stopped;

    HealthChecker(ConnectionPool pool, MetadataRouter router, ClientConfig config, Scheduler scheduler) {
        this.pool = pool;
        this.router = router;
        this.config = config;
        this.scheduler = scheduler;
    }

    /**
     * Runs one check.
     *
     * @return the result; or a future failed with the failure itself when every broker failed for a reason retrying
     *     cannot cure (a {@link io.rustmq.client.TlsException} with its reason, a configuration problem), else with
     *     a retriable {@link ConnectionException} naming every broker tried and why it did not answer, at the
     *     latest when the request timeout has elapsed
     */
    CompletableFuture<HealthCheckResult> check() {
        long timeoutNanos = Futures.saturatedNanos(config.requestTimeout());
        long deadline = scheduler.nanoTime() + timeoutNanos;
        CompletableFuture<HealthCheckResult> result = new CompletableFuture<>();
        Attempts attempts = new Attempts(result, deadline);
        Scheduler.Cancellable deadlineTimer = scheduler.schedule(() -> {
            List<String> why = new ArrayList<>(attempts.why);
            for (BrokerNode n : attempts.tried) {
                if (why.stream().noneMatch(s -> s.startsWith(n.describe()))) {
                    why.add(n.status() + " (no answer yet)");
                }
            }
            result.completeExceptionally(noAnswer(why, null));
        }, timeoutNanos);
        result.whenComplete((r, e) -> {
            deadlineTimer.cancel();
            checks.increment();
            if (e != null) {
                errors.increment();
            } else {
                lastHeartbeat = r.timestamp();
            }
        });
        next(attempts);
        return result;
    }

    /** The state of one check: brokers tried, and why each failed. */
    private static final class Attempts {
        final CompletableFuture<HealthCheckResult> result;
        final long deadline;
        final Set<BrokerNode> tried = ConcurrentHashMap.newKeySet();
        final List<String> why = new CopyOnWriteArrayList<>();
        final List<RustMQException> failures = new CopyOnWriteArrayList<>();

        Attempts(CompletableFuture<HealthCheckResult> result, long deadline) {
            this.result = result;
            this.deadline = deadline;
        }

        void failed(BrokerNode node, String reason, RustMQException failure) {
            why.add(reason);
            if (failure != null) {
                failures.add(failure);
            }
        }
    }

    private void next(Attempts a) {
        if (a.result.isDone()) {
            return;
        }
        BrokerNode next = null;
        for (BrokerNode n : router.healthy()) {
            if (!a.tried.contains(n)) {
                next = n;
                break;
            }
        }
        if (next == null) {
            for (BrokerNode n : router.nodes()) {
                if (a.tried.contains(n)) {
                    continue;
                }
                if (n.state() == BrokerNode.State.DOWN) {
                    a.tried.add(n);
                    a.failed(n, n.status(), n.failureIfDown());
                } else if (next == null) {
                    next = n;
                }
            }
        }
        if (next == null) {
            a.result.completeExceptionally(everyBrokerFailed(a));
            return;
        }
        BrokerNode node = next;
        a.tried.add(node);
        node.connection(false).whenComplete((link, error) -> {
            if (error != null) {
                RustMQException f = RetryPolicy.unwrap(error);
                a.failed(node, node.describe() + ": " + f.getMessage(), f);
                next(a);
                return;
            }
            long remaining = a.deadline - scheduler.nanoTime();
            if (remaining <= 0) {
                return; // the deadline timer fails the check
            }
            long sentAt = System.nanoTime();
            pool.exchange(node, link, new MetadataRequest(List.of()), Duration.ofNanos(remaining))
                    .whenComplete((response, e) -> {
                        if (e != null) {
                            RustMQException f = RetryPolicy.unwrap(e);
                            a.failed(node, node.describe() + ": " + f.getMessage(), f);
                            next(a);
                            return;
                        }
                        Duration rtt = Duration.ofNanos(System.nanoTime() - sentAt);
                        a.result.complete(new HealthCheckResult(router.anyFailing()
                                ? HealthCheckResult.Status.DEGRADED : HealthCheckResult.Status.HEALTHY,
                                node.brokerId(), node.addressText(), rtt, Instant.now(), router.healthy().length,
                                router.nodes().size()));
                    });
        });
    }

    /**
     * The failure of a check in which every broker failed before the deadline: a failure retrying cannot cure (TLS,
     * configuration) when every broker failed that way, as {@code send} reports it; otherwise a retriable
     * {@link ConnectionException} listing each broker's reason.
     */
    private RustMQException everyBrokerFailed(Attempts a) {
        RustMQException permanent = null;
        for (RustMQException f : a.failures) {
            if (f.isRetriable()) {
                permanent = null;
                break;
            }
            if (permanent == null) {
                permanent = f;
            }
        }
        if (permanent != null && a.failures.size() == a.why.size()) {
            return permanent;
        }
        return noAnswer(a.why, a.failures.isEmpty() ? null : a.failures.get(a.failures.size() - 1));
    }

    private ConnectionException noAnswer(List<String> why, Throwable cause) {
        return new ConnectionException("health check failed: no broker answered a Metadata request within "
                + config.requestTimeout().toMillis() + " ms (requestTimeout)"
                + (why.isEmpty() ? "" : ": " + String.join("; ", why)), cause);
    }

    /** Starts the background checks, one per {@code keepAliveInterval}. */
    void startBackground() {
        schedule();
    }

    private void schedule() {
        synchronized (timerLock) {
            if (stopped) {
                return;
            }
            timer = scheduler.schedule(this::background, Futures.saturatedNanos(config.keepAliveInterval()));
        }
    }

    private void background() {
        if (pool.isClosed()) {
            return;
        }
        check().whenComplete((r, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.DEBUG, () -> "background health check: " + e.getMessage());
            }
            schedule();
        });
    }

    /** Stops the background checks. Idempotent. */
    void stop() {
        synchronized (timerLock) {
            stopped = true;
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    /** Records a successful group heartbeat, which also shows the broker alive. */
    void onHeartbeat(Instant at) {
        lastHeartbeat = at;
    }

    Instant lastHeartbeat() {
        return lastHeartbeat;
    }

    long checks() {
        return checks.sum();
    }

    long errors() {
        return errors.sum();
    }
}
