package io.rustmq.client.internal;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.RustMQException;

import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where every thread of a client comes from: the {@link ClientConfig#threadFactory()} when one is set, otherwise a
 * daemon thread with the given name. Not API: used by the client's own packages.
 */
public final class ClientThreads {
    private ClientThreads() {
    }

    /**
     * Creates (does not start) a thread for a task.
     *
     * @param factory the configured factory, or {@code null} for a daemon thread named {@code name}
     * @param task what the thread runs
     * @param name the thread's name when no factory is configured
     * @return the new thread
     * @throws RustMQException if the configured factory returns {@code null} (a managed factory that is shut down)
     */
    public static Thread newThread(ThreadFactory factory, Runnable task, String name) {
        Objects.requireNonNull(task, "task");
        if (factory != null) {
            Thread t = factory.newThread(task);
            if (t == null) {
                throw new RustMQException("the configured threadFactory " + factory + " returned no thread for " + name);
            }
            return t;
        }
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Creates (does not start) a thread for a task, from the client configuration's factory.
     *
     * @param config the client configuration
     * @param task what the thread runs
     * @param name the thread's name when no factory is configured
     * @return the new thread
     */
    public static Thread newThread(ClientConfig config, Runnable task, String name) {
        return newThread(config.threadFactory().orElse(null), task, name);
    }

    /**
     * A factory for a pool: the configured one, or daemon threads named {@code prefix-1}, {@code prefix-2}, ...
     *
     * @param factory the configured factory, or {@code null}
     * @param prefix the name prefix when no factory is configured
     * @return a thread factory
     */
    public static ThreadFactory factory(ThreadFactory factory, String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> newThread(factory, r, prefix + "-" + n.incrementAndGet());
    }

    /**
     * A factory for a pool, from the client configuration's factory.
     *
     * @param config the client configuration
     * @param prefix the name prefix when no factory is configured
     * @return a thread factory
     */
    public static ThreadFactory factory(ClientConfig config, String prefix) {
        return factory(config.threadFactory().orElse(null), prefix);
    }

    /**
     * A one-thread scheduler whose thread comes from the factory; cancelled tasks are removed at once.
     *
     * @param factory the configured factory, or {@code null}
     * @param name the thread's name when no factory is configured
     * @return the scheduler; shut it down when its owner closes
     */
    public static ScheduledThreadPoolExecutor scheduler(ThreadFactory factory, String name) {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, factory(factory, name));
        s.setRemoveOnCancelPolicy(true);
        return s;
    }
}
