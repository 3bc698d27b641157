package io.rustmq.client;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.stream.ErrorStrategy;
import io.rustmq.client.stream.MessageStream;
import io.rustmq.client.stream.StreamConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 10 item 1: every thread a client and what it creates run on comes from the configured factory. */
class ClientThreadFactoryIT {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true).build();

    /** Counts and remembers the threads it makes; names them {@code counted-N}. */
    static final class CountingThreadFactory implements ThreadFactory {
        final Set<Thread> made = ConcurrentHashMap.newKeySet();
        private final AtomicInteger n = new AtomicInteger();
        private final ThreadGroup group;

        CountingThreadFactory(ThreadGroup group) {
            this.group = group;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(group, r, "counted-" + n.incrementAndGet());
            t.setDaemon(true);
            made.add(t);
            return t;
        }
    }

    /**
     * Every live thread of a group, sub-groups included. The test works inside its own group: a thread the client
     * creates without the factory lands in it (it inherits its creator's group), while threads of other tests'
     * clients, the JVM or the broker do not.
     */
    private static Set<Thread> threadsOf(ThreadGroup group) {
        Thread[] all = new Thread[group.activeCount() + 64];
        int n = group.enumerate(all, true);
        Set<Thread> out = new HashSet<>();
        for (int i = 0; i < n; i++) {
            if (all[i].isAlive()) {
                out.add(all[i]);
            }
        }
        return out;
    }

    @Test
    void everyThreadOfAClientItsProducerConsumerAndStreamComesFromTheConfiguredFactory() throws Throwable {
        ThreadGroup group = new ThreadGroup("client-under-test");
        CountingThreadFactory factory = new CountingThreadFactory(group);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread driver = new Thread(group, () -> {
            try {
                useEverything(factory);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "threads-it-driver");
        driver.start();
        driver.join();
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private static void useEverything(CountingThreadFactory factory) throws Exception {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        ConsumerConfig fast = ConsumerConfig.builder().startPosition(StartPosition.earliest())
                .sessionTimeout(Duration.ofSeconds(3)).heartbeatInterval(Duration.ofMillis(300)).build();
        RustMQClient client = RustMQClient.create(ClientConfig.builder().brokers(BROKER.bootstrap())
                .clientId("threads-it").threadFactory(factory)
                .tls(TlsConfig.builder().caCert(BROKER.certificatePem()).serverName("localhost").build()).build());
        try {
            try (Producer producer = client.createProducer("threads-in")) {
                for (int i = 0; i < 20; i++) {
                    producer.sendAsync(Message.builder().key("k" + (i % 3)).payload("m" + i).build());
                }
                producer.flush();
            }
            Consumer consumer = client.createConsumer("threads-in", "threads-plain", fast);
            ConsumerMessage first = consumer.receive(Duration.ofSeconds(30));
            assertThat(first).isNotNull();
            first.ack();

            AtomicInteger streamed = new AtomicInteger();
            Consumer published = client.createConsumer("threads-in", "threads-publisher", fast);
            published.stream().subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(ConsumerMessage m) {
                    m.ack();
                    streamed.incrementAndGet();
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onComplete() {
                }
            });

            AtomicBoolean failedOnce = new AtomicBoolean();
            MessageStream stream = client.createStream(StreamConfig.builder().inputTopics("threads-in")
                    .outputTopic("threads-out").consumerGroup("threads-stream").consumerConfig(fast)
                    .errorStrategy(ErrorStrategy.retry(3, Duration.ofMillis(10), Duration.ofMillis(50), 2.0))
                    .build()).map(m -> {
                        if (failedOnce.compareAndSet(false, true)) {
                            throw new IllegalStateException("fail the first call once, to run a retry timer");
                        }
                        return Message.builder().key(m.key()).payload(m.payload()).build();
                    }).start();

            await().pollInSameThread().atMost(Duration.ofSeconds(60))
                    .until(() -> stream.metrics().processed() >= 20 && streamed.get() >= 20);
            assertThat(stream.metrics().retried()).isPositive();

            Set<Thread> outsideFactory = threadsOf(group);
            outsideFactory.remove(Thread.currentThread());
            outsideFactory.removeAll(factory.made);
            assertThat(outsideFactory).as("client threads that its factory did not make: %s",
                    outsideFactory.stream().map(Thread::getName).collect(Collectors.toList())).isEmpty();
            List<String> names = factory.made.stream().filter(Thread::isAlive).map(Thread::getName).toList();
            assertThat(names).as("live client threads, all from the factory").hasSizeGreaterThanOrEqualTo(6);
        } finally {
            client.close();
        }
    }
}
