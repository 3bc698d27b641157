package io.rustmq.client.internal.transport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Future plumbing of the pool: composition that passes failures on unwrapped (never as
 * {@link CompletionException}), so that callers see the client's own exceptions. Stateless; the stages run on
 * whichever thread completes the source future (the transport's callback threads, or the caller's).
 */
public final class Futures {
    private Futures() {
    }

    /**
     * {@code f.thenCompose(next)}, with failures passed on unwrapped.
     *
     * @param f the first stage
     * @param next the next stage; a {@link RuntimeException} it throws fails the result
     * @param <T> the first result type
     * @param <R> the final result type
     * @return the composed future
     */
    public static <T, R> CompletableFuture<R> then(CompletableFuture<T> f,
                                                   Function<? super T, CompletableFuture<R>> next) {
        CompletableFuture<R> out = new CompletableFuture<>();
        f.whenComplete((v, e) -> {
            if (e != null) {
                out.completeExceptionally(RetryPolicy.strip(e));
                return;
            }
            CompletableFuture<R> n;
            try {
                n = next.apply(v);
            } catch (RuntimeException x) {
                out.completeExceptionally(x);
                return;
            }
            relay(n, out);
        });
        return out;
    }

    /**
     * Completes {@code to} as {@code from} completes, with failures unwrapped.
     *
     * @param from the source
     * @param to the target
     * @param <T> the result type
     */
    public static <T> void relay(CompletableFuture<T> from, CompletableFuture<T> to) {
        from.whenComplete((v, e) -> {
            if (e != null) {
                to.completeExceptionally(RetryPolicy.strip(e));
            } else {
                to.complete(v);
            }
        });
    }

    /**
     * A duration in nanoseconds, saturated for durations too long to count in a {@code long}.
     *
     * @param d the duration
     * @return its nanoseconds, or {@code Long.MAX_VALUE / 4} if it overflows
     */
    public static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }
}
