package io.rustmq.client.internal.consumer;

import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one place where consumers and streams create threads: every thread and executor they use comes from the
 * {@link ThreadFactory} given here (the client's, when it has one; otherwise plain daemon threads). Each thread is
 * named {@code rustmq-<role>-<name>-<n>} so that a thread dump shows what it does. The threads it makes are: a
 * consumer's member thread (join, rebalance, commits, positions), its heartbeat thread, its dead-letter thread, the
 * consumer publisher's thread, and a stream's dispatcher, worker, processing-call and stopper threads. Thread-safe;
 * holds no thread itself.
 */
public final class ConsumerThreads {
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final ThreadFactory DAEMON = r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    };

    private final ThreadFactory factory;

    /**
     * Uses a thread factory.
     *
     * @param factory where threads come from; {@code null} for named daemon threads
     */
    public ConsumerThreads(ThreadFactory factory) {
        this.factory = factory == null ? DAEMON : factory;
    }

    /**
     * The default: named daemon threads.
     *
     * @return threads from plain daemon {@link Thread}s
     */
    public static ConsumerThreads daemon() {
        return new ConsumerThreads(null);
    }

    /**
     * A new, unstarted thread.
     *
     * @param role what it does, such as {@code consumer} or {@code stream-worker}
     * @param name whose it is (a group name)
     * @param task what it runs
     * @return the thread, named {@code rustmq-<role>-<name>-<n>}
     * @throws IllegalStateException if the factory refused to make a thread
     */
    public Thread newThread(String role, String name, Runnable task) {
        Thread t = factory.newThread(Objects.requireNonNull(task, "task"));
        if (t == null) {
            throw new IllegalStateException("the thread factory " + factory + " returned no thread for " + role);
        }
        t.setName("rustmq-" + role + "-" + name + "-" + IDS.incrementAndGet());
        return t;
    }

    /**
     * A single-thread scheduler whose cancelled tasks are removed at once.
     *
     * @param role what its thread does
     * @param name whose it is
     * @return the scheduler; shut it down when done
     */
    public ScheduledExecutorService scheduler(String role, String name) {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> newThread(role, name, r));
        s.setRemoveOnCancelPolicy(true);
        return s;
    }

    /**
     * A pool that creates threads as needed and lets idle ones end after a minute.
     *
     * @param role what its threads do
     * @param name whose it is
     * @return the pool; shut it down when done
     */
    public ExecutorService cachedPool(String role, String name) {
        return Executors.newCachedThreadPool(r -> newThread(role, name, r));
    }
}
