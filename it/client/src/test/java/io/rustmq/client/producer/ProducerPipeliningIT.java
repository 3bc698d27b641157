package io.rustmq.client.producer;

import io.rustmq.broker.FaultInjection;
import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.SendResult;
import io.rustmq.client.protocol.WireRecord;
import io.rustmq.client.internal.transport.ConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.rustmq.client.producer.ProducerItSupport.config;
import static io.rustmq.client.producer.ProducerItSupport.fetchAll;
import static io.rustmq.client.producer.ProducerItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idempotence that pipelines (DESIGN §4, issue 15 item 1): with 5 requests in flight per partition and a broker that
 * handles Produce requests late and out of order and drops answers, every record is stored exactly once, in send
 * order, at the offset its send reported. 20,000 records by default (the build's time budget); the 100,000
 * with {@code -Dproducer.pipelining.records=100000}.
 */
class ProducerPipeliningIT {
    private static final int RECORDS = Integer.getInteger("producer.pipelining.records", 20_000);

    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true).build();

    private static RustMQClient client;
    private static ConnectionPool reader;

    @BeforeAll
    static void connect() {
        client = RustMQClient.create(config(BROKER, "pipelining-it").build());
        reader = ConnectionPool.create(config(BROKER, "pipelining-reader").build());
    }

    @AfterAll
    static void disconnect() {
        reader.close();
        client.close();
    }

    @Test
    void recordsSentWithFiveInFlightThroughLateReorderedAndDroppedAnswersAreStoredOnceInOrder() {
        String topic = "pipelined";
        FaultInjection faults = BROKER.broker().faults();
        FaultInjection.Counts before = faults.counts();
        List<CompletableFuture<SendResult>> results = new ArrayList<>(RECORDS);
        ProducerConfig config = ProducerConfig.builder().batchSize(100).build();
        assertThat(config.maxInFlightPerPartition()).isEqualTo(5);
        assertThat(config.idempotent()).isTrue();
        faults.chaos(0.3, Duration.ofMillis(20), 0.03, 15);
        try (Producer producer = client.createProducer(topic, config)) {
            for (int i = 0; i < RECORDS; i++) {
                results.add(producer.sendAsync(Message.builder().partition(0).payload(Integer.toString(i)).build()));
            }
            producer.flush();
            assertThat(producer.metrics().retries()).as("requests were resent").isPositive();
        } finally {
            faults.clearChaos();
        }
        FaultInjection.Counts after = faults.counts();
        assertThat(after.delayed()).as("requests handled late").isGreaterThan(before.delayed());
        assertThat(after.dropped()).as("answers dropped").isGreaterThan(before.dropped());
        for (int i = 0; i < RECORDS; i++) {
            assertThat(results.get(i).join().offset()).as("offset of record %d", i).isEqualTo(i);
        }
        List<WireRecord> stored = fetchAll(reader, topic, 0);
        assertThat(stored).hasSize(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            assertThat(utf8(stored.get(i).value())).as("record at offset %d", i).isEqualTo(Integer.toString(i));
        }
    }
}
