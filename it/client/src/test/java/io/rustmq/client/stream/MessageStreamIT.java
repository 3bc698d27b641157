package io.rustmq.client.stream;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.TopicReader;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.DeadLetterHeaders;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.protocol.WireHeader;
import io.rustmq.client.protocol.WireRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Message streams end to end: consume, process, produce, acknowledge, against the embedded broker. */
class MessageStreamIT {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true)
            .defaultPartitions(4).build();

    private static ClientConfig config() {
        return ClientConfig.builder().brokers(BROKER.bootstrap()).clientId("stream-it")
                .tls(TlsConfig.builder().caCert(BROKER.certificatePem()).serverName("localhost").build()).build();
    }

    private static ConsumerConfig fastGroup() {
        return ConsumerConfig.builder().startPosition(StartPosition.earliest()).autoCommitInterval(Duration.ofMillis(200))
                .sessionTimeout(Duration.ofSeconds(2)).heartbeatInterval(Duration.ofMillis(300)).build();
    }

    private static void produce(RustMQClient client, String topic, int count, int keys) {
        try (Producer p = client.createProducer(topic)) {
            for (int i = 0; i < count; i++) {
                p.sendAsync(Message.builder().key("key-" + (i % keys)).payload("msg " + (i % keys) + " " + i)
                        .header("i", Integer.toString(i)).build());
            }
            p.flush();
        }
    }

    private static List<WireRecord> readAll(String topic) {
        try (TopicReader reader = new TopicReader(config())) {
            List<WireRecord> all = new ArrayList<>();
            reader.readTopic(topic, BROKER.broker().topics().getOrDefault(topic, 4)).forEach(all::addAll);
            return all;
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static int index(WireRecord r) {
        for (WireHeader h : r.headers()) {
            if (h.key().equals("i")) {
                return Integer.parseInt(text(h.value()));
            }
        }
        throw new AssertionError("no index header on " + r);
    }

    @Test
    void uppercasesFiftyThousandMessagesWithParallelismFourEachOnceInPerKeyOrder() throws Exception {
        try (RustMQClient client = RustMQClient.create(config())) {
            produce(client, "upper-in", 50_000, 100);
            StreamConfig sc = StreamConfig.builder().inputTopics("upper-in").outputTopic("upper-out")
                    .consumerGroup("upper").parallelism(4).maxInFlight(2_000).consumerConfig(fastGroup()).build();
            MessageStream stream = client.createStream(sc).map(m -> Message.builder().key(m.key())
                    .payload(m.payloadAsString().toUpperCase()).headers(m.headers()).build()).start();
            await().atMost(Duration.ofSeconds(90)).until(() -> stream.metrics().processed() >= 50_000);
            assertThat(stream.stop(Duration.ofSeconds(30))).isTrue();
            assertThat(stream.failure()).isNull();
        }
        List<WireRecord> out = readAll("upper-out");
        assertThat(out).hasSize(50_000);
        Set<Integer> seen = new HashSet<>();
        Map<String, Integer> lastPerKey = new HashMap<>();
        try (TopicReader reader = new TopicReader(config())) {
            for (List<WireRecord> partition : reader.readTopic("upper-out", 4)) {
                for (WireRecord r : partition) {
                    int i = index(r);
                    assertThat(seen.add(i)).as("output %d appears once", i).isTrue();
                    String key = text(r.key());
                    assertThat(text(r.value())).isEqualTo(("msg " + key.substring(4) + " " + i).toUpperCase());
                    Integer previous = lastPerKey.put(key, i);
                    assertThat(previous == null || previous < i).as("order of %s: %s then %d", key, previous, i)
                            .isTrue();
                }
            }
        }
        assertThat(seen).hasSize(50_000);
    }

    @Test
    void batchModeHandsTheProcessorBatchesAndStoresEveryOutput() throws Exception {
        List<Integer> batchSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (RustMQClient client = RustMQClient.create(config())) {
            produce(client, "batch-in", 2_000, 20);
            StreamConfig sc = StreamConfig.builder().inputTopics("batch-in").outputTopic("batch-out")
                    .consumerGroup("batch").parallelism(2).batch(50, Duration.ofMillis(20)).maxInFlight(500)
                    .consumerConfig(fastGroup()).build();
            MessageStream stream = client.createStream(sc).process(new MessageProcessor() {
                @Override
                public Message process(io.rustmq.client.consumer.ConsumerMessage m) {
                    throw new AssertionError("batch mode must call processBatch");
                }

                @Override
                public List<Message> processBatch(List<io.rustmq.client.consumer.ConsumerMessage> batch) {
                    batchSizes.add(batch.size());
                    List<Message> out = new ArrayList<>();
                    for (var m : batch) {
                        out.add(Message.builder().key(m.key()).payload(m.payloadAsString().toUpperCase())
                                .headers(m.headers()).build());
                    }
                    return out;
                }
            }).start();
            await().atMost(Duration.ofSeconds(60)).until(() -> stream.metrics().processed() >= 2_000);
            assertThat(stream.stop(Duration.ofSeconds(20))).isTrue();
        }
        assertThat(batchSizes).allSatisfy(n -> assertThat(n).isBetween(1, 50));
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(2_000);
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).max().orElse(0)).isGreaterThan(1);
        List<WireRecord> out = readAll("batch-out");
        assertThat(out).hasSize(2_000);
        assertThat(out.stream().map(MessageStreamIT::index).distinct().count()).isEqualTo(2_000);
    }

    private static MessageProcessor failingEveryTenth(boolean transientOnly) {
        Set<Integer> failedOnce = ConcurrentHashMap.newKeySet();
        return m -> {
            int i = Integer.parseInt(m.headers().lastString("i"));
            if (i % 10 == 0 && (!transientOnly || failedOnce.add(i))) {
                throw new IllegalStateException("cannot process message " + i);
            }
            return Message.builder().key(m.key()).payload(m.payload()).headers(m.headers()).build();
        };
    }

    private static MessageStream runUntilSettled(RustMQClient client, String name, ErrorStrategy strategy,
                                                 MessageProcessor processor, int count) {
        produce(client, name + "-in", count, 10);
        StreamConfig sc = StreamConfig.builder().inputTopics(name + "-in").outputTopic(name + "-out")
                .consumerGroup(name).parallelism(2).errorStrategy(strategy).consumerConfig(fastGroup()).build();
        MessageStream stream = client.createStream(sc).process(processor).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            var m = stream.metrics();
            return !stream.isRunning() || m.processed() + m.skipped() + m.deadLettered() >= count;
        });
        return stream;
    }

    @Test
    void skipDropsTheFailingMessages() throws Exception {
        try (RustMQClient client = RustMQClient.create(config())) {
            MessageStream stream = runUntilSettled(client, "skip", ErrorStrategy.skip(), failingEveryTenth(false), 1_000);
            assertThat(stream.stop(Duration.ofSeconds(20))).isTrue();
            assertThat(stream.metrics().skipped()).isEqualTo(100);
            assertThat(stream.metrics().processed()).isEqualTo(900);
            assertThat(stream.metrics().failed()).isEqualTo(100);
        }
        assertThat(readAll("skip-out")).hasSize(900).allSatisfy(r -> assertThat(index(r) % 10).isNotZero());
    }

    @Test
    void retrySucceedsWhenTheFailureIsTransient() throws Exception {
        try (RustMQClient client = RustMQClient.create(config())) {
            MessageStream stream = runUntilSettled(client, "retry",
                    ErrorStrategy.retry(3, Duration.ofMillis(10), Duration.ofMillis(100), 2.0), failingEveryTenth(true),
                    1_000);
            assertThat(stream.stop(Duration.ofSeconds(20))).isTrue();
            assertThat(stream.metrics().processed()).isEqualTo(1_000);
            assertThat(stream.metrics().retried()).isEqualTo(100);
            assertThat(stream.failure()).isNull();
        }
        List<WireRecord> out = readAll("retry-out");
        assertThat(out).hasSize(1_000);
        assertThat(out.stream().map(MessageStreamIT::index).distinct().count()).isEqualTo(1_000);
    }

    @Test
    void deadLetterSendsPersistentFailuresWithReasonHeaders() throws Exception {
        try (RustMQClient client = RustMQClient.create(config())) {
            MessageStream stream = runUntilSettled(client, "dlq",
                    ErrorStrategy.retry(2, Duration.ofMillis(5), Duration.ofMillis(20), 2.0).withDeadLetter("dlq-dead"),
                    failingEveryTenth(false), 1_000);
            assertThat(stream.stop(Duration.ofSeconds(20))).isTrue();
            assertThat(stream.metrics().deadLettered()).isEqualTo(100);
            assertThat(stream.metrics().processed()).isEqualTo(900);
        }
        assertThat(readAll("dlq-out")).hasSize(900);
        List<WireRecord> dead = readAll("dlq-dead");
        assertThat(dead).hasSize(100);
        for (WireRecord r : dead) {
            Map<String, String> h = new HashMap<>();
            r.headers().forEach(x -> h.put(x.key(), text(x.value())));
            assertThat(index(r) % 10).isZero();
            assertThat(h.get(DeadLetterHeaders.REASON)).contains("IllegalStateException", "cannot process message");
            assertThat(h.get(DeadLetterHeaders.TOPIC)).isEqualTo("dlq-in");
            assertThat(h).containsKeys(DeadLetterHeaders.PARTITION, DeadLetterHeaders.OFFSET);
            assertThat(h.get(MessageStream.DLQ_ATTEMPTS)).isEqualTo("2");
            assertThat(h.get(DeadLetterHeaders.GROUP)).isEqualTo("dlq");
        }
    }

    @Test
    void stopStopsTheStreamAndReportsTheError() throws Exception {
        try (RustMQClient client = RustMQClient.create(config())) {
            MessageStream stream = runUntilSettled(client, "stop", ErrorStrategy.stop(), failingEveryTenth(false), 1_000);
            assertThat(stream.awaitTermination(Duration.ofSeconds(20))).isTrue();
            assertThat(stream.isRunning()).isFalse();
            assertThat(stream.failure()).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("cannot process message");
            assertThat(stream.metrics().processed()).isLessThan(1_000);
        }
    }

    @Test
    void exceedingProcessingTimeoutCountsAsAFailureAndFollowsTheStrategy() throws Exception {
        try (RustMQClient client = RustMQClient.create(config())) {
            MessageProcessor slowOnSeven = m -> {
                if (m.headers().lastString("i").equals("7")) {
                    Thread.sleep(5_000);
                }
                return Message.builder().payload(m.payload()).headers(m.headers()).build();
            };
            produce(client, "slow-in", 20, 20);
            StreamConfig sc = StreamConfig.builder().inputTopics("slow-in").outputTopic("slow-out").consumerGroup("slow")
                    .processingTimeout(Duration.ofMillis(300)).errorStrategy(ErrorStrategy.skip())
                    .consumerConfig(fastGroup()).build();
            MessageStream stream = client.createStream(sc).process(slowOnSeven).start();
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.metrics().processed() + stream.metrics().skipped() >= 20);
            assertThat(stream.stop(Duration.ofSeconds(10))).isTrue();
            assertThat(stream.metrics().skipped()).isEqualTo(1);
            assertThat(stream.metrics().processed()).isEqualTo(19);
        }
        assertThat(readAll("slow-out")).extracting(MessageStreamIT::index).hasSize(19).doesNotContain(7);
    }

    @Test
    void closingTheStreamsClientMidRunLosesNoInputMessage() throws Exception {
        int count = 20_000;
        try (RustMQClient setup = RustMQClient.create(config())) {
            produce(setup, "kill-in", count, 50);
        }
        StreamConfig sc = StreamConfig.builder().inputTopics("kill-in").outputTopic("kill-out").consumerGroup("kill")
                .parallelism(2).consumerConfig(fastGroup()).build();
        AtomicInteger seenByFirst = new AtomicInteger();
        RustMQClient first = RustMQClient.create(config());
        MessageStream doomed = first.createStream(sc).map(m -> {
            seenByFirst.incrementAndGet();
            return Message.builder().key(m.key()).payload(m.payload()).headers(m.headers()).build();
        }).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> doomed.metrics().processed() >= count / 4);
        first.close();   // no stop(): closing the client stops its streams first (flush, commit, leave the group)
        assertThat(doomed.awaitTermination(Duration.ZERO)).as("stopped when its client closed").isTrue();
        assertThat(doomed.failure()).isNull();
        try (RustMQClient second = RustMQClient.create(config())) {
            MessageStream survivor = second.createStream(sc).map(m -> Message.builder().key(m.key())
                    .payload(m.payload()).headers(m.headers()).build()).start();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Set<Integer> done = new HashSet<>();
                readAll("kill-out").forEach(r -> done.add(index(r)));
                return done.size() == count;
            });
            survivor.stop(Duration.ofSeconds(20));
        }
        Set<Integer> outputs = new HashSet<>();
        List<WireRecord> out = readAll("kill-out");
        out.forEach(r -> outputs.add(index(r)));
        assertThat(outputs).hasSize(count);
        assertThat(out.size()).isGreaterThanOrEqualTo(count);
    }
}
