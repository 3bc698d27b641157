package io.rustmq.client.internal.consumer;

import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.RustMQException;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Flow.Publisher} over a consumer: each subscription gets a delivery thread that takes a message from the
 * consumer only when the subscriber has outstanding demand, so a slow subscriber holds messages back instead of
 * being flooded. Messages go to exactly one subscription. {@code onComplete} follows the consumer's close;
 * {@code onError} a consumer failure, a non-positive {@code request} (rule 3.9), or a subscriber that throws.
 */
final class ConsumerPublisher implements Flow.Publisher<ConsumerMessage> {
    private static final System.Logger LOG = System.getLogger(ConsumerPublisher.class.getName());
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** What the publisher reads from; implemented by the consumer. */
    interface MessageSource {
        /**
         * Waits for the next message.
         *
         * @param timeout the most time to wait
         * @return the message, or {@code null} on timeout
         * @throws RustMQException if the source is closed or failed
         */
        ConsumerMessage receive(Duration timeout);

        /**
         * Puts back a message that was taken but never handed to a subscriber, for immediate redelivery with the
         * same delivery count.
         *
         * @param m the message
         */
        void release(ConsumerMessage m);

        /**
         * Whether the source was closed normally (then subscriptions complete instead of failing).
         *
         * @return {@code true} once closed
         */
        boolean isClosed();

        /**
         * A short name for the delivery threads.
         *
         * @return the name
         */
        String name();

        /**
         * Creates, unstarted, the delivery thread of one subscription.
         *
         * @param task what the thread runs
         * @return the thread (default: a daemon thread named {@code rustmq-consumer-stream-<name>-<n>})
         */
        default Thread newThread(Runnable task) {
            Thread t = new Thread(task, "rustmq-consumer-stream-" + name() + "-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    private final MessageSource source;
    private final Duration slice;

    /**
     * Creates a publisher.
     *
     * @param source the consumer
     * @param slice how long one wait for a message lasts before cancellation is checked again
     */
    ConsumerPublisher(MessageSource source, Duration slice) {
        this.source = Objects.requireNonNull(source, "source");
        this.slice = slice;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ConsumerMessage> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        StreamSubscription s = new StreamSubscription(subscriber);
        source.newThread(s::run).start();
    }

    private final class StreamSubscription implements Flow.Subscription {
        private final Flow.Subscriber<? super ConsumerMessage> subscriber;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private long demand;
        private boolean cancelled;
        private long invalidRequest;

        StreamSubscription(Flow.Subscriber<? super ConsumerMessage> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            lock.lock();
            try {
                if (n <= 0) {
                    if (invalidRequest == 0) {
                        invalidRequest = n == 0 ? -1 : n;
                    }
                } else {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void cancel() {
            lock.lock();
            try {
                cancelled = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** The delivery loop: signals go out from this one thread only, so they never overlap (rule 1.3). */
        void run() {
            try {
                subscriber.onSubscribe(this);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "subscriber threw from onSubscribe; subscription cancelled", e);
                return;
            }
            while (true) {
                long bad;
                lock.lock();
                try {
                    while (demand == 0 && !cancelled && invalidRequest == 0 && !source.isClosed()) {
                        changed.awaitNanos(slice.toNanos());
                    }
                    if (cancelled) {
                        return;
                    }
                    bad = invalidRequest;
                    if (bad != 0) {
                        cancelled = true;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } finally {
                    lock.unlock();
                }
                if (bad != 0) {
                    subscriber.onError(new IllegalArgumentException(
                            "request(n) needs n > 0 (Reactive Streams rule 3.9), got " + (bad == -1 ? 0 : bad)));
                    return;
                }
                if (source.isClosed()) {
                    subscriber.onComplete();
                    return;
                }
                ConsumerMessage m;
                try {
                    m = source.receive(slice);
                } catch (RustMQException e) {
                    if (source.isClosed()) {
                        subscriber.onComplete();
                    } else {
                        subscriber.onError(e);
                    }
                    return;
                }
                if (m == null) {
                    continue;
                }
                lock.lock();
                boolean deliver;
                try {
                    deliver = !cancelled && invalidRequest == 0 && demand > 0;
                    if (deliver && demand != Long.MAX_VALUE) {
                        demand--;
                    }
                } finally {
                    lock.unlock();
                }
                if (!deliver) {
                    source.release(m);
                    continue;
                }
                try {
                    subscriber.onNext(m);
                } catch (RuntimeException e) {
                    // rule 2.13: a subscriber must not throw; treat it as cancelled and give the message back
                    LOG.log(System.Logger.Level.WARNING, "subscriber threw from onNext; subscription cancelled", e);
                    cancel();
                    if (!m.isSettled()) {
                        m.nack(e);
                    }
                    return;
                }
            }
        }
    }
}
