package io.rustmq.messaging.commit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The messages handed downstream and not yet settled, with when their processing started (not when they were
 * fetched, so time spent queued behind backpressure never counts as a stuck record).
 */
public final class ProcessingTracker {
    private final Set<Object> inProcessing = ConcurrentHashMap.newKeySet();
    private final java.util.function.ToLongFunction<Object> start;

    /** Creates an empty tracker for items implementing {@link StartTime}. */
    public ProcessingTracker() {
        this.start = o -> ((StartTime) o).startNanos();
    }

    /** Implemented by what this tracker holds. */
    public interface StartTime {
        /**
         * When processing started.
         *
         * @return {@link System#nanoTime()} at the start
         */
        long startNanos();
    }

    /**
     * Processing of an item started.
     *
     * @param item the item
     */
    public void started(Object item) {
        inProcessing.add(item);
    }

    /**
     * An item was settled.
     *
     * @param item the item
     */
    public void finished(Object item) {
        if (inProcessing.remove(item) && inProcessing.isEmpty()) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /**
     * How many items are in processing.
     *
     * @return the count
     */
    public int size() {
        return inProcessing.size();
    }

    /**
     * The item whose processing started first.
     *
     * @param <T> the item type
     * @return the oldest item, or {@code null} if none
     */
    @SuppressWarnings("unchecked")
    public <T> T oldest() {
        Object best = null;
        long bestStart = 0;
        for (Object o : inProcessing) {
            long s = start.applyAsLong(o);
            if (best == null || s - bestStart < 0) {
                best = o;
                bestStart = s;
            }
        }
        return (T) best;
    }

    /**
     * Waits until nothing is in processing or a deadline passes.
     *
     * @param deadlineNanos the deadline, as {@link System#nanoTime()}
     */
    public void awaitEmpty(long deadlineNanos) {
        synchronized (this) {
            while (!inProcessing.isEmpty()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
