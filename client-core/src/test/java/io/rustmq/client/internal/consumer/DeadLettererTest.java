package io.rustmq.client.internal.consumer;

import io.rustmq.client.ConnectionException;
import io.rustmq.client.Message;
import io.rustmq.client.MessageBatch;
import io.rustmq.client.MessageTooLargeException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.SendResult;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.DeadLetterHeaders;
import io.rustmq.client.consumer.TestMessages;
import io.rustmq.client.metrics.ProducerMetrics;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.producer.ProducerConfig;
import io.rustmq.client.producer.SendCallback;
import io.rustmq.client.protocol.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DeadLettererTest {
    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final SubscriptionState state = new SubscriptionState("billing", 10, 1000, 1 << 20);
    private final List<Message> sent = new CopyOnWriteArrayList<>();
    private final List<RustMQException> reported = new CopyOnWriteArrayList<>();
    private DeadLetterer deadLetterer;
    private PartitionState partition;

    private Acknowledgments start(Function<String, Producer> factory, int maxAttempts) {
        Forward forward = new Forward();
        MessageAccess[] access = new MessageAccess[1];
        access[0] = TestMessages.access(forward);
        deadLetterer = new DeadLetterer("dlq", state, access[0], factory, maxAttempts, Duration.ofMillis(10),
                (m, reason, failure) -> reported.add(failure), ConsumerThreads.daemon());
        Fetcher fetcher = new Fetcher(state, new FakeBroker(r -> new CompletableFuture<>()),
                io.rustmq.client.consumer.StartPosition.earliest(), 10, 1000, 1_000_000, 1 << 20, () -> { },
                state::fail);
        Delivery delivery = new Delivery(state, fetcher, access[0], deadLetterer);
        Acknowledgments acks = new Acknowledgments(access[0], delivery, deadLetterer, 0, Duration.ZERO);
        forward.target = acks;
        state.add(List.of(TP), 0);
        state.lock();
        try {
            partition = state.partitions().get(TP);
            state.reposition(partition, 40);
            partition.acks.delivered(1, partition.epoch);
        } finally {
            state.unlock();
        }
        this.access = access[0];
        return acks;
    }

    private MessageAccess access;

    private ConsumerMessage delivered() {
        Message m = Message.builder().key("k").payload("v").header("trace", "t1")
                .header(Producer.SEQUENCE_HEADER, "7").build();
        return access.create(m, TP, 40, 1, partition, partition.epoch);
    }

    @AfterEach
    void close() {
        if (deadLetterer != null) {
            state.close();
            deadLetterer.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void nackNeverCreatesTheProducerOrWaitsOnTheCallersThread() throws Exception {
        CountDownLatch producerMayBeCreated = new CountDownLatch(1);
        AtomicReference<String> creatingThread = new AtomicReference<>();
        Acknowledgments acks = start(topic -> {
            creatingThread.set(Thread.currentThread().getName());
            try {
                producerMayBeCreated.await(); // a producer whose metadata lookup hangs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new FakeProducer(() -> CompletableFuture.completedFuture(null));
        }, 3);
        ConsumerMessage m = delivered();
        Thread caller = new Thread(() -> m.nack(new IllegalStateException("bad payload")), "app-thread");
        caller.start();
        // watchdog: the nack returns although the producer's creation is blocked
        await().atMost(WAIT).until(() -> !caller.isAlive());
        await().atMost(WAIT).until(() -> creatingThread.get() != null);
        assertThat(creatingThread.get()).startsWith("rustmq-consumer-dlq-billing-").isNotEqualTo("app-thread");
        assertThat(acks.nacked()).isEqualTo(1);
        producerMayBeCreated.countDown();
        await().atMost(WAIT).until(() -> deadLetterer.stored() == 1);
        assertThat(partition.acks.committable()).isEqualTo(41);
        Message dead = sent.get(0);
        assertThat(dead.headers().lastString(DeadLetterHeaders.REASON)).contains("bad payload");
        assertThat(dead.headers().lastString(DeadLetterHeaders.EXCEPTION))
                .isEqualTo(IllegalStateException.class.getName());
        assertThat(dead.headers().lastString("trace")).isEqualTo("t1");
        assertThat(dead.headers().lastString(Producer.SEQUENCE_HEADER)).isNull();
    }

    @Test
    void aRetriableSendFailureIsRetriedABoundedNumberOfTimesThenReportedAndTheCommitMovesOn() {
        start(topic -> new FakeProducer(() -> CompletableFuture.failedFuture(
                new ConnectionException("dead-letter partition unavailable", null))), 3);
        delivered().nack(new IllegalStateException("bad"));
        await().atMost(WAIT).until(() -> reported.size() == 1);
        assertThat(sent).hasSize(3);
        assertThat(deadLetterer.failures()).isEqualTo(1);
        assertThat(deadLetterer.stored()).isZero();
        assertThat(partition.acks.committable()).isEqualTo(41);
    }

    @Test
    void aFailureThatIsNotRetriableEndsTheAttemptsAtOnce() {
        start(topic -> new FakeProducer(() -> CompletableFuture.failedFuture(
                new MessageTooLargeException("record", 2_000_000, 1_048_576, "maxMessageSize"))), 5);
        delivered().nack(null);
        await().atMost(WAIT).until(() -> reported.size() == 1);
        assertThat(sent).hasSize(1);
        assertThat(reported.get(0)).isInstanceOf(MessageTooLargeException.class);
        assertThat(partition.acks.committable()).isEqualTo(41);
    }

    /** Sends acknowledgments to the handler created after the messages' factory. */
    private static final class Forward implements AckListener {
        private volatile Acknowledgments target;

        @Override
        public void ack(ConsumerMessage m) {
            target.ack(m);
        }

        @Override
        public void nack(ConsumerMessage m, Throwable reason) {
            target.nack(m, reason);
        }
    }

    /** A producer that records sends and answers each from a supplier. */
    private final class FakeProducer implements Producer {
        private final Supplier<CompletableFuture<SendResult>> answer;

        FakeProducer(Supplier<CompletableFuture<SendResult>> answer) {
            this.answer = answer;
        }

        @Override
        public String topic() {
            return "dlq";
        }

        @Override
        public ProducerConfig config() {
            return ProducerConfig.defaults();
        }

        @Override
        public SendResult send(Message message) {
            return sendAsync(message).join();
        }

        @Override
        public CompletableFuture<SendResult> sendAsync(Message message) {
            sent.add(message);
            return answer.get();
        }

        @Override
        public void send(Message message, SendCallback callback) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<SendResult> sendBatch(List<Message> messages) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<SendResult> sendBatch(MessageBatch batch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void flush() {
        }

        @Override
        public ProducerMetrics metrics() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close(Duration timeout) {
        }

        @Override
        public void close() {
        }
    }
}
