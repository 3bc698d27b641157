package io.rustmq.client.internal.transport;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.ConnectionException;
import io.rustmq.client.HealthCheckResult;
import io.rustmq.client.RustMQException;
import io.rustmq.client.TlsException;
import io.rustmq.client.internal.transport.ManualScheduler;
import io.rustmq.client.internal.transport.FakeCluster.FakeBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Health checks of the pool against in-memory brokers, with time driven by hand. */
class HealthCheckerTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final FakeCluster cluster = new FakeCluster();
    private final ManualScheduler scheduler = new ManualScheduler();
    private ConnectionPool pool;

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    private ConnectionPool pool(ClientConfig.Builder config) {
        pool = new ConnectionPool(config.build(), cluster.connector(), scheduler, () -> 0.5);
        return pool;
    }

    private static Throwable failure(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        return f.handle((v, e) -> e).join();
    }

    @Test
    void healthCheckReportsATlsFailureAsANonRetriableTlsExceptionWithItsReason() {
        FakeBroker b0 = cluster.add("b0", "h0", 9001);
        b0.connectFailure = () -> new TlsException("server certificate not trusted: unknown CA", null);
        ConnectionPool p = pool(ClientConfig.builder().brokers("h0:9001").keepAliveInterval(Duration.ofHours(1)));

        Throwable e = failure(p.healthCheck());

        assertThat(e).isInstanceOf(TlsException.class)
                .hasMessageContaining("server certificate not trusted: unknown CA")
                .hasMessageNotContaining("within");
        assertThat(((RustMQException) e).isRetriable()).isFalse();
        assertThat(p.stats().healthCheckErrors()).isEqualTo(1);

        // Once the broker is down with that failure, a second check reports it the same way.
        assertThat(failure(p.healthCheck())).isInstanceOf(TlsException.class);
    }

    @Test
    void aTlsFailureOfOneBrokerAndAnUnreachableOtherIsARetriableConnectionFailureNamingBoth() {
        cluster.add("b0", "h0", 9001).connectFailure = () -> new TlsException("certificate expired", null);
        cluster.add("b1", "h1", 9002).up = false;
        ConnectionPool p = pool(ClientConfig.builder().brokers("h0:9001", "h1:9002")
                .keepAliveInterval(Duration.ofHours(1)));

        Throwable e = failure(p.healthCheck());

        assertThat(e).isInstanceOf(ConnectionException.class).hasMessageContaining("certificate expired")
                .hasMessageContaining("nothing is listening on h1:9002");
    }

    @Test
    void aBackgroundCheckRunsEveryKeepAliveIntervalOnceThePoolIsUsed() {
        cluster.add("b0", "h0", 9001);
        ConnectionPool p = pool(ClientConfig.builder().brokers("h0:9001").keepAliveInterval(Duration.ofSeconds(5)));
        HealthCheckResult first = p.healthCheck().join();
        assertThat(first.status()).isEqualTo(HealthCheckResult.Status.HEALTHY);

        scheduler.advance(5_000 * MS);
        assertThat(p.stats().healthChecks()).isEqualTo(2);
        scheduler.advance(5_000 * MS);
        assertThat(p.stats().healthChecks()).isEqualTo(3);
        assertThat(p.stats().healthCheckErrors()).isZero();

        p.close();
        scheduler.advance(60_000 * MS);
        assertThat(p.stats().healthChecks()).isEqualTo(3);
    }
}
