package io.rustmq.client;

import io.rustmq.broker.EmbeddedBroker;
import io.rustmq.broker.fault.FaultProxy;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.stream.MessageStream;
import io.rustmq.client.stream.StreamConfig;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What users do wrong, against a real embedded broker: every operation of a closed client, producer, consumer or
 * stream fails with an exception that says it is closed (accessors such as {@code metrics()} keep answering);
 * closing twice is harmless; an interrupted blocking {@code send} or {@code receive} returns promptly with the
 * interrupt flag kept; and a callback that throws does not break the producer.
 */
class MisuseIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private EmbeddedBroker broker;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.builder().port(0).autoCreateTopics(true).build().start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private ClientConfig.Builder config() {
        return ClientConfig.builder().brokers(broker.bootstrap())
                .tls(TlsConfig.builder().caCert(broker.certificatePem()).serverName("localhost").build());
    }

    private static Message msg(String text) {
        return Message.builder().payload(text).build();
    }

    private static void assertClosed(String what, ThrowingCallable call) {
        assertThatThrownBy(call).as(what).isInstanceOfAny(IllegalStateException.class, RustMQException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void everyOperationOfAClosedClientFailsSayingSoAndClosingTwiceIsHarmless() {
        RustMQClient client = RustMQClient.create(config().build());
        client.close();
        client.close();
        assertClosed("createProducer", () -> client.createProducer("t"));
        assertClosed("createProducer with config", () -> client.createProducer("t",
                io.rustmq.client.producer.ProducerConfig.builder().build()));
        assertClosed("createConsumer", () -> client.createConsumer("t", "g"));
        assertClosed("createStream", () -> client.createStream(StreamConfig.builder().inputTopics("a")
                .outputTopic("b").consumerGroup("g").build()));
        assertClosed("healthCheck", client::healthCheck);
        assertThatThrownBy(() -> client.healthCheckAsync().join()).hasMessageContaining("closed");
        assertThat(client.isConnected()).isFalse();
        assertThat(client.stats()).as("statistics stay readable").isNotNull();
        assertThat(client.config()).isNotNull();
    }

    @Test
    void everyOperationOfAClosedProducerFailsSayingSo() {
        try (RustMQClient client = RustMQClient.create(config().build())) {
            Producer producer = client.createProducer("misuse-producer");
            producer.send(msg("before"));
            producer.close();
            producer.close();
            producer.close(Duration.ofSeconds(1));
            assertClosed("send", () -> producer.send(msg("x")));
            CompletableFuture<SendResult> f = producer.sendAsync(msg("x"));
            assertThatThrownBy(f::join).hasMessageContaining("closed");
            AtomicReference<Throwable> callbackError = new AtomicReference<>();
            CountDownLatch called = new CountDownLatch(1);
            producer.send(msg("x"), (r, e) -> {
                callbackError.set(e);
                called.countDown();
            });
            await().atMost(WAIT).until(() -> called.getCount() == 0);
            assertThat(callbackError.get()).hasMessageContaining("closed");
            assertClosed("sendBatch", () -> producer.sendBatch(List.of(msg("x"))));
            assertClosed("flush", producer::flush);
            assertThat(producer.metrics()).isNotNull();
            assertThat(producer.topic()).isEqualTo("misuse-producer");
        }
    }

    @Test
    void everyOperationOfAClosedConsumerFailsSayingSo() {
        try (RustMQClient client = RustMQClient.create(config().build())) {
            Consumer consumer = client.createConsumer("misuse-consumer", "g");
            consumer.close();
            consumer.close();
            var tp = new TopicPartition("misuse-consumer", 0);
            assertClosed("receive", () -> consumer.receive(Duration.ofMillis(10)));
            assertClosed("poll", () -> consumer.poll(Duration.ofMillis(10)));
            assertClosed("commit", consumer::commit);
            assertThatThrownBy(() -> consumer.commitAsync().join()).hasMessageContaining("closed");
            assertClosed("seek", () -> consumer.seek(tp, 0));
            assertClosed("seekToBeginning", () -> consumer.seekToBeginning(List.of(tp)));
            assertClosed("seekToEnd", () -> consumer.seekToEnd(List.of(tp)));
            assertClosed("seekToTimestamp", () -> consumer.seekToTimestamp(List.of(tp), Instant.now()));
            assertClosed("pause", () -> consumer.pause(List.of(tp)));
            assertClosed("resume", () -> consumer.resume(List.of(tp)));
            assertClosed("stream", consumer::stream);
            assertThat(consumer.metrics()).isNotNull();
            assertThat(consumer.group()).isEqualTo("g");
        }
    }

    @Test
    void aClosedStreamCannotBeStartedAgain() {
        try (RustMQClient client = RustMQClient.create(config().build())) {
            MessageStream stream = client.createStream(StreamConfig.builder().inputTopics("misuse-in")
                    .outputTopic("misuse-out").consumerGroup("sg").build()).map(m -> msg(m.payloadAsString()));
            stream.start();
            stream.close();
            stream.close();
            assertClosed("start", stream::start);
            assertThat(stream.isRunning()).isFalse();
            assertThat(stream.metrics()).isNotNull();
        }
    }

    @Test
    void anInterruptedBlockingSendReturnsPromptlyKeepingTheInterruptFlag() throws Exception {
        try (FaultProxy proxy = FaultProxy.builder().start()) {
            proxy.target(broker.bootstrap());
            EmbeddedBroker behindProxy = broker;
            try (RustMQClient client = RustMQClient.create(ClientConfig.builder().brokers(proxy.address())
                    .requestTimeout(Duration.ofSeconds(120))
                    .tls(TlsConfig.builder().caCert(behindProxy.certificatePem()).serverName("localhost").build())
                    .build());
                 Producer producer = client.createProducer("interrupt-send")) {
                producer.send(msg("warm"));
                proxy.blackhole(Duration.ofMinutes(10));
                AtomicReference<Throwable> thrown = new AtomicReference<>();
                AtomicBoolean flagKept = new AtomicBoolean();
                CountDownLatch inSend = new CountDownLatch(1);
                Thread sender = new Thread(() -> {
                    inSend.countDown();
                    try {
                        producer.send(msg("never acknowledged"));
                    } catch (Throwable t) {
                        thrown.set(t);
                    }
                    flagKept.set(Thread.currentThread().isInterrupted());
                }, "blocked-sender");
                sender.start();
                inSend.await();
                await().atMost(WAIT).until(() -> sender.getState() == Thread.State.WAITING
                        || sender.getState() == Thread.State.TIMED_WAITING);
                sender.interrupt();
                // far less than the 120 s request timeout the send would otherwise wait
                sender.join(TimeUnit.SECONDS.toMillis(30));
                assertThat(sender.isAlive()).as("send returned after the interrupt").isFalse();
                assertThat(thrown.get()).as("the send failed").isNotNull();
                assertThat(flagKept).as("interrupt flag kept").isTrue();
                proxy.blackhole(Duration.ZERO);
            }
        }
    }

    @Test
    void anInterruptedBlockingReceiveReturnsPromptlyKeepingTheInterruptFlag() throws Exception {
        try (RustMQClient client = RustMQClient.create(config().build());
             Consumer consumer = client.createConsumer("interrupt-receive", "ig", ConsumerConfig.builder()
                     .startPosition(StartPosition.earliest()).build())) {
            AtomicBoolean flagKept = new AtomicBoolean();
            AtomicReference<Object> result = new AtomicReference<>("not returned");
            Thread receiver = new Thread(() -> {
                try {
                    result.set(consumer.receive(Duration.ofMinutes(5)));
                } catch (RuntimeException e) {
                    result.set(e);
                }
                flagKept.set(Thread.currentThread().isInterrupted());
            }, "blocked-receiver");
            receiver.start();
            await().atMost(WAIT).until(() -> receiver.getState() == Thread.State.WAITING
                    || receiver.getState() == Thread.State.TIMED_WAITING);
            receiver.interrupt();
            receiver.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(receiver.isAlive()).as("receive returned after the interrupt").isFalse();
            assertThat(result.get()).as("receive returned null or failed, not a message").isNotEqualTo(
                    "not returned");
            assertThat(flagKept).as("interrupt flag kept").isTrue();
        }
    }

    @Test
    void aCallbackThatThrowsDoesNotBreakTheProducer() {
        try (RustMQClient client = RustMQClient.create(config().build());
             Producer producer = client.createProducer("throwing-callback")) {
            AtomicInteger calls = new AtomicInteger();
            for (int i = 0; i < 50; i++) {
                producer.send(msg("m" + i), (r, e) -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("application bug in a callback");
                });
            }
            producer.flush();
            await().atMost(WAIT).until(() -> calls.get() == 50);
            assertThat(producer.send(msg("after")).offset()).isEqualTo(50);
            assertThat(producer.sendAsync(msg("after async")).join().offset()).isEqualTo(51);
        }
    }
}
