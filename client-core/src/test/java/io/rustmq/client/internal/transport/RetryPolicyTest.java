package io.rustmq.client.internal.transport;

import io.rustmq.client.BrokerErrorException;
import io.rustmq.client.ConnectionException;
import io.rustmq.client.ProtocolException;
import io.rustmq.client.RequestTimeoutException;
import io.rustmq.client.RetryConfig;
import io.rustmq.client.RustMQException;
import io.rustmq.client.protocol.RequestType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ManualScheduler scheduler = new ManualScheduler();
    private final RetryPolicy policy = new RetryPolicy(RetryConfig.builder().maxRetries(2).build(),
            n -> Duration.ofMillis(100L * n), scheduler);

    private static Throwable failure(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        return f.handle((v, e) -> e).join();
    }

    @Test
    void retriesRetriableFailuresAfterTheBackoffOfEachAttempt() {
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<String> r = policy.run(RequestType.PRODUCE, () -> calls.incrementAndGet() < 3
                ? CompletableFuture.failedFuture(new ConnectionException("lost", null))
                : CompletableFuture.completedFuture("ok"));

        assertThat(calls).hasValue(1);
        scheduler.advance(100 * MS);
        assertThat(calls).hasValue(2);
        assertThat(r).isNotDone();
        scheduler.advance(200 * MS);
        assertThat(r).isCompletedWithValue("ok");
        assertThat(scheduler.scheduledDelays()).containsExactly(100 * MS, 200 * MS);
    }

    @Test
    void stopsAtTheFirstNonRetriableFailureAndAfterMaxRetries() {
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<String> bad = policy.run(RequestType.FETCH, () -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new CompletionException(new ProtocolException("malformed")));
        });
        assertThat(failure(bad)).isInstanceOf(ProtocolException.class);
        assertThat(calls).hasValue(1);

        calls.set(0);
        CompletableFuture<String> exhausted = policy.run(RequestType.FETCH, () -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new BrokerErrorException("Error: Failed to fetch records"));
        });
        scheduler.advance(10_000 * MS);
        assertThat(failure(exhausted)).isInstanceOf(BrokerErrorException.class);
        assertThat(calls).hasValue(3);
    }

    @Test
    void aJoinGroupWhoseOutcomeIsUnknownIsNotRetriedButOtherJoinFailuresAre() {
        assertThat(RetryPolicy.mayRetry(RequestType.JOIN_GROUP, new RequestTimeoutException("t"))).isFalse();
        assertThat(RetryPolicy.mayRetry(RequestType.JOIN_GROUP, new ConnectionException("down", null))).isTrue();
        assertThat(RetryPolicy.mayRetry(RequestType.COMMIT_OFFSET, new RequestTimeoutException("t"))).isTrue();
        assertThat(RetryPolicy.mayRetry(RequestType.PRODUCE,
                new BrokerErrorException("Error: OutOfOrderSequence: expected 1, got 3"))).isTrue();
        assertThat(RetryPolicy.mayRetry(RequestType.PRODUCE,
                new BrokerErrorException("Error: DuplicateSequence: 1"))).isFalse();

        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<String> join = policy.run(RequestType.JOIN_GROUP, () -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new RequestTimeoutException("no answer"));
        });
        assertThat(failure(join)).isInstanceOf(RequestTimeoutException.class);
        assertThat(calls).hasValue(1);
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void closingFailsAResultWaitingForItsNextAttempt() {
        CompletableFuture<String> r = policy.run(RequestType.METADATA,
                () -> CompletableFuture.failedFuture(new ConnectionException("lost", null)));
        assertThat(r).isNotDone();

        policy.close();

        assertThat(failure(r)).isInstanceOf(RustMQException.class).hasMessage("client is closed");
    }

    @Test
    void unwrapKeepsClientExceptionsAndWrapsOthersAsNonRetriable() {
        ConnectionException c = new ConnectionException("x", null);
        assertThat(RetryPolicy.unwrap(new CompletionException(c))).isSameAs(c);
        RustMQException other = RetryPolicy.unwrap(new IllegalStateException("boom"));
        assertThat(other.isRetriable()).isFalse();
        assertThat(other).hasMessageContaining("boom");
    }
}
