package io.rustmq.client.internal.transport;

import io.rustmq.client.RequestTimeoutException;
import io.rustmq.client.RetryConfig;
import io.rustmq.client.RustMQException;
import io.rustmq.client.protocol.RequestType;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The pool's retry policy: which failed requests may be sent again ({@link #mayRetry}), how long to wait before
 * attempt <i>n</i> (the pool's backoff of {@link RetryConfig}, exponential with jitter), and the retry loop itself
 * ({@link #run}), whose pending retries {@link #close()} fails. Whether a failure is retriable comes from the
 * exception ({@link RustMQException#isRetriable()}, which for broker error frames is the table of
 * {@link io.rustmq.client.BrokerErrorException.Kind}); the one exception by request type is a JoinGroup that timed
 * out: the broker may have added the member, and joining again would add a second one, so that failure goes back to
 * the consumer, which rejoins with the member id it knows. Attempts are started on the {@link Scheduler}'s thread
 * (or the caller's, for the first); the decisions hold no lock. Thread-safe.
 */
public final class RetryPolicy implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RetryPolicy.class.getName());

    private final RetryConfig config;
    private final IntFunction<Duration> backoff;
    private final Scheduler scheduler;
    /** Results waiting for their next attempt: failed by {@link #close()}. */
    private final Set<CompletableFuture<?>> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Creates a policy.
     *
     * @param config the retry limits
     * @param backoff the delay before retry <i>n</i> (1-based)
     * @param scheduler where delayed attempts run
     */
    public RetryPolicy(RetryConfig config, IntFunction<Duration> backoff, Scheduler scheduler) {
        this.config = config;
        this.backoff = backoff;
        this.scheduler = scheduler;
    }

    /**
     * Whether a request of this type that failed this way may be sent again unchanged.
     *
     * @param type the request type
     * @param failure the failure
     * @return {@code false} for non-retriable failures and for a JoinGroup whose outcome is unknown (timed out)
     */
    public static boolean mayRetry(RequestType type, RustMQException failure) {
        if (!failure.isRetriable()) {
            return false;
        }
        return !(type == RequestType.JOIN_GROUP && failure instanceof RequestTimeoutException);
    }

    /**
     * Runs an operation, retrying per {@link #mayRetry} up to {@code maxRetries} times with backoff.
     *
     * @param type the request type, for {@link #mayRetry} and logging
     * @param attempt starts one attempt; called again for each retry
     * @param <R> the result type
     * @return the first success; or the last failure (unwrapped) once retries are exhausted, a failure may not be
     *     retried, or the policy is closed
     */
    public <R> CompletableFuture<R> run(RequestType type, Supplier<CompletableFuture<R>> attempt) {
        CompletableFuture<R> result = new CompletableFuture<>();
        attempt(type, attempt, 0, result);
        return result;
    }

    private <R> void attempt(RequestType type, Supplier<CompletableFuture<R>> attempt, int retries,
                             CompletableFuture<R> result) {
        CompletableFuture<R> one;
        try {
            one = attempt.get();
        } catch (RuntimeException e) {
            result.completeExceptionally(unwrap(e));
            return;
        }
        one.whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
                return;
            }
            RustMQException e = unwrap(error);
            if (!mayRetry(type, e) || retries >= config.maxRetries() || closed) {
                result.completeExceptionally(e);
                return;
            }
            long delayNanos = backoff.apply(retries + 1).toNanos();
            LOG.log(System.Logger.Level.DEBUG, () -> "retrying " + type + " in "
                    + TimeUnit.NANOSECONDS.toMillis(delayNanos) + " ms after: " + e.getMessage());
            waiting.add(result);
            scheduler.schedule(() -> {
                waiting.remove(result);
                attempt(type, attempt, retries + 1, result);
            }, delayNanos);
            if (closed) {
                waiting.remove(result);
                result.completeExceptionally(e);
            }
        });
    }

    /**
     * Converts a future's failure into the client's exception type.
     *
     * @param error a failure, possibly wrapped in {@link CompletionException} or {@link ExecutionException}
     * @return the {@link RustMQException} inside, or a non-retriable one wrapping an unexpected failure
     */
    public static RustMQException unwrap(Throwable error) {
        Throwable t = strip(error);
        if (t instanceof RustMQException r) {
            return r;
        }
        return new RustMQException("unexpected failure: " + t, t, false);
    }

    /**
     * Removes {@link CompletionException} and {@link ExecutionException} wrappers.
     *
     * @param error a failure
     * @return the innermost failure that is not such a wrapper
     */
    public static Throwable strip(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Stops retrying: results waiting for their next attempt fail with {@code reason}. Idempotent.
     *
     * @param reason the failure for waiting results
     */
    public void close(RustMQException reason) {
        closed = true;
        for (CompletableFuture<?> f : List.copyOf(waiting)) {
            f.completeExceptionally(reason);
        }
        waiting.clear();
    }

    /** Stops retrying; waiting results fail with "client is closed". Idempotent. */
    @Override
    public void close() {
        close(new RustMQException("client is closed"));
    }
}
