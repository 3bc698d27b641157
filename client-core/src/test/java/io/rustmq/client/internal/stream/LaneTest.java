package io.rustmq.client.internal.stream;

import io.rustmq.client.ConnectionException;
import io.rustmq.client.Message;
import io.rustmq.client.MessageBatch;
import io.rustmq.client.SendResult;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.TestMessages;
import io.rustmq.client.internal.consumer.AckListener;
import io.rustmq.client.internal.consumer.ConsumerThreads;
import io.rustmq.client.internal.consumer.MessageAccess;
import io.rustmq.client.metrics.ProducerMetrics;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.producer.ProducerConfig;
import io.rustmq.client.producer.SendCallback;
import io.rustmq.client.protocol.TopicPartition;
import io.rustmq.client.stream.ErrorStrategy;
import io.rustmq.client.stream.StreamConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LaneTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TopicPartition IN = new TopicPartition("in", 0);

    private final List<String> acked = new CopyOnWriteArrayList<>();
    private final MessageAccess access = TestMessages.access(new AckListener() {
        @Override
        public void ack(ConsumerMessage m) {
            acked.add(m.payloadAsString());
        }

        @Override
        public void nack(ConsumerMessage m, Throwable reason) {
            throw new AssertionError("a stream never nacks");
        }
    });
    private final ConsumerThreads threads = ConsumerThreads.daemon();
    private final ExecutorService calls = threads.cachedPool("stream-call", "test");
    private volatile boolean running = true;
    private Lane lane;

    @AfterEach
    void stop() {
        running = false;
        if (lane != null) {
            lane.interrupt();
        }
        calls.shutdownNow();
    }

    private ConsumerMessage input(String payload, long offset) {
        return access.create(Message.builder().key("same-key").payload(payload).build(), IN, offset, 1, null, 0);
    }

    @Test
    void failedOutputSendsAreRetriedInOrderBeforeLaterMessagesOfTheSameKey() {
        FakeProducer producer = new FakeProducer();
        StreamConfig config = StreamConfig.builder().inputTopics("in").outputTopic("out").consumerGroup("g")
                .errorStrategy(ErrorStrategy.retry(5, Duration.ofMillis(200), Duration.ofMillis(200), 1.0)).build();
        lane = new Lane(0, config, m -> Message.builder().key(m.key()).payload(m.payload()).build(), producer, calls,
                new Semaphore(0), new StreamCounters(), e -> { throw new AssertionError(e); }, () -> running,
                threads);
        lane.start();
        for (int i = 0; i < 4; i++) {
            lane.submit(input("m" + i, i));
        }
        // the four outputs are in flight together (the lane pipelines); then the output partition fails, and, as
        // the producer does, so does every batch in flight behind the first failed one
        await().atMost(WAIT).until(() -> producer.pending.size() == 4);
        producer.autoSucceed = true;
        for (CompletableFuture<SendResult> f : producer.pending) {
            f.completeExceptionally(new ConnectionException("output partition unavailable", null));
        }
        lane.submit(input("m4", 4));
        lane.submit(input("m5", 5));
        await().atMost(WAIT).until(() -> acked.size() == 6);
        assertThat(producer.stored).containsExactly("m0", "m1", "m2", "m3", "m4", "m5");
        assertThat(acked).containsExactly("m0", "m1", "m2", "m3", "m4", "m5");
    }

    /** Holds sends until the test completes them, or stores them at once once {@link #autoSucceed} is set. */
    private static final class FakeProducer implements Producer {
        final List<CompletableFuture<SendResult>> pending = new CopyOnWriteArrayList<>();
        final List<String> stored = new CopyOnWriteArrayList<>();
        volatile boolean autoSucceed;

        @Override
        public String topic() {
            return "out";
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
            if (autoSucceed) {
                stored.add(message.payloadAsString());
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<SendResult> f = new CompletableFuture<>();
            pending.add(f);
            return f;
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
