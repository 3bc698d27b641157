package io.rustmq.client.internal.transport;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The connection slots: at most {@code maxConnections} broker connections are open or opening at a time. A broker
 * reserves a slot before it dials and releases it when its connection ends; when every slot is taken, a caller that
 * may evict asks the pool to close one idle connection and tries again. Lock-free (one atomic counter); called from
 * callers' threads, the scheduler's thread and the transport's callback threads.
 */
public final class ConnectionSlots {
    private final int max;
    private final AtomicInteger used = new AtomicInteger();

    /**
     * Creates the slots.
     *
     * @param max the number of slots, at least 1
     */
    public ConnectionSlots(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        this.max = max;
    }

    /**
     * Takes a slot.
     *
     * @param evictOneIdle when every slot is taken: closes one idle connection (releasing its slot) and returns
     *     whether it did; {@code null} to never evict
     * @return whether a slot was taken
     */
    public boolean reserve(BooleanSupplier evictOneIdle) {
        while (true) {
            int n = used.get();
            if (n < max) {
                if (used.compareAndSet(n, n + 1)) {
                    return true;
                }
                continue;
            }
            if (evictOneIdle == null || !evictOneIdle.getAsBoolean()) {
                return false;
            }
        }
    }

    /** Gives a slot back. */
    public void release() {
        used.decrementAndGet();
    }

    /**
     * The slots taken now.
     *
     * @return 0 to {@code max}
     */
    public int used() {
        return used.get();
    }

    /**
     * The number of slots.
     *
     * @return {@code maxConnections}
     */
    public int max() {
        return max;
    }
}
