package io.rustmq.messaging.impl;

import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One delivery lane of an incoming channel: a queue of records and the publisher SmallRye subscribes to (one per
 * concurrent copy of the channel). It delivers on its own thread, one message at a time and only on demand, so the
 * records of a lane are processed in queue order.
 */
final class Lane implements Flow.Publisher<Message<?>> {
    private static final System.Logger LOG = System.getLogger(Lane.class.getName());

    private final RustMQSource source;
    private final String name;
    private final ArrayDeque<Unit> queue = new ArrayDeque<>();
    private final ExecutorService executor;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile Flow.Subscriber<? super Message<?>> subscriber;
    private volatile boolean cancelled;
    private volatile Throwable failure;
    private volatile boolean completed;
    private boolean terminated;

    Lane(RustMQSource source, String name) {
        this.source = source;
        this.name = name;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rustmq-incoming-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    String name() {
        return name;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Message<?>> s) {
        synchronized (this) {
            if (subscriber != null) {
                s.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                s.onError(new IllegalStateException("channel " + name + " accepts one subscriber only"));
                return;
            }
            subscriber = s;
        }
        s.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    failure = new IllegalArgumentException("§3.9: request must be positive, got " + n);
                } else {
                    demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
                }
                schedule();
            }

            @Override
            public void cancel() {
                cancelled = true;
            }
        });
        source.laneSubscribed();
    }

    synchronized int size() {
        return queue.size();
    }

    void offer(Unit u) {
        synchronized (this) {
            queue.add(u);
        }
        schedule();
    }

    /**
     * Removes the queued units that match (records of revoked partitions).
     *
     * @param revoked whether a unit's records belong to a revoked partition
     */
    void removeIf(Predicate<Unit> revoked) {
        synchronized (this) {
            Iterator<Unit> it = queue.iterator();
            while (it.hasNext()) {
                Unit u = it.next();
                if (revoked.test(u)) {
                    it.remove();
                    source.dequeued(u);
                    source.released(u);
                }
            }
        }
    }

    void fail(Throwable t) {
        failure = t;
        schedule();
    }

    void complete() {
        completed = true;
        schedule();
    }

    private void schedule() {
        if (wip.getAndIncrement() == 0) {
            try {
                executor.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "lane " + name + " is stopped");
            }
        }
    }

    private void drain() {
        int missed = 1;
        do {
            Flow.Subscriber<? super Message<?>> s = subscriber;
            if (s != null && !terminated) {
                if (failure != null || completed) {
                    terminate(s);
                } else {
                    while (!cancelled && demand.get() > 0 && failure == null && !completed) {
                        Unit u;
                        synchronized (this) {
                            u = queue.poll();
                        }
                        if (u == null) {
                            break;
                        }
                        source.dequeued(u);
                        Message<?> m = source.deliverable(u, name);
                        if (m == null) {
                            continue;
                        }
                        demand.decrementAndGet();
                        try (ChannelTracing.Scope ignored = source.enterTrace(m)) {
                            s.onNext(m);
                        } catch (RuntimeException e) {
                            LOG.log(System.Logger.Level.WARNING, "subscriber of " + name + " threw", e);
                        }
                    }
                    if (failure != null || completed) {
                        terminate(s);
                    }
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void terminate(Flow.Subscriber<? super Message<?>> s) {
        terminated = true;
        if (cancelled) {
            return;
        }
        if (failure != null) {
            s.onError(failure);
        } else {
            s.onComplete();
        }
    }

    void shutdown(long timeoutMillis) {
        executor.shutdown();
        try {
            executor.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }
}
