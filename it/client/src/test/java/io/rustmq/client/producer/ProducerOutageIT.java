package io.rustmq.client.producer;

import io.rustmq.broker.FaultInjection;
import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.Message;
import io.rustmq.client.RequestTimeoutException;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.SendResult;
import io.rustmq.client.protocol.WireRecord;
import io.rustmq.client.internal.transport.ConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static io.rustmq.client.producer.ProducerItSupport.config;
import static io.rustmq.client.producer.ProducerItSupport.fetchAll;
import static io.rustmq.client.producer.ProducerItSupport.header;
import static io.rustmq.client.producer.ProducerItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sends across a broker outage (issue 18): the broker stops answering (nothing stored, nothing answered) for longer
 * than the request timeout. With a delivery timeout three times the outage every send succeeds, in order, once;
 * with one half the outage the sends in flight fail naming {@code deliveryTimeout} and later sends succeed under a
 * new producer id. The default build scales the 40 s outage, 30 s request timeout and 120 s / 20 s delivery
 * timeouts down to 8 s, 2 s and 24 s / 4 s; {@code -Dproducer.outage.seconds=40} runs the literal 40 s outage with
 * 120 s and 20 s delivery timeouts and the default 30 s request timeout.
 */
class ProducerOutageIT {
    private static final long OUTAGE_SECONDS = Long.getLong("producer.outage.seconds", 8);
    private static final boolean LITERAL = OUTAGE_SECONDS >= 40;
    private static final Duration OUTAGE = Duration.ofSeconds(OUTAGE_SECONDS);
    private static final Duration REQUEST_TIMEOUT = LITERAL ? Duration.ofSeconds(30) : Duration.ofSeconds(2);
    private static final Duration LONG_DELIVERY = OUTAGE.multipliedBy(3);
    private static final Duration SHORT_DELIVERY = OUTAGE.dividedBy(2);
    private static final int PARTITIONS = 2;
    private static final int PER_PHASE = 30;

    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true)
            .defaultPartitions(PARTITIONS).build();

    private static RustMQClient client;
    private static ConnectionPool reader;

    @BeforeAll
    static void connect() {
        client = RustMQClient.create(config(BROKER, "outage-it").requestTimeout(REQUEST_TIMEOUT).build());
        reader = ConnectionPool.create(config(BROKER, "outage-reader").build());
    }

    @AfterAll
    static void disconnect() {
        reader.close();
        client.close();
    }

    @AfterEach
    void answerAgain() {
        BROKER.broker().faults().resumeAnswering();
    }

    private static List<CompletableFuture<SendResult>> sendPhase(Producer producer, String phase) {
        List<CompletableFuture<SendResult>> out = new ArrayList<>();
        for (int i = 0; i < PER_PHASE; i++) {
            out.add(producer.sendAsync(Message.builder().partition(i % PARTITIONS).payload(phase + "-" + i).build()));
        }
        return out;
    }

    /** Stops answering for the outage's length: the fault's duration, not a wait for a condition. */
    private static void outage(Runnable during) throws InterruptedException {
        FaultInjection faults = BROKER.broker().faults();
        long unanswered = faults.counts().unanswered();
        faults.stopAnswering();
        long end = System.nanoTime() + OUTAGE.toNanos();
        during.run();
        await().atMost(OUTAGE.plusSeconds(60)).until(() -> faults.counts().unanswered() > unanswered);
        long left = end - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
        faults.resumeAnswering();
    }

    private static List<String> stored(String topic, int partition) {
        return fetchAll(reader, topic, partition).stream().map(r -> utf8(r.value())).toList();
    }

    private static List<String> expected(int partition, String... phases) {
        List<String> out = new ArrayList<>();
        for (String phase : phases) {
            for (int i = partition; i < PER_PHASE; i += PARTITIONS) {
                out.add(phase + "-" + i);
            }
        }
        return out;
    }

    @Test
    void anOutageShorterThanTheDeliveryTimeoutLosesNothingReordersNothingAndDuplicatesNothing() throws Exception {
        String topic = "outage-survived";
        List<CompletableFuture<SendResult>> all = new ArrayList<>();
        ProducerConfig pc = ProducerConfig.builder().deliveryTimeout(LONG_DELIVERY).build();
        try (Producer producer = client.createProducer(topic, pc)) {
            all.addAll(sendPhase(producer, "before"));
            producer.flush();
            outage(() -> all.addAll(sendPhase(producer, "during")));
            all.addAll(sendPhase(producer, "after"));
            producer.flush();
            assertThat(producer.metrics().retries()).as("attempts failed during the outage").isPositive();
        }
        assertThat(all).allSatisfy(f -> assertThat(f).isCompletedWithValueMatching(r -> r.offset() >= 0));
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(stored(topic, p)).as("partition %d", p)
                    .containsExactlyElementsOf(expected(p, "before", "during", "after"));
        }
    }

    @Test
    void whenTheDeliveryTimeoutEndsSendsTheyFailNamingItAndLaterSendsGoOnUnderANewProducerId() throws Exception {
        String topic = "outage-outlived";
        List<CompletableFuture<SendResult>> during = new ArrayList<>();
        List<CompletableFuture<SendResult>> before;
        List<CompletableFuture<SendResult>> after;
        ProducerConfig pc = ProducerConfig.builder().deliveryTimeout(SHORT_DELIVERY).build();
        try (Producer producer = client.createProducer(topic, pc)) {
            before = sendPhase(producer, "before");
            producer.flush();
            outage(() -> during.addAll(sendPhase(producer, "during")));
            await().atMost(SHORT_DELIVERY.plus(REQUEST_TIMEOUT).plusSeconds(60))
                    .until(() -> during.stream().allMatch(CompletableFuture::isDone));
            after = sendPhase(producer, "after");
            producer.flush();
        }
        assertThat(before).allSatisfy(f -> assertThat(f).isCompletedWithValueMatching(r -> r.offset() >= 0));
        assertThat(after).allSatisfy(f -> assertThat(f).isCompletedWithValueMatching(r -> r.offset() >= 0));
        assertThat(during).allSatisfy(f -> {
            assertThat(f).isCompletedExceptionally();
            Throwable cause = catchCause(f);
            assertThat(cause).isInstanceOf(RequestTimeoutException.class).hasMessageContaining("deliveryTimeout");
        });
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(stored(topic, p)).as("partition %d: no duplicate, no reordering", p)
                    .containsExactlyElementsOf(expected(p, "before", "after"));
            Set<String> ids = new HashSet<>();
            for (WireRecord r : fetchAll(reader, topic, p)) {
                String id = header(r, Producer.PRODUCER_ID_HEADER);
                if (id != null) {
                    ids.add(utf8(r.value()).substring(0, utf8(r.value()).indexOf('-')) + ":" + id);
                }
            }
            Set<String> beforeIds = new HashSet<>();
            Set<String> afterIds = new HashSet<>();
            ids.forEach(s -> (s.startsWith("before:") ? beforeIds : afterIds).add(s.substring(s.indexOf(':') + 1)));
            assertThat(afterIds).as("partition %d continues under a new producer id", p).isNotEmpty()
                    .doesNotContainAnyElementsOf(beforeIds);
        }
    }

    @Test
    void closeWithATimeoutDuringAnOutageReturnsAndFailsEveryUndeliveredSend() {
        String topic = "outage-close";
        Producer producer = client.createProducer(topic, ProducerConfig.builder().deliveryTimeout(LONG_DELIVERY)
                .build());
        producer.send(Message.builder().partition(0).payload("known").build());
        BROKER.broker().faults().stopAnswering();
        List<CompletableFuture<SendResult>> pending = sendPhase(producer, "during");
        producer.close(Duration.ofMillis(500)); // returns although nothing is answered
        assertThat(pending).allSatisfy(f -> {
            assertThat(f).isCompletedExceptionally();
            assertThat(catchCause(f)).isInstanceOf(RequestTimeoutException.class)
                    .hasMessageContaining("close timeout 500 ms");
        });
        assertThat(producer.metrics().messagesFailed()).isEqualTo(PER_PHASE);
    }

    private static Throwable catchCause(CompletableFuture<?> f) {
        try {
            f.join();
            throw new AssertionError("expected a failure");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }
}
