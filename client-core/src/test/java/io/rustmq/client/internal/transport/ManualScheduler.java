package io.rustmq.client.internal.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/** A {@link Scheduler} whose time moves only when a test calls {@link #advance}; tasks run on the test's thread. */
public final class ManualScheduler implements Scheduler {
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private final List<Long> scheduledDelays = new ArrayList<>();
    private long now = 1_000_000_000L;
    private long sequence;
    private boolean closed;

    private final class Task implements Comparable<Task>, Cancellable {
        final long at;
        final long seq;
        final Runnable run;
        boolean cancelled;

        Task(long at, long seq, Runnable run) {
            this.at = at;
            this.seq = seq;
            this.run = run;
        }

        @Override
        public int compareTo(Task o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            synchronized (ManualScheduler.this) {
                cancelled = true;
                tasks.remove(this);
            }
        }
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, long delayNanos) {
        if (closed) {
            return () -> { };
        }
        scheduledDelays.add(delayNanos);
        Task t = new Task(now + Math.max(0, delayNanos), sequence++, task);
        tasks.add(t);
        return t;
    }

    /** Moves time forward, running every task that falls due, in order, each at its own time. */
    public void advance(long nanos) {
        long target;
        synchronized (this) {
            target = now + nanos;
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.at > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = Math.max(now, next.at);
            }
            next.run.run();
        }
    }

    /** Moves time to the next task and runs it (and any due at the same time). */
    public void runNext() {
        long at;
        synchronized (this) {
            Task next = tasks.peek();
            if (next == null) {
                throw new AssertionError("no task is scheduled");
            }
            at = next.at;
        }
        advance(at - nanoTime());
    }

    public synchronized int pending() {
        return tasks.size();
    }

    /** Every delay passed to {@link #schedule}, in order. */
    public synchronized List<Long> scheduledDelays() {
        return new ArrayList<>(scheduledDelays);
    }

    public synchronized void clearDelays() {
        scheduledDelays.clear();
    }

    @Override
    public synchronized void close() {
        closed = true;
        tasks.clear();
    }
}
