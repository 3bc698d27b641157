package io.rustmq.client.producer;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.Message;
import io.rustmq.client.RequestTimeoutException;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.RustMQException;
import io.rustmq.client.SendResult;
import io.rustmq.client.internal.transport.ConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.rustmq.client.producer.ProducerItSupport.config;
import static io.rustmq.client.producer.ProducerItSupport.fetchAll;
import static io.rustmq.client.producer.ProducerItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Sends that must not block their caller (issue 10 item 2) and the producer for any topic (item 13). Blocking is
 * detected by a watchdog thread that samples the caller's state, not by timing.
 */
class ProducerNonBlockingIT {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true).build();

    private static RustMQClient client;
    private static ConnectionPool reader;

    @BeforeAll
    static void connect() {
        client = RustMQClient.create(config(BROKER, "non-blocking-it").requestTimeout(Duration.ofSeconds(3)).build());
        reader = ConnectionPool.create(config(BROKER, "non-blocking-reader").build());
    }

    @AfterAll
    static void disconnect() {
        reader.close();
        client.close();
    }

    /**
     * Runs {@code work} on a fresh thread while a watchdog samples that thread's state; returns the states seen in
     * which it was waiting (parked, sleeping or blocked on a monitor) inside the client.
     */
    private static List<String> waitsSeenWhileRunning(Runnable work) throws InterruptedException {
        AtomicBoolean finished = new AtomicBoolean();
        List<String> waits = new CopyOnWriteArrayList<>();
        Thread caller = new Thread(() -> {
            try {
                work.run();
            } finally {
                finished.set(true);
            }
        }, "must-not-block");
        Thread watchdog = new Thread(() -> {
            while (!finished.get()) {
                Thread.State state = caller.getState();
                if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
                        || state == Thread.State.BLOCKED) {
                    StackTraceElement[] stack = caller.getStackTrace();
                    for (StackTraceElement e : stack) {
                        if (e.getClassName().startsWith("io.rustmq.client")) {
                            waits.add(state + " in " + e);
                            break;
                        }
                    }
                }
                Thread.onSpinWait();
            }
        }, "watchdog");
        watchdog.start();
        caller.start();
        caller.join();
        watchdog.join();
        return waits;
    }

    private static Throwable cause(CompletableFuture<?> f) {
        try {
            f.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    @Test
    void withMaxBlockTimeZeroSendsThatWouldWaitFailAtOnceWithoutBlockingTheCaller() throws Exception {
        ProducerConfig nonBlocking = ProducerConfig.builder().maxBlockTime(Duration.ZERO).bufferMemory(2_000)
                .lingerTime(Duration.ofSeconds(30)).batchSize(1000).build();
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        List<Throwable> callbackErrors = new CopyOnWriteArrayList<>();
        BROKER.broker().faults().stopAnswering();
        try (Producer producer = client.createProducer("non-blocking", nonBlocking)) {
            List<String> waits = waitsSeenWhileRunning(() -> {
                for (int i = 0; i < 200; i++) {
                    // no partition: needs the partition count, which the silent broker never sends
                    futures.add(producer.sendAsync(Message.builder().key("k" + i).payload("v").build()));
                    producer.send(Message.builder().key("k" + i).payload("v").build(), (r, e) -> callbackErrors.add(e));
                    // an explicit partition: buffered until the 2,000-byte buffer is full, then refused
                    futures.add(producer.sendAsync(Message.builder().partition(0).payload(new byte[300]).build()));
                }
            });
            assertThat(waits).as("the caller never waited inside the client").isEmpty();
            assertThat(callbackErrors).hasSize(200).allSatisfy(e -> assertThat(e)
                    .isInstanceOf(RequestTimeoutException.class).hasMessageContaining("maxBlockTime = 0 ms"));
            List<Throwable> failures = futures.stream().filter(CompletableFuture::isCompletedExceptionally)
                    .map(ProducerNonBlockingIT::cause).toList();
            assertThat(failures).filteredOn(e -> e instanceof BufferExhaustedException).isNotEmpty()
                    .allSatisfy(e -> assertThat(e).hasMessageContaining("maxBlockTime = 0 ms"));
            assertThat(failures).filteredOn(e -> e.getMessage().contains("partition count")).hasSize(200);
            BROKER.broker().faults().resumeAnswering();
            producer.flush(); // the buffered messages go, and free the buffer
            // the lookup the first send started goes on (retried after its request timeout): once it is answered,
            // keyed sends succeed
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions()
                    .until(() -> producer.send(Message.builder().key("late").payload("v").build()).offset() >= 0);
        } finally {
            BROKER.broker().faults().resumeAnswering();
        }
    }

    @Test
    void aProducerWithoutATopicSendsEachMessageToItsOwnTopicWithOneSetOfMetrics() throws Exception {
        try (Producer producer = client.createProducer()) {
            assertThat(producer.topic()).isNull();
            SendResult a = producer.send(Message.builder().topic("any-a").partition(0).payload("a0").build());
            SendResult b = producer.send(Message.builder().topic("any-b").partition(0).payload("b0").build());
            producer.sendAsync(Message.builder().topic("any-a").partition(0).payload("a1").build());
            producer.flush();
            assertThat(a.topic()).isEqualTo("any-a");
            assertThat(b.topic()).isEqualTo("any-b");
            assertThat(producer.metrics().messagesSent()).isEqualTo(3);
            assertThatThrownBy(() -> producer.send(Message.builder().payload("nowhere").build()))
                    .isInstanceOf(RustMQException.class).hasMessageContaining("names no topic");
            assertThat(producer.sendAsync(Message.builder().payload("nowhere").build()))
                    .isCompletedExceptionally();
        }
        assertThat(fetchAll(reader, "any-a", 0)).extracting(r -> utf8(r.value())).containsExactly("a0", "a1");
        assertThat(fetchAll(reader, "any-b", 0)).extracting(r -> utf8(r.value())).containsExactly("b0");
    }
}
