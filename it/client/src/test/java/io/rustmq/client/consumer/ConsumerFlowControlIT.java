package io.rustmq.client.consumer;

import io.rustmq.broker.BrokerCounters;
import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.metrics.ConsumerMetrics;
import io.rustmq.client.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

import static io.rustmq.client.consumer.ConsumerItSupport.WAIT;
import static io.rustmq.client.consumer.ConsumerItSupport.fast;
import static io.rustmq.client.consumer.ConsumerItSupport.payloads;
import static io.rustmq.client.consumer.ConsumerItSupport.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Pause and resume, lag, and the reactive stream end to end. */
class ConsumerFlowControlIT {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true).build();

    private static RustMQClient client;

    @BeforeAll
    static void connect() {
        client = ConsumerItSupport.client(BROKER, "flow-control");
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    /** Receives and acknowledges exactly {@code count} messages, waiting up to {@code WAIT} for each. */
    private static List<ConsumerMessage> receive(Consumer c, int count) {
        List<ConsumerMessage> out = new CopyOnWriteArrayList<>();
        while (out.size() < count) {
            ConsumerMessage m = c.receive(WAIT);
            assertThat(m).as("message %d of %d", out.size() + 1, count).isNotNull();
            out.add(m);
            m.ack();
        }
        return out;
    }

    @Test
    void pausedPartitionsAreNeitherFetchedNorDeliveredUntilResumed() throws Exception {
        String topic = "pausing";
        BROKER.broker().createTopic(topic, 2);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        produce(client, topic, 0, payloads("a", 0, 5));
        produce(client, topic, 1, payloads("b", 0, 5));
        try (Consumer c = client.createConsumer(topic, "pause-group", fast().build())) {
            List<ConsumerMessage> first = new CopyOnWriteArrayList<>();
            while (first.size() < 10) {
                ConsumerMessage m = c.receive(WAIT);
                assertThat(m).isNotNull();
                first.add(m);
                m.ack();
            }
            c.pause(List.of(p0));
            assertThat(c.paused()).isEqualTo(Set.of(p0));
            // a fetch of p0 already in flight reaches the broker before three later, sequential fetches of p1 have
            // been answered: wait on the broker's counters, not on time
            BrokerCounters counters = BROKER.broker().counters();
            long p1Fetches = counters.fetchRequests(topic, 1);
            await().atMost(WAIT).until(() -> counters.fetchRequests(topic, 1) >= p1Fetches + 3);
            long p0Fetches = counters.fetchRequests(topic, 0);
            assertThat(c.metrics().lagOf(p0)).isZero();

            produce(client, topic, 0, payloads("a", 5, 10));
            produce(client, topic, 1, payloads("b", 5, 10));
            List<ConsumerMessage> whilePaused = receive(c, 5);
            assertThat(whilePaused).extracting(ConsumerMessage::payloadAsString)
                    .containsExactlyElementsOf(payloads("b", 5, 10));
            assertThat(c.position(p0)).hasValue(5);
            assertThat(c.metrics().lagOf(p0)).as("no fetch of the paused partition saw the new end").isZero();
            assertThat(BROKER.broker().logEndOffset(topic, 0)).isEqualTo(10);
            assertThat(counters.fetchRequests(topic, 0)).as("the paused partition was not fetched").isEqualTo(p0Fetches);

            c.resume(List.of(p0));
            assertThat(c.paused()).isEmpty();
            List<ConsumerMessage> afterResume = receive(c, 5);
            assertThat(afterResume).extracting(ConsumerMessage::payloadAsString)
                    .containsExactlyElementsOf(payloads("a", 5, 10));
            assertThat(afterResume).extracting(ConsumerMessage::offset).containsExactly(5L, 6L, 7L, 8L, 9L);
        }
    }

    @Test
    void bufferedMessagesOfAPausedPartitionAreHeldBackAndDeliveredInOrderOnResume() {
        String topic = "pause-buffered";
        TopicPartition tp = new TopicPartition(topic, 0);
        produce(client, topic, 0, payloads("x", 0, 50));
        try (Consumer c = client.createConsumer(topic, "pause-buffered-group", fast().build())) {
            ConsumerMessage m = c.receive(WAIT);
            assertThat(m.offset()).isZero();
            m.ack();
            // the other 49 were fetched with the first one and are buffered
            c.pause(List.of(tp));
            assertThat(c.receive(Duration.ofMillis(500))).isNull();
            c.resume(List.of(tp));
            List<ConsumerMessage> rest = receive(c, 49);
            assertThat(rest).extracting(ConsumerMessage::offset).containsExactlyElementsOf(
                    java.util.stream.LongStream.range(1, 50).boxed().toList());
        }
    }

    @Test
    void lagIsExactlyTheNumberOfMessagesNotYetReceived() {
        String topic = "lagging";
        TopicPartition tp = new TopicPartition(topic, 0);
        produce(client, topic, 0, payloads("l", 0, 100));
        try (Consumer c = client.createConsumer(topic, "lag-group", fast().fetchSize(10).build())) {
            await().atMost(WAIT).until(() -> c.metrics().totalLag() == 100);

            for (int i = 0; i < 40; i++) {
                c.receive(WAIT).ack();
            }
            ConsumerMetrics afterForty = c.metrics();
            assertThat(afterForty.lagOf(tp)).isEqualTo(60);
            assertThat(afterForty.totalLag()).isEqualTo(60);

            produce(client, topic, 0, payloads("l", 100, 125));
            await().atMost(WAIT).until(() -> c.metrics().lagOf(tp) == 85);
            assertThat(c.metrics().totalLag()).isEqualTo(85);

            int received = 0;
            while (received < 85) {
                List<ConsumerMessage> batch = c.poll(WAIT);
                assertThat(batch).hasSizeLessThanOrEqualTo(10);
                batch.forEach(ConsumerMessage::ack);
                received += batch.size();
            }
            ConsumerMetrics done = c.metrics();
            assertThat(done.lagOf(tp)).isZero();
            assertThat(done.totalLag()).isZero();
            assertThat(done.messagesReceived()).isEqualTo(125);
            assertThat(done.messagesProcessed()).isEqualTo(125);
            assertThat(done.lastReceiveTime()).isBefore(Instant.now().plusSeconds(1));
            assertThat(done.lag()).isEqualTo(Map.of(tp, 0L));
            assertThat(done.toJson()).contains("\"lag\":{\"lagging-0\":0}", "\"messagesProcessed\":125");
        }
    }

    @Test
    void theStreamHandsOutOnlyWhatItsSubscriberRequested() throws Exception {
        String topic = "streamed";
        TopicPartition tp = new TopicPartition(topic, 0);
        produce(client, topic, 0, payloads("s", 0, 50));
        List<ConsumerMessage> got = new CopyOnWriteArrayList<>();
        AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        AtomicReference<Boolean> completed = new AtomicReference<>(false);
        try (Consumer c = client.createConsumer(topic, "stream-group", fast().enableAutoCommit(false).build())) {
            c.stream().subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription.set(s);
                    s.request(5);
                }

                @Override
                public void onNext(ConsumerMessage item) {
                    got.add(item);
                    item.ack();
                }

                @Override
                public void onError(Throwable t) {
                    throw new AssertionError("unexpected", t);
                }

                @Override
                public void onComplete() {
                    completed.set(true);
                }
            });
            await().atMost(WAIT).until(() -> got.size() == 5);
            // the consumer has fetched all 50 (its lag counts from what it handed out), yet hands out no more
            await().atMost(WAIT).until(() -> c.metrics().lagOf(tp) == 45);
            assertThat(got).hasSize(5);
            assertThat(c.metrics().messagesReceived()).as("the consumer handed out no more than requested")
                    .isEqualTo(5);
            subscription.get().request(Long.MAX_VALUE);
            await().atMost(WAIT).until(() -> got.size() == 50);
            assertThat(got).extracting(ConsumerMessage::offset).isSorted();
            c.commit();
            assertThat(c.committed(tp)).hasValue(50);
        }
        await().atMost(WAIT).until(completed::get);
    }
}
