package io.rustmq.client.internal.producer;

import io.rustmq.client.producer.BufferExhaustedException;
import io.rustmq.client.producer.ProducerConfig;
import io.rustmq.client.RustMQException;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Accounts for {@link ProducerConfig#bufferMemory()}: a send reserves its record's bytes before it is buffered and
 * they are given back when its batch completes. The fast path is one compare-and-set; only a send that finds the
 * budget exhausted takes the lock and waits. Records are not copied into pooled memory: this is an accounting of
 * bytes held, not an allocator. Thread-safe.
 */
final class BufferPool {
    private final long total;
    private final long maxBlockNanos;
    private final AtomicLong used = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private volatile int waiters;
    private volatile boolean closed;

    /**
     * Creates the accounting.
     *
     * @param total the budget in bytes
     * @param maxBlockNanos the most time {@link #reserve} waits
     */
    BufferPool(long total, long maxBlockNanos) {
        this.total = total;
        this.maxBlockNanos = maxBlockNanos;
    }

    /**
     * Reserves bytes, waiting up to the maximum block time for others to be released.
     *
     * @param bytes at most the budget (callers check first)
     * @throws BufferExhaustedException if the bytes did not become free in time
     * @throws RustMQException if the pool was closed or the thread interrupted while waiting
     */
    void reserve(int bytes) {
        if (tryReserve(bytes)) {
            return;
        }
        long deadline = System.nanoTime() + maxBlockNanos;
        lock.lock();
        try {
            waiters++;
            try {
                while (!tryReserve(bytes)) {
                    if (closed) {
                        throw new RustMQException("the producer was closed while the send waited for buffer memory");
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new BufferExhaustedException(bytes, total, used.get(),
                                TimeUnit.NANOSECONDS.toMillis(maxBlockNanos));
                    }
                    freed.awaitNanos(left);
                }
            } finally {
                waiters--;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RustMQException("interrupted while waiting for buffer memory", e, false);
        } finally {
            lock.unlock();
        }
    }

    private boolean tryReserve(int bytes) {
        long u;
        do {
            u = used.get();
            if (u + bytes > total) {
                return false;
            }
        } while (!used.compareAndSet(u, u + bytes));
        return true;
    }

    /**
     * Gives bytes back and wakes waiting senders.
     *
     * @param bytes bytes reserved earlier
     */
    void release(long bytes) {
        used.addAndGet(-bytes);
        if (waiters > 0) {
            signalAll();
        }
    }

    private void signalAll() {
        lock.lock();
        try {
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The bytes reserved now.
     *
     * @return bytes in use
     */
    long used() {
        return used.get();
    }

    /**
     * The budget.
     *
     * @return bytes
     */
    long total() {
        return total;
    }

    /** Fails current and later waits. */
    void close() {
        closed = true;
        signalAll();
    }
}
