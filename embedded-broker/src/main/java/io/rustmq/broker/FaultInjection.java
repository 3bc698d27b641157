package io.rustmq.broker;

import io.rustmq.broker.network.RequestProcessor;
import io.rustmq.client.protocol.Request;
import io.rustmq.client.protocol.RequestType;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test hooks of an {@link EmbeddedBroker} that break its answers on purpose (get it with
 * {@link EmbeddedBroker#faults()}):
 * <ul>
 *   <li>{@link #chaos}: each Produce request is, at random, handled late (after up to {@code maxDelay}, on a timer
 *   thread, so that later requests of the same partition may be stored first and requests are handled out of
 *   order), and its response dropped (records stored, stream reset, as {@link EmbeddedBroker#dropResponses});</li>
 *   <li>{@link #stopAnswering()}/{@link #resumeAnswering()}: an outage: no request of any kind is handled or
 *   answered (nothing stored) until resumed; the unanswered streams stay open until the client gives up on them.</li>
 *   <li>{@link #delayResponses}/{@link #clearDelays()}: a slow answer to one request type (for example OffsetCommit):
 *   each such request is handled at once but its response is sent only after the delay, from a timer thread, so
 *   requests of other types on other streams (Heartbeat, Fetch) are answered at once meanwhile.</li>
 * </ul>
 * Thread-safe. All hooks are off until set.
 */
public final class FaultInjection {
    private static final CompletableFuture<byte[]> NEVER = new CompletableFuture<>();

    private volatile boolean silent;
    private volatile Chaos chaos;
    private final AtomicLong delayed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicLong delayedResponses = new AtomicLong();
    private final Map<RequestType, Long> responseDelays = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    private record Chaos(double delayProbability, long maxDelayNanos, double dropProbability, Random random) {
    }

    FaultInjection() {
    }

    /**
     * Handles Produce requests late and drops their responses at random; replaces any earlier setting.
     *
     * @param delayProbability the chance, in [0, 1], that a request is handled after a random delay
     * @param maxDelay the longest such delay, positive
     * @param dropProbability the chance, in [0, 1], that a response is dropped (records stored, stream reset)
     * @param seed the random seed, so that a failing run can be repeated
     * @throws IllegalArgumentException if a probability is outside [0, 1] or {@code maxDelay} is not positive
     */
    public void chaos(double delayProbability, Duration maxDelay, double dropProbability, long seed) {
        if (!(delayProbability >= 0 && delayProbability <= 1)) {
            throw new IllegalArgumentException("delayProbability must be in [0, 1], got " + delayProbability);
        }
        if (!(dropProbability >= 0 && dropProbability <= 1)) {
            throw new IllegalArgumentException("dropProbability must be in [0, 1], got " + dropProbability);
        }
        if (maxDelay == null || maxDelay.isNegative() || maxDelay.isZero()) {
            throw new IllegalArgumentException("maxDelay must be positive, got " + maxDelay);
        }
        chaos = new Chaos(delayProbability, maxDelay.toNanos(), dropProbability, new Random(seed));
    }

    /** Stops {@link #chaos}: requests are handled at once and answered again (delayed ones still complete). */
    public void clearChaos() {
        chaos = null;
    }

    /**
     * Delays every response to requests of one type: each is handled at once (its effect is visible to later
     * requests) and answered after {@code delay}; other request types are unaffected. Replaces any earlier delay of
     * that type; requests already waiting keep their delay.
     *
     * @param type the request type whose responses are held back
     * @param delay how long each response is held back, positive
     * @throws IllegalArgumentException if {@code type} is null or {@code delay} is not positive
     */
    public void delayResponses(RequestType type, Duration delay) {
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
        if (delay == null || delay.isNegative() || delay.isZero()) {
            throw new IllegalArgumentException("delay must be positive, got " + delay);
        }
        responseDelays.put(type, delay.toNanos());
    }

    /** Stops every {@link #delayResponses} delay: new requests are answered at once (waiting ones still wait). */
    public void clearDelays() {
        responseDelays.clear();
    }

    /** Begins an outage: from now on no request is handled or answered, until {@link #resumeAnswering()}. */
    public void stopAnswering() {
        silent = true;
    }

    /** Ends an outage: new requests are handled again (those received during it are never answered). */
    public void resumeAnswering() {
        silent = false;
    }

    /**
     * Counts of what the hooks did, for tests that check a fault really happened.
     *
     * @param delayed Produce requests handled late
     * @param dropped responses dropped by {@link #chaos}
     * @param unanswered requests ignored during outages
     * @param delayedResponses responses held back by {@link #delayResponses}
     */
    public record Counts(long delayed, long dropped, long unanswered, long delayedResponses) {
    }

    /**
     * What the hooks have done so far.
     *
     * @return the counts since the broker started
     */
    public Counts counts() {
        return new Counts(delayed.get(), dropped.get(), unanswered.get(), delayedResponses.get());
    }

    /** Routes a request through the hooks to the real handler. */
    CompletableFuture<byte[]> process(Request request, RequestProcessor handler) {
        if (silent) {
            unanswered.incrementAndGet();
            return NEVER;
        }
        Long responseDelay = responseDelays.isEmpty() ? null : responseDelays.get(request.type());
        if (responseDelay != null) {
            return later(handler.process(request), responseDelay);
        }
        Chaos c = chaos;
        if (c == null || request.type() != RequestType.PRODUCE) {
            return CompletableFuture.completedFuture(handler.process(request));
        }
        boolean drop;
        long delay = 0;
        synchronized (c.random) {
            drop = c.random.nextDouble() < c.dropProbability;
            if (c.random.nextDouble() < c.delayProbability) {
                delay = 1 + (long) (c.random.nextDouble() * c.maxDelayNanos);
            }
        }
        if (delay == 0) {
            return CompletableFuture.completedFuture(answer(handler.process(request), drop));
        }
        delayed.incrementAndGet();
        CompletableFuture<byte[]> out = new CompletableFuture<>();
        boolean dropIt = drop;
        try {
            timer().schedule(() -> {
                try {
                    out.complete(answer(handler.process(request), dropIt));
                } catch (RuntimeException e) {
                    out.completeExceptionally(e);
                }
            }, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            out.completeExceptionally(e);
        }
        return out;
    }

    /** Completes with an already computed response after a delay, from the timer thread. */
    private CompletableFuture<byte[]> later(byte[] frame, long delayNanos) {
        delayedResponses.incrementAndGet();
        CompletableFuture<byte[]> out = new CompletableFuture<>();
        try {
            timer().schedule(() -> out.complete(frame), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            out.completeExceptionally(e);
        }
        return out;
    }

    private byte[] answer(byte[] frame, boolean drop) {
        if (drop && frame != null) {
            dropped.incrementAndGet();
            return null;
        }
        return frame;
    }

    private synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rustmq-broker-faults");
                t.setDaemon(true);
                return t;
            });
        }
        return timer;
    }

    /** Stops the timer thread, if any; delayed requests not yet handled are dropped. */
    synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
