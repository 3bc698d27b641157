package io.rustmq.client.producer;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.Message;
import io.rustmq.client.MessageBatch;
import io.rustmq.client.MessageTooLargeException;
import io.rustmq.client.RequestTimeoutException;
import io.rustmq.client.RetryConfig;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.RustMQException;
import io.rustmq.client.SendResult;
import io.rustmq.client.metrics.ProducerMetrics;
import io.rustmq.client.protocol.WireRecord;
import io.rustmq.client.internal.transport.ConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.rustmq.client.producer.ProducerItSupport.EVENT_LOOP_PREFIX;
import static io.rustmq.client.producer.ProducerItSupport.config;
import static io.rustmq.client.producer.ProducerItSupport.fetchAll;
import static io.rustmq.client.producer.ProducerItSupport.header;
import static io.rustmq.client.producer.ProducerItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The producer's contract end to end: limits, blocking, draining on close, threads, headers, partitioning, metrics. */
class ProducerIT {
    private static final Duration LONG_LINGER = Duration.ofSeconds(60);

    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true)
            .topic("spread", 4).topic("keyed", 3).build();

    private static RustMQClient client;
    private static ConnectionPool reader;

    @BeforeAll
    static void connect() {
        client = RustMQClient.create(config(BROKER, "producer-it").build());
        reader = ConnectionPool.create(config(BROKER, "producer-reader").build());
    }

    @AfterAll
    static void disconnect() {
        reader.close();
        client.close();
    }

    @Test
    void aMessageOverMaxMessageSizeFailsBeforeAnythingIsSentAndTheProducerStaysUsable() {
        try (Producer producer = client.createProducer("too-large",
                ProducerConfig.builder().maxMessageSize(1000).build())) {
            producer.send(Message.builder().partition(0).payload("warm-up").build());
            long requestsBefore = client.stats().requestsSent();
            assertThatThrownBy(() -> producer.send(Message.builder().partition(0).payload(new byte[2000]).build()))
                    .isInstanceOfSatisfying(MessageTooLargeException.class, e -> {
                        assertThat(e.limit()).isEqualTo(1000);
                        assertThat(e.size()).isEqualTo(2025);
                    })
                    .hasMessageContaining("maxMessageSize = 1000");
            assertThat(producer.sendAsync(Message.builder().partition(0).payload(new byte[5000]).build()))
                    .isCompletedExceptionally();
            assertThat(client.stats().requestsSent()).as("requests sent").isEqualTo(requestsBefore);
            assertThat(producer.send(Message.builder().partition(0).payload(new byte[900]).build()).offset())
                    .isEqualTo(1);
            assertThat(producer.metrics().messagesFailed()).isEqualTo(2);
        }
    }

    @Test
    void closeDeliversMessagesStillWaitingInTheAccumulator() throws Exception {
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        Producer producer = client.createProducer("close-drains",
                ProducerConfig.builder().lingerTime(LONG_LINGER).batchSize(1000).build());
        for (int i = 0; i < 5; i++) {
            futures.add(producer.sendAsync(Message.builder().partition(0).payload("lingering-" + i).build()));
        }
        Thread.sleep(100);
        assertThat(futures).as("nothing goes before the linger time").noneMatch(CompletableFuture::isDone);
        producer.close();
        assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(futures.stream().map(f -> f.join().offset()).toList()).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(fetchAll(reader, "close-drains", 0)).extracting(r -> utf8(r.value()))
                .containsExactly("lingering-0", "lingering-1", "lingering-2", "lingering-3", "lingering-4");
        assertThatThrownBy(() -> producer.send(Message.builder().payload("late").build()))
                .isInstanceOf(RustMQException.class).hasMessageContaining("closed");
        producer.close(); // idempotent
    }

    @Test
    void whenBufferMemoryIsFullASendBlocksForMaxBlockTimeThenFailsAndTheBufferedMessagesStillGoOut()
            throws Exception {
        ProducerConfig tiny = ProducerConfig.builder().bufferMemory(2000).maxBlockTime(Duration.ofMillis(200))
                .lingerTime(LONG_LINGER).batchSize(1000).build();
        Producer producer = client.createProducer("buffer-full", tiny);
        List<CompletableFuture<SendResult>> buffered = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            buffered.add(producer.sendAsync(Message.builder().partition(0).payload(new byte[400]).build()));
        }
        assertThat(buffered).noneMatch(CompletableFuture::isCompletedExceptionally);
        long start = System.nanoTime();
        assertThatThrownBy(() -> producer.send(Message.builder().partition(0).payload(new byte[400]).build()))
                .isInstanceOf(BufferExhaustedException.class)
                .isInstanceOf(RequestTimeoutException.class)
                .hasMessageContaining("bufferMemory = 2000")
                .hasMessageContaining("maxBlockTime = 200 ms");
        long blockedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(blockedMillis).as("time blocked").isBetween(200L, 10_000L);
        assertThatThrownBy(() -> producer.send(Message.builder().partition(0).payload(new byte[3000]).build()))
                .isInstanceOf(MessageTooLargeException.class).hasMessageContaining("bufferMemory = 2000");
        producer.close();
        assertThat(buffered).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(fetchAll(reader, "buffer-full", 0)).hasSize(4);
    }

    @Test
    void resultsAndCallbacksNeverRunOnANetworkThread() throws Exception {
        Set<String> threads = Collections.synchronizedSet(new HashSet<>());
        int messages = 200;
        CountDownLatch done = new CountDownLatch(2 * messages + 1);
        try (Producer producer = client.createProducer("threads",
                ProducerConfig.builder().deliveryTimeout(Duration.ofSeconds(2)).build())) {
            for (int i = 0; i < messages; i++) {
                producer.sendAsync(Message.builder().partition(0).payload("f" + i).build())
                        .whenComplete((r, e) -> {
                            threads.add(Thread.currentThread().getName());
                            done.countDown();
                        });
                producer.send(Message.builder().partition(0).payload("c" + i).build(), (r, e) -> {
                    threads.add(Thread.currentThread().getName());
                    done.countDown();
                });
            }
            // A failure too: partition 7 does not exist, the broker answers an error frame to each attempt until the
            // delivery timeout ends them.
            producer.send(Message.builder().partition(7).payload("nowhere").build(), (r, e) -> {
                assertThat(e).isInstanceOf(RequestTimeoutException.class)
                        .hasMessageContaining("deliveryTimeout").hasMessageContaining("Partition not found");
                threads.add(Thread.currentThread().getName());
                done.countDown();
            });
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(threads).isNotEmpty().noneMatch(name -> name.startsWith(EVENT_LOOP_PREFIX));
    }

    @Test
    void sendBatchReturnsResultsInOrderAndFlushWaitsForEverything() {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            messages.add(Message.builder().partition(0).payload("b" + i).build());
        }
        try (Producer producer = client.createProducer("batches",
                ProducerConfig.builder().lingerTime(LONG_LINGER).batchSize(40).build())) {
            List<SendResult> first = producer.sendBatch(messages.subList(0, 100));
            assertThat(first).extracting(SendResult::offset).containsExactlyElementsOf(
                    java.util.stream.LongStream.range(0, 100).boxed().toList());
            List<SendResult> second = producer.sendBatch(MessageBatch.of(messages.subList(100, 250)));
            assertThat(second.get(0).offset()).isEqualTo(100);
            assertThat(second.get(149).offset()).isEqualTo(249);

            CompletableFuture<SendResult> lingering = producer.sendAsync(Message.builder().partition(0).payload("x").build());
            producer.flush();
            assertThat(lingering).isCompleted();
            assertThat(lingering.join().offset()).isEqualTo(250);
        }
    }

    @Test
    void keyedMessagesGoToTheirMurmur2PartitionWithDefaultHeadersFirst() throws Exception {
        ProducerConfig config = ProducerConfig.builder().defaultHeader("app", "orders-service").build();
        List<SendResult> results = new ArrayList<>();
        try (Producer producer = client.createProducer("keyed", config)) {
            for (int i = 0; i < 30; i++) {
                results.add(producer.send(Message.builder().key("user-" + i).payload("p" + i)
                        .header("source", "it").build()));
            }
        }
        for (int i = 0; i < 30; i++) {
            byte[] key = ("user-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(results.get(i).partition()).isEqualTo(Partitioner.keyHashPartition(key, 3));
        }
        WireRecord r = fetchAll(reader, "keyed", results.get(0).partition()).get(0);
        assertThat(r.headers()).extracting(h -> h.key())
                .containsExactly("app", "source", Producer.PRODUCER_ID_HEADER, Producer.SEQUENCE_HEADER);
        assertThat(header(r, "app")).isEqualTo("orders-service");
    }

    @Test
    void keylessMessagesStickToAPartitionPerBatchAndSpreadOverAll() {
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        try (Producer producer = client.createProducer("spread",
                ProducerConfig.builder().batchSize(50).lingerTime(LONG_LINGER).build())) {
            for (int i = 0; i < 400; i++) {
                futures.add(producer.sendAsync(Message.builder().payload("k" + i).build()));
            }
            producer.flush();
        }
        List<Integer> partitions = futures.stream().map(f -> f.join().partition()).toList();
        assertThat(new HashSet<>(partitions)).containsExactlyInAnyOrder(0, 1, 2, 3);
        int switches = 0;
        for (int i = 1; i < partitions.size(); i++) {
            if (!partitions.get(i).equals(partitions.get(i - 1))) {
                switches++;
            }
        }
        assertThat(switches).as("partition changes over 400 keyless messages in batches of 50").isEqualTo(7);
    }

    @Test
    void aCustomPartitionerIsUsedAndAnOutOfRangeChoiceFailsTheSend() {
        try (Producer producer = client.createProducer("spread",
                ProducerConfig.builder().partitioner((topic, key, count) -> count - 1).build())) {
            assertThat(producer.send(Message.builder().key("a").payload("x").build()).partition()).isEqualTo(3);
        }
        try (Producer producer = client.createProducer("spread",
                ProducerConfig.builder().partitioner((topic, key, count) -> count).build())) {
            assertThatThrownBy(() -> producer.send(Message.builder().payload("x").build()))
                    .isInstanceOf(RustMQException.class).hasMessageContaining("chose partition 4");
        }
        try (Producer producer = client.createProducer("spread", ProducerConfig.builder()
                .partitioner((topic, key, count) -> {
                    throw new IllegalStateException("boom");
                }).build())) {
            assertThat(producer.sendAsync(Message.builder().payload("x").build()))
                    .failsWithin(Duration.ofSeconds(5)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(RustMQException.class).withMessageContaining("boom");
        }
        assertThatThrownBy(() -> client.createProducer("spread", null))
                .isInstanceOf(io.rustmq.client.ConfigurationException.class).hasMessageContaining("producerConfig");
    }

    @Test
    void aMessageThatCannotBeDeliveredFailsAfterTheDeliveryTimeout() {
        ClientConfig patient = config(BROKER, "delivery-timeout").retry(RetryConfig.builder().maxRetries(1000)
                .baseDelay(Duration.ofMillis(20)).maxDelay(Duration.ofMillis(50)).build()).build();
        try (RustMQClient c = RustMQClient.create(patient);
             Producer producer = c.createProducer("no-such-partition",
                     ProducerConfig.builder().deliveryTimeout(Duration.ofMillis(500)).build())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> producer.send(Message.builder().partition(9).payload("x").build()))
                    .isInstanceOf(RequestTimeoutException.class)
                    .hasMessageContaining("deliveryTimeout = 500 ms")
                    .hasMessageContaining("last failure: Broker error: Partition not found");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(400L, 20_000L);
            assertThat(producer.metrics().retries()).isPositive();
        }
    }

    @Test
    void metricsCountWhatWasSentAndExportAsJson() {
        try (Producer producer = client.createProducer("metrics")) {
            assertThat(producer.metrics().lastSendTime()).isNull();
            for (int i = 0; i < 20; i++) {
                producer.sendAsync(Message.builder().partition(0).payload(new byte[100]).build());
            }
            producer.flush();
            ProducerMetrics m = producer.metrics();
            assertThat(m.messagesSent()).isEqualTo(20);
            assertThat(m.messagesFailed()).isZero();
            assertThat(m.batchesSent()).isBetween(1L, 20L);
            assertThat(m.averageBatchSize()).isEqualTo(20.0 / m.batchesSent());
            // No key (1) + 100-byte value (8 + 100) + header count (8) + timestamp (8); per request, on its first
            // record: producer id header (8 + 18 + 8 + 36), sequence header (8 + 15 + 8 + its digits).
            assertThat(m.bytesSent()).isBetween(20L * 125 + 70 + 31 + 1, 20L * 125 + m.batchesSent() * (70 + 31 + 2));
            assertThat(m.lastSendTime()).isNotNull();
            assertThat(m.requestLatencyP50Micros()).isPositive();
            assertThat(m.toJson()).contains("\"messagesSent\":20");
        }
    }
}
