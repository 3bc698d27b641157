package io.rustmq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

class BatchTest {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().topic("batched", 1).build();

    /** Receives lists and checks each element against its metadata. */
    @ApplicationScoped
    public static class BatchConsumer {
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        final List<String> received = new CopyOnWriteArrayList<>();
        final List<String> mismatches = new CopyOnWriteArrayList<>();

        @Incoming("in")
        public CompletionStage<Void> consume(Message<List<String>> batch) {
            IncomingRustMQBatchMetadata meta = batch.getMetadata(IncomingRustMQBatchMetadata.class).orElseThrow();
            List<String> payloads = batch.getPayload();
            if (meta.size() != payloads.size()) {
                mismatches.add("metadata " + meta.size() + " vs payloads " + payloads.size());
            }
            for (int i = 0; i < payloads.size(); i++) {
                long offset = meta.records().get(i).getOffset();
                if (!payloads.get(i).equals("b-" + offset)) {
                    mismatches.add(payloads.get(i) + " at offset " + offset);
                }
            }
            batchSizes.add(payloads.size());
            received.addAll(payloads);
            return batch.ack();
        }

        List<Integer> batchSizes() {
            return List.copyOf(batchSizes);
        }

        List<String> received() {
            return List.copyOf(received);
        }

        List<String> mismatches() {
            return List.copyOf(mismatches);
        }
    }

    @Test
    void batchModeDeliversListsWithPerRecordMetadataAckedAsAUnit() {
        Records.produceStrings(BROKER, "batched", "b", 0, 300);
        Map<String, String> config = TestApp.props(TestApp.connectorConfig(BROKER))
                .incoming("in", "topic", "batched")
                .incoming("in", "consumer-group", "batch-group")
                .incoming("in", "start-position", "earliest")
                .incoming("in", "batch", true)
                .incoming("in", "fetch-size", 50)
                .incoming("in", "commit-strategy", "latest")
                .build();
        try (TestApp app = TestApp.start(config, BatchConsumer.class)) {
            BatchConsumer c = app.bean(BatchConsumer.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> c.received().size() == 300);
            assertThat(c.mismatches()).isEmpty();
            assertThat(c.received()).containsExactlyElementsOf(
                    IntStream.range(0, 300).mapToObj(i -> "b-" + i).toList());
            assertThat(c.batchSizes()).allSatisfy(s -> assertThat(s).isBetween(1, 50));
            assertThat(c.batchSizes()).anySatisfy(s -> assertThat(s).isGreaterThan(1));
            IncomingChannelMetrics m = app.connector().getIncomingMetrics("in").orElseThrow();
            assertThat(m.acked()).isEqualTo(300);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(Records.committed(BROKER, "batch-group").values()).containsExactly(300L));
        }
    }
}
