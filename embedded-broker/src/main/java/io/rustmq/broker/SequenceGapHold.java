package io.rustmq.broker;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Holds a Produce request that starts above its producer's next expected sequence for a moment before refusing it.
 * Each request travels on its own QUIC stream, and streams of one connection can complete at the broker in another
 * order than the client opened them (a large request's packets interleave with the next one's), so with several
 * requests in flight the later one often arrives a fraction of a millisecond before the earlier. Refusing it at once
 * with {@code OutOfOrderSequence} is correct (DESIGN §4) but makes the producer resend everything from the gap. The
 * broker instead tries the request again every millisecond for up to {@link #HOLD_MILLIS} ms, so that it is stored
 * as soon as the gap fills, and answers {@code OutOfOrderSequence} only if the gap is still there then: what is
 * stored, and in which order, is exactly as without the hold. Retries run on one daemon thread per broker, made on
 * first use and stopped by {@link #close()}.
 */
final class SequenceGapHold implements AutoCloseable {
    /** How long a request above the expected sequence waits for the gap to fill, in milliseconds. */
    static final long HOLD_MILLIS = 50;
    private static final byte[] OUT_OF_ORDER = "Error: OutOfOrderSequence".getBytes(StandardCharsets.US_ASCII);

    private final String brokerId;
    private ScheduledExecutorService timer;
    private boolean closed;

    SequenceGapHold(String brokerId) {
        this.brokerId = brokerId;
    }

    /** Whether an answer frame is the {@code 0xFF} refusal of a request above the expected sequence. */
    static boolean isOutOfOrder(byte[] frame) {
        if (frame == null || frame.length < 1 + OUT_OF_ORDER.length || (frame[0] & 0xFF) != 0xFF) {
            return false;
        }
        for (int i = 0; i < OUT_OF_ORDER.length; i++) {
            if (frame[1 + i] != OUT_OF_ORDER[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The answer to a request: {@code first} unless it is an {@code OutOfOrderSequence} refusal, in which case the
     * request is handled again every millisecond until it is not refused that way or the hold time is over.
     *
     * @param first the first answer
     * @param again handles the request again (thread-safe)
     * @return the final answer
     */
    CompletableFuture<byte[]> answer(byte[] first, Supplier<byte[]> again) {
        if (!isOutOfOrder(first)) {
            return CompletableFuture.completedFuture(first);
        }
        CompletableFuture<byte[]> out = new CompletableFuture<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS);
        Runnable retry = new Runnable() {
            @Override
            public void run() {
                byte[] frame;
                try {
                    frame = again.get();
                } catch (RuntimeException e) {
                    out.completeExceptionally(e);
                    return;
                }
                if (!isOutOfOrder(frame) || System.nanoTime() - deadline >= 0 || !schedule(this)) {
                    out.complete(frame);
                }
            }
        };
        if (!schedule(retry)) {
            out.complete(first);
        }
        return out;
    }

    private synchronized boolean schedule(Runnable retry) {
        if (closed) {
            return false;
        }
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rustmq-broker-sequence-" + brokerId);
                t.setDaemon(true);
                return t;
            });
        }
        try {
            timer.schedule(retry, 1, TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Stops the retry thread; held requests are answered with their refusal. Closing twice is harmless. */
    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
