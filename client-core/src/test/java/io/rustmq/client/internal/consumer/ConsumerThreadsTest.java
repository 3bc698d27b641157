package io.rustmq.client.internal.consumer;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsumerThreadsTest {
    @Test
    void theDefaultMakesNamedDaemonThreads() {
        Thread t = ConsumerThreads.daemon().newThread("consumer", "billing", () -> { });
        assertThat(t.isDaemon()).isTrue();
        assertThat(t.getName()).matches("rustmq-consumer-billing-\\d+");
    }

    @Test
    void threadsAndExecutorThreadsComeFromTheGivenFactory() throws Exception {
        List<Thread> made = new CopyOnWriteArrayList<>();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            made.add(t);
            return t;
        };
        ConsumerThreads threads = new ConsumerThreads(factory);
        Thread plain = threads.newThread("stream", "g", () -> { });
        ScheduledExecutorService scheduler = threads.scheduler("consumer-heartbeat", "g");
        ExecutorService pool = threads.cachedPool("stream-call", "g");
        try {
            String onScheduler = scheduler.submit(() -> Thread.currentThread().getName()).get(30, TimeUnit.SECONDS);
            String onPool = pool.submit(() -> Thread.currentThread().getName()).get(30, TimeUnit.SECONDS);
            assertThat(onScheduler).startsWith("rustmq-consumer-heartbeat-g-");
            assertThat(onPool).startsWith("rustmq-stream-call-g-");
            assertThat(made).contains(plain).hasSize(3);
        } finally {
            scheduler.shutdownNow();
            pool.shutdownNow();
        }
    }

    @Test
    void aFactoryThatReturnsNoThreadFailsNamingTheRole() {
        ConsumerThreads threads = new ConsumerThreads(r -> null);
        assertThatThrownBy(() -> threads.newThread("consumer-dlq", "g", () -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("consumer-dlq");
    }
}
