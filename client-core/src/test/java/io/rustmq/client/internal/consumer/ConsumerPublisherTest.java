package io.rustmq.client.internal.consumer;

import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConsumerPublisherTest {
    private static final Duration SLICE = Duration.ofMillis(20);

    /** A consumer stand-in holding a queue of messages; counts what was taken and what was given back. */
    private static final class FakeSource implements ConsumerPublisher.MessageSource, AckListener {
        final MessageAccess access = MessageAccess.create();
        final PartitionState owner = new PartitionState(new io.rustmq.client.protocol.TopicPartition("t", 0), 1);
        final LinkedBlockingQueue<ConsumerMessage> queue = new LinkedBlockingQueue<>();
        final AtomicInteger taken = new AtomicInteger();
        final List<ConsumerMessage> released = new CopyOnWriteArrayList<>();
        final List<ConsumerMessage> nacked = new CopyOnWriteArrayList<>();
        volatile boolean closed;
        volatile RustMQException failure;
        /** Whether the delivery thread is inside {@link #receive} now. */
        volatile boolean inReceive;
        /** The subscription's delivery thread. */
        volatile Thread thread;

        FakeSource(int messages) {
            access.bind(this);
            for (int i = 0; i < messages; i++) {
                queue.add(message("m" + i, i));
            }
        }

        @Override
        public ConsumerMessage receive(Duration timeout) {
            if (failure != null) {
                throw failure;
            }
            if (closed) {
                throw new RustMQException("closed");
            }
            inReceive = true;
            try {
                ConsumerMessage m = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
                if (m != null) {
                    taken.incrementAndGet();
                }
                return m;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RustMQException("interrupted", e, false);
            } finally {
                inReceive = false;
            }
        }

        @Override
        public Thread newThread(Runnable task) {
            Thread t = new Thread(task, "test-delivery");
            t.setDaemon(true);
            thread = t;
            return t;
        }

        /** Waits until the delivery thread waits for demand: parked, and not inside receive. */
        void awaitWaitingForDemand() {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                Thread t = thread;
                Thread.State st = t == null ? null : t.getState();
                return (st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING) && !inReceive;
            });
        }

        /** Waits until the delivery thread has ended. */
        void awaitDeliveryThreadEnded() {
            await().atMost(Duration.ofSeconds(10)).until(() -> thread != null && !thread.isAlive());
        }

        @Override
        public void release(ConsumerMessage m) {
            released.add(m);
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public String name() {
            return "test";
        }

        /** A first delivery of partition t-0 whose acknowledgments come here. */
        ConsumerMessage message(String payload, long offset) {
            return access.create(Message.builder().payload(payload).build(),
                    new io.rustmq.client.protocol.TopicPartition("t", 0), offset, 1, owner, 0);
        }

        @Override
        public void ack(ConsumerMessage m) {
        }

        @Override
        public void nack(ConsumerMessage m, Throwable reason) {
            nacked.add(m);
        }
    }

    /** Records every signal; requests only when told to. */
    private static class Recorder implements Flow.Subscriber<ConsumerMessage> {
        final List<ConsumerMessage> received = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final AtomicInteger completions = new AtomicInteger();
        volatile Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(ConsumerMessage item) {
            received.add(item);
        }

        @Override
        public void onError(Throwable t) {
            error.set(t);
        }

        @Override
        public void onComplete() {
            completions.incrementAndGet();
        }
    }

    private static Recorder subscribe(ConsumerPublisher publisher, Recorder r) {
        publisher.subscribe(r);
        await().atMost(Duration.ofSeconds(10)).until(() -> r.subscription != null);
        return r;
    }

    @Test
    void nothingIsTakenFromTheConsumerBeforeDemandAndExactlyTheRequestedCountIsDelivered() throws Exception {
        FakeSource source = new FakeSource(20);
        Recorder r = subscribe(new ConsumerPublisher(source, SLICE), new Recorder());
        source.awaitWaitingForDemand();
        assertThat(r.received).isEmpty();
        assertThat(source.taken.get()).isZero();

        r.subscription.request(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> r.received.size() == 3);
        source.awaitWaitingForDemand();
        assertThat(r.received).extracting(ConsumerMessage::offset).containsExactly(0L, 1L, 2L);
        assertThat(source.taken.get()).as("no message is taken ahead of demand").isEqualTo(3);

        r.subscription.request(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> r.received.size() == 5);
        source.awaitWaitingForDemand();
        assertThat(r.received).hasSize(5);
        assertThat(source.taken.get()).isEqualTo(5);
    }

    @Test
    void aSlowSubscriberRequestingOneAtATimeNeverHasMoreThanItAskedFor() {
        FakeSource source = new FakeSource(30);
        AtomicInteger outstanding = new AtomicInteger();
        AtomicInteger maxOutstanding = new AtomicInteger();
        List<Long> order = Collections.synchronizedList(new ArrayList<>());
        Recorder slow = new Recorder() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                super.onSubscribe(s);
                outstanding.incrementAndGet();
                s.request(1);
            }

            @Override
            public void onNext(ConsumerMessage item) {
                int now = outstanding.decrementAndGet();
                assertThat(now).isGreaterThanOrEqualTo(0);
                order.add(item.offset());
                item.ack();
                try {
                    Thread.sleep(5); // slow processing
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                maxOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
                subscription.request(1);
            }
        };
        subscribe(new ConsumerPublisher(source, SLICE), slow);
        await().atMost(Duration.ofSeconds(20)).until(() -> order.size() == 30);
        assertThat(order).isSorted().hasSize(30);
        assertThat(maxOutstanding.get()).isEqualTo(1);
        assertThat(source.taken.get()).isEqualTo(30);
        assertThat(slow.error.get()).isNull();
    }

    @Test
    void unboundedDemandDeliversEverything() {
        FakeSource source = new FakeSource(500);
        Recorder r = subscribe(new ConsumerPublisher(source, SLICE), new Recorder());
        r.subscription.request(Long.MAX_VALUE);
        r.subscription.request(Long.MAX_VALUE); // must not overflow
        await().atMost(Duration.ofSeconds(10)).until(() -> r.received.size() == 500);
        assertThat(r.error.get()).isNull();
    }

    @Test
    void aNonPositiveRequestSignalsIllegalArgumentException() {
        FakeSource source = new FakeSource(5);
        Recorder r = subscribe(new ConsumerPublisher(source, SLICE), new Recorder());
        r.subscription.request(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> r.error.get() != null);
        assertThat(r.error.get()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3.9");
        assertThat(r.received).isEmpty();
        assertThat(source.taken.get()).isZero();
    }

    @Test
    void cancelStopsDeliveryAndAMessageTakenMeanwhileIsGivenBack() throws Exception {
        FakeSource source = new FakeSource(0);
        Recorder r = subscribe(new ConsumerPublisher(source, SLICE), new Recorder());
        r.subscription.request(5);
        await().atMost(Duration.ofSeconds(10)).until(() -> source.inReceive); // waiting in receive() with demand
        r.subscription.cancel();
        source.queue.add(source.message("late", 0));
        source.awaitDeliveryThreadEnded();
        assertThat(r.received).isEmpty();
        assertThat(source.released.size() + source.queue.size()).as("the message is back or was never taken")
                .isEqualTo(1);
    }

    @Test
    void closingTheConsumerCompletesTheSubscription() {
        FakeSource source = new FakeSource(2);
        Recorder r = subscribe(new ConsumerPublisher(source, SLICE), new Recorder());
        r.subscription.request(10);
        await().atMost(Duration.ofSeconds(10)).until(() -> r.received.size() == 2);
        source.closed = true;
        await().atMost(Duration.ofSeconds(10)).until(() -> r.completions.get() == 1);
        assertThat(r.error.get()).isNull();
    }

    @Test
    void aConsumerFailureIsSignalledWithOnError() {
        FakeSource source = new FakeSource(0);
        Recorder r = subscribe(new ConsumerPublisher(source, SLICE), new Recorder());
        r.subscription.request(1);
        RustMQException failure = new RustMQException("broken");
        source.failure = failure;
        await().atMost(Duration.ofSeconds(10)).until(() -> r.error.get() != null);
        assertThat(r.error.get()).isSameAs(failure);
        assertThat(r.completions.get()).isZero();
    }

    @Test
    void aSubscriberThatThrowsIsCancelledAndItsMessageNacked() throws Exception {
        FakeSource source = new FakeSource(3);
        Recorder throwing = new Recorder() {
            @Override
            public void onNext(ConsumerMessage item) {
                super.onNext(item);
                throw new IllegalStateException("boom");
            }
        };
        subscribe(new ConsumerPublisher(source, SLICE), throwing);
        throwing.subscription.request(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> source.nacked.size() == 1);
        source.awaitDeliveryThreadEnded();
        assertThat(throwing.received).hasSize(1);
        assertThat(source.taken.get()).isEqualTo(1);
    }
}
