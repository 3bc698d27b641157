package io.rustmq.client.producer;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.SendResult;
import io.rustmq.client.metrics.ProducerMetrics;
import io.rustmq.client.protocol.WireRecord;
import io.rustmq.client.internal.transport.ConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.rustmq.client.producer.ProducerItSupport.config;
import static io.rustmq.client.producer.ProducerItSupport.fetchAll;
import static io.rustmq.client.producer.ProducerItSupport.header;
import static io.rustmq.client.producer.ProducerItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/** Many messages through the real stack: batching, ordering per partition, offsets, and reading back exactly. */
class ProducerThroughputIT {
    private static final String TOPIC = "hundred-thousand";
    private static final int PARTITIONS = 4;
    private static final int MESSAGES = 100_000;

    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().topic(TOPIC, PARTITIONS).build();

    @Test
    void hundredThousandAsyncSendsOverFourPartitionsAreStoredInSendOrderAndReadBackExactly() throws Exception {
        List<CompletableFuture<SendResult>> futures = new ArrayList<>(MESSAGES);
        ProducerMetrics metrics;
        try (RustMQClient client = RustMQClient.create(config(BROKER, "throughput-it").build());
             Producer producer = client.createProducer(TOPIC)) {
            for (int i = 0; i < MESSAGES; i++) {
                Message m = Message.builder().key("key-" + (i % 1000)).payload("message-" + i).build();
                futures.add(producer.sendAsync(m));
            }
            CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(120, TimeUnit.SECONDS);
            metrics = producer.metrics();
        }

        // Per partition, in send order: offsets strictly increase, and together they are 0..n-1.
        List<List<Integer>> sentTo = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            sentTo.add(new ArrayList<>());
        }
        long[] lastOffset = {-1, -1, -1, -1};
        for (int i = 0; i < MESSAGES; i++) {
            SendResult r = futures.get(i).getNow(null);
            assertThat(r.topic()).isEqualTo(TOPIC);
            int p = r.partition();
            assertThat(r.offset()).as("offset of message %d on partition %d", i, p).isGreaterThan(lastOffset[p]);
            lastOffset[p] = r.offset();
            assertThat(r.offset()).isEqualTo(sentTo.get(p).size());
            sentTo.get(p).add(i);
        }
        assertThat(sentTo).allSatisfy(l -> assertThat(l).isNotEmpty());

        // Read back with raw fetches: exactly the messages sent to each partition, in order, numbered 0..n-1.
        try (ConnectionPool pool = ConnectionPool.create(config(BROKER, "throughput-reader").build())) {
            int total = 0;
            for (int p = 0; p < PARTITIONS; p++) {
                List<WireRecord> records = fetchAll(pool, TOPIC, p);
                List<Integer> expected = sentTo.get(p);
                assertThat(records).hasSize(expected.size());
                for (int k = 0; k < records.size(); k++) {
                    int i = expected.get(k);
                    WireRecord r = records.get(k);
                    assertThat(utf8(r.value())).isEqualTo("message-" + i);
                    assertThat(utf8(r.key())).isEqualTo("key-" + (i % 1000));
                    // the sequence header is on the first record of each request, and numbers it in the partition
                    String sequence = header(r, Producer.SEQUENCE_HEADER);
                    if (k == 0 || sequence != null) {
                        assertThat(sequence).isEqualTo(Integer.toString(k));
                    }
                }
                total += records.size();
            }
            assertThat(total).isEqualTo(MESSAGES);
        }

        assertThat(metrics.messagesSent()).isEqualTo(MESSAGES);
        assertThat(metrics.messagesFailed()).isZero();
        assertThat(metrics.batchesSent())
                .isBetween((long) MESSAGES / ProducerConfig.DEFAULT_BATCH_SIZE, (long) MESSAGES);
        assertThat(metrics.averageBatchSize()).isGreaterThan(1.0);
        assertThat(metrics.requestLatencyP50Micros()).isPositive();
        assertThat(metrics.requestLatencyP99Micros()).isGreaterThanOrEqualTo(metrics.requestLatencyP50Micros());
    }
}
