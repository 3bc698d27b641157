package io.rustmq.client.producer;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.SendResult;
import io.rustmq.client.protocol.WireRecord;
import io.rustmq.client.internal.transport.ConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static io.rustmq.client.producer.ProducerItSupport.config;
import static io.rustmq.client.producer.ProducerItSupport.fetchAll;
import static io.rustmq.client.producer.ProducerItSupport.header;
import static io.rustmq.client.producer.ProducerItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Produce request whose response is lost (the broker stored the records, then reset the stream) is retried; with
 * idempotence the broker recognises the retry and the records are stored once, at their original offsets; without it
 * the retry stores them a second time (the documented trade-off).
 */
class ProducerIdempotenceIT {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true).build();

    private static RustMQClient client;
    private static ConnectionPool reader;

    @BeforeAll
    static void connect() {
        client = RustMQClient.create(config(BROKER, "idempotence-it").build());
        reader = ConnectionPool.create(config(BROKER, "idempotence-reader").build());
    }

    @AfterAll
    static void disconnect() {
        reader.close();
        client.close();
    }

    @AfterEach
    void stopDropping() {
        BROKER.broker().dropResponses(0);
    }

    private static List<String> values(List<WireRecord> records) {
        return records.stream().map(r -> utf8(r.value())).toList();
    }

    @Test
    void aRetriedRequestIsStoredOnceAndAnswersTheOriginalOffset() throws Exception {
        String topic = "idempotent-single";
        try (Producer producer = client.createProducer(topic)) {
            producer.send(Message.builder().partition(0).payload("before").build());
            BROKER.broker().dropResponses(1);
            SendResult r = producer.send(Message.builder().partition(0).payload("lost-response").build());
            assertThat(r.offset()).isEqualTo(1);
            assertThat(producer.metrics().retries()).isGreaterThanOrEqualTo(1);
            SendResult after = producer.send(Message.builder().partition(0).payload("after").build());
            assertThat(after.offset()).isEqualTo(2);
        }
        List<WireRecord> stored = fetchAll(reader, topic, 0);
        assertThat(values(stored)).containsExactly("before", "lost-response", "after");
        assertThat(stored).extracting(w -> header(w, Producer.SEQUENCE_HEADER)).containsExactly("0", "1", "2");
        assertThat(stored).extracting(w -> header(w, Producer.PRODUCER_ID_HEADER)).doesNotContainNull()
                .containsOnly(header(stored.get(0), Producer.PRODUCER_ID_HEADER));
    }

    @Test
    void aRetriedBatchIsStoredOnceWithEveryRecordAtItsOriginalOffset() throws Exception {
        String topic = "idempotent-batch";
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(Message.builder().partition(0).payload("m" + i).build());
        }
        try (Producer producer = client.createProducer(topic)) {
            BROKER.broker().dropResponses(1);
            List<SendResult> results = producer.sendBatch(batch);
            assertThat(results).extracting(SendResult::offset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(producer.metrics().retries()).isGreaterThanOrEqualTo(1);
        }
        assertThat(values(fetchAll(reader, topic, 0)))
                .containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
    }

    @Test
    void withoutIdempotenceTheRetryStoresADuplicate() throws Exception {
        String topic = "not-idempotent";
        try (Producer producer = client.createProducer(topic, ProducerConfig.builder().idempotent(false).build())) {
            BROKER.broker().dropResponses(1);
            SendResult r = producer.send(Message.builder().partition(0).payload("twice").build());
            assertThat(r.offset()).as("the offset of the second copy").isEqualTo(1);
        }
        List<WireRecord> stored = fetchAll(reader, topic, 0);
        assertThat(values(stored)).containsExactly("twice", "twice");
        assertThat(stored).allSatisfy(w -> {
            assertThat(header(w, Producer.PRODUCER_ID_HEADER)).isNull();
            assertThat(header(w, Producer.SEQUENCE_HEADER)).isNull();
        });
    }

    @Test
    void sequencesArePerPartitionAndIdempotenceHeadersOnAMessageAreReplaced() throws Exception {
        String topic = "sequences";
        BROKER.broker().createTopic(topic, 2);
        try (Producer producer = client.createProducer(topic)) {
            for (int i = 0; i < 6; i++) {
                producer.sendAsync(Message.builder().partition(i % 2).payload("m" + i)
                        .header(Producer.SEQUENCE_HEADER, "999").header(Producer.PRODUCER_ID_HEADER, "stale")
                        .header("app", "x").build());
            }
            producer.flush();
        }
        for (int p = 0; p < 2; p++) {
            List<WireRecord> stored = fetchAll(reader, topic, p);
            assertThat(stored).hasSize(3);
            // the idempotence headers are on the first record of each request only; the message's own are dropped
            assertThat(header(stored.get(0), Producer.SEQUENCE_HEADER)).isEqualTo("0");
            assertThat(stored).allSatisfy(w -> {
                assertThat(w.headers()).filteredOn(h -> h.key().startsWith("rustmq-")).hasSizeLessThanOrEqualTo(2);
                assertThat(header(w, Producer.PRODUCER_ID_HEADER)).isNotEqualTo("stale");
                assertThat(header(w, Producer.SEQUENCE_HEADER)).isNotEqualTo("999");
                assertThat(header(w, "app")).isEqualTo("x");
            });
        }
    }
}
