package io.rustmq.client.fault;

import io.rustmq.broker.EmbeddedBroker;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.Producer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Load on one client: 200 producers and 50 group consumers (one group, 50 partitions) for 60 s (10 minutes with
 * {@code rustmq.soak=true}), heap after GC and live threads sampled every 5 s. After warm-up neither may grow (heap
 * by at most 16 MiB, threads by at most 2), no send or receive may fail, and every message sent is received exactly
 * once. The broker in the same JVM keeps 64 KiB a partition, so its log does not count as growth.
 */
class LoadSoakIT {
    private static final boolean SOAK = Boolean.getBoolean("rustmq.soak");
    private static final Duration RUN = SOAK ? Duration.ofMinutes(10) : Duration.ofSeconds(60);
    private static final int PRODUCERS = 200;
    private static final int CONSUMERS = 50;
    private static final int PARTITIONS = 50;
    /** Messages per second over all producers: steady load, not a throughput test. */
    private static final int RATE = 2_000;

    private record Sample(long second, long heapBytes, int threads) {
    }

    private static Sample sample(MemoryMXBean memory, long start) {
        System.gc();
        return new Sample((System.nanoTime() - start) / 1_000_000_000L, memory.getHeapMemoryUsage().getUsed(),
                Thread.activeCount());
    }

    @Test
    void twoHundredProducersAndFiftyConsumersOnOneClientHoldSteadyAndLoseNothing() throws Exception {
        String topic = "load";
        // the broker runs in this JVM: retention keeps its log from counting as the client's heap growth (64 KiB a
        // partition holds about 25 s of this load, far more than the consumers ever lag)
        try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).topic(topic, PARTITIONS)
                .retentionBytes(64 * 1024).build().start();
             RustMQClient client = RustMQClient.create(ClientConfig.builder().brokers(broker.bootstrap())
                     .clientId("load").tls(TlsConfig.builder().caCert(broker.certificatePem())
                             .serverName("localhost").build()).build())) {
            ConsumerConfig cc = ConsumerConfig.builder().startPosition(StartPosition.earliest())
                    .sessionTimeout(Duration.ofSeconds(10)).heartbeatInterval(Duration.ofSeconds(1))
                    .pollInterval(Duration.ofMillis(50)).build();
            ConcurrentHashMap<Long, Integer> received = new ConcurrentHashMap<>();
            AtomicLong duplicates = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Consumer> consumers = new ArrayList<>();
            List<Thread> readers = new ArrayList<>();
            for (int i = 0; i < CONSUMERS; i++) {
                Consumer c = client.createConsumer(topic, "load-group", cc);
                consumers.add(c);
            }
            // the group settles first, so that no rebalance runs during the measured load
            await().atMost(Duration.ofMinutes(3)).until(() ->
                    consumers.stream().mapToInt(c -> c.assignment().size()).sum() == PARTITIONS
                            && consumers.stream().allMatch(c -> c.assignment().size() == 1));
            for (Consumer c : consumers) {
                Thread t = new Thread(() -> {
                    try {
                        while (!Thread.currentThread().isInterrupted()) {
                            for (ConsumerMessage m : c.poll(Duration.ofMillis(200))) {
                                long id = Long.parseLong(m.payloadAsString());
                                if (received.put(id, 1) != null) {
                                    duplicates.incrementAndGet();
                                }
                                m.ack();
                            }
                        }
                    } catch (io.rustmq.client.RustMQException e) {
                        if (!Thread.currentThread().isInterrupted()) {
                            failure.compareAndSet(null, e);
                        }
                    }
                }, "load-reader-" + readers.size());
                t.setDaemon(true);
                readers.add(t);
                t.start();
            }
            List<Producer> producers = new ArrayList<>();
            for (int i = 0; i < PRODUCERS; i++) {
                producers.add(client.createProducer(topic));
            }
            AtomicLong sent = new AtomicLong();
            AtomicLong sendErrors = new AtomicLong();
            ScheduledExecutorService senders = Executors.newScheduledThreadPool(4);
            long periodMicros = 1_000_000L * PRODUCERS / RATE;
            for (int i = 0; i < PRODUCERS; i++) {
                Producer p = producers.get(i);
                senders.scheduleAtFixedRate(() -> {
                    long id = sent.getAndIncrement();
                    p.sendAsync(Message.builder().key("k" + id % 997).payload(Long.toString(id)).build())
                            .whenComplete((r, e) -> {
                                if (e != null) {
                                    sendErrors.incrementAndGet();
                                    failure.compareAndSet(null, e);
                                }
                            });
                }, i * periodMicros / PRODUCERS, periodMicros, TimeUnit.MICROSECONDS);
            }
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            long start = System.nanoTime();
            List<Sample> samples = new CopyOnWriteArrayList<>();
            while (System.nanoTime() - start < RUN.toNanos()) {
                Thread.sleep(5_000);
                samples.add(sample(memory, start));
                assertThat(failure.get()).as("no failure while running").isNull();
            }
            senders.shutdown();
            assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            for (Producer p : producers) {
                p.flush();
            }
            long total = sent.get();
            await().atMost(Duration.ofMinutes(2)).until(() -> received.size() >= total - sendErrors.get());
            readers.forEach(Thread::interrupt);
            for (Thread t : readers) {
                t.join(30_000);
            }
            for (Producer p : producers) {
                p.close();
            }
            for (Consumer c : consumers) {
                c.close();
            }
            StringBuilder table = new StringBuilder("second heapMiB threads\n");
            samples.forEach(s -> table.append(String.format(Locale.ROOT, "%6d %7.1f %7d%n", s.second(),
                    s.heapBytes() / 1048576.0, s.threads())));
            System.out.println("LoadSoakIT: " + total + " sent, " + received.size() + " received, " + duplicates
                    + " duplicates, " + sendErrors + " send errors\n" + table);
            assertThat(sendErrors.get()).isZero();
            assertThat(failure.get()).isNull();
            assertThat(received).hasSize((int) total);
            assertThat(duplicates.get()).isZero();
            assertThat(total).as("the load ran").isGreaterThan(RATE * RUN.toSeconds() / 4);
            // warm-up is the first third; after it, neither heap nor threads may grow
            List<Sample> steady = samples.subList(samples.size() / 3, samples.size());
            Sample first = steady.get(0);
            for (Sample s : steady) {
                assertThat(s.threads()).as("threads at %d s (first steady sample %d)", s.second(), first.threads())
                        .isLessThanOrEqualTo(first.threads() + 2);
                assertThat(s.heapBytes()).as("heap at %d s", s.second())
                        .isLessThanOrEqualTo(first.heapBytes() + 16L * 1024 * 1024);
            }
        }
    }
}
