package io.rustmq.client.internal.transport;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The pool's source of time and delayed tasks: reconnect attempts, retries and background health checks. An
 * interface so that tests can drive time by hand and check a backoff schedule exactly. The default implementation
 * runs every task on one thread made by the client's {@link ThreadFactory}.
 */
public interface Scheduler extends AutoCloseable {
    /**
     * The current time of this scheduler, for measuring delays only.
     *
     * @return nanoseconds from an arbitrary origin
     */
    long nanoTime();

    /**
     * Runs a task once after a delay. A task that throws is logged and otherwise ignored.
     *
     * @param task the task; keep it short, it runs on the scheduler's thread
     * @param delayNanos the delay, 0 or more
     * @return a handle to cancel the task; after {@link #close()} a handle whose task never runs
     */
    Cancellable schedule(Runnable task, long delayNanos);

    /** Cancels every pending task and stops the scheduler's thread. Idempotent. */
    @Override
    void close();

    /** A scheduled task that can be cancelled. */
    interface Cancellable {
        /** Cancels the task if it has not started; does nothing otherwise. */
        void cancel();
    }

    /**
     * A scheduler on one daemon thread.
     *
     * @param threadName the thread's name
     * @return a running scheduler
     */
    static Scheduler daemon(String threadName) {
        return new ExecutorScheduler(r -> io.rustmq.client.internal.ClientThreads.newThread((ThreadFactory) null, r,
                threadName));
    }

    /**
     * A scheduler on one thread made by the given factory.
     *
     * @param threadFactory makes the scheduler's one thread
     * @return a running scheduler
     */
    static Scheduler on(ThreadFactory threadFactory) {
        return new ExecutorScheduler(threadFactory);
    }

    /** A {@link Scheduler} backed by a one-thread {@link ScheduledThreadPoolExecutor}. */
    final class ExecutorScheduler implements Scheduler {
        private static final System.Logger LOG = System.getLogger(ExecutorScheduler.class.getName());

        private final ScheduledThreadPoolExecutor executor;

        ExecutorScheduler(ThreadFactory threadFactory) {
            executor = new ScheduledThreadPoolExecutor(1, threadFactory);
            executor.setRemoveOnCancelPolicy(true);
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Cancellable schedule(Runnable task, long delayNanos) {
            try {
                ScheduledFuture<?> f = executor.schedule(() -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "a connection-pool task failed", e);
                    }
                }, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            } catch (RejectedExecutionException e) {
                LOG.log(System.Logger.Level.DEBUG, "scheduler closed: task dropped");
                return () -> { };
            }
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
