package io.rustmq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.Message;
import io.rustmq.client.consumer.ConsumerMessage;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

class ProcessorTest {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true).build();

    @ApplicationScoped
    public static class Uppercase {
        final List<IncomingRustMQMetadata> seen = new CopyOnWriteArrayList<>();

        @Incoming("words")
        @Outgoing("shouted")
        public org.eclipse.microprofile.reactive.messaging.Message<String> shout(
                org.eclipse.microprofile.reactive.messaging.Message<String> in) {
            IncomingRustMQMetadata meta = in.getMetadata(IncomingRustMQMetadata.class).orElseThrow();
            seen.add(meta);
            return in.withPayload(in.getPayload().toUpperCase())
                    .addMetadata(OutgoingRustMQMetadata.builder().key(meta.getKey() + "!")
                            .header("source-offset", Long.toString(meta.getOffset())).build());
        }

        List<IncomingRustMQMetadata> seen() {
            return seen;
        }
    }

    @Test
    void processorTransformsEndToEndWithMetadataInAndOut() {
        Map<String, String> config = TestApp.props(TestApp.connectorConfig(BROKER))
                .incoming("words", "topic", "proc-words")
                .incoming("words", "start-position", "earliest")
                .incoming("words", "consumer-group", "shouters")
                .incoming("words", "auto-commit-interval", "200ms")
                .outgoing("shouted", "topic", "proc-shouted")
                .outgoing("shouted", "propagate-headers", "trace")
                .build();
        List<Message> words = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            words.add(Message.builder().topic("proc-words").key("k" + i).payload("word-" + i)
                    .header("trace", "t" + i).header("other", "x").build());
        }
        try (TestApp app = TestApp.start(config, Uppercase.class)) {
            Records.produce(BROKER, "proc-words", words);
            List<ConsumerMessage> out = Records.read(BROKER, "proc-shouted", 20);
            assertThat(out).hasSize(20);
            for (int i = 0; i < 20; i++) {
                ConsumerMessage m = out.get(i);
                assertThat(m.payloadAsString()).isEqualTo("WORD-" + i);
                assertThat(m.keyAsString()).isEqualTo("k" + i + "!");
                assertThat(m.headers().lastString("trace")).isEqualTo("t" + i);
                assertThat(m.headers().lastString("other")).isNull();
                assertThat(m.headers().lastString("source-offset")).isEqualTo(Integer.toString(i));
            }
            List<IncomingRustMQMetadata> seen = app.bean(Uppercase.class).seen();
            assertThat(seen).hasSize(20);
            IncomingRustMQMetadata first = seen.get(0);
            assertThat(first.getTopic()).isEqualTo("proc-words");
            assertThat(first.getPartition()).isZero();
            assertThat(first.getOffset()).isZero();
            assertThat(first.getKey()).isEqualTo("k0");
            assertThat(first.getConsumerGroup()).isEqualTo("shouters");
            assertThat(first.getDeliveryCount()).isEqualTo(1);
            assertThat(first.getHeaders().lastString("trace")).isEqualTo("t0");
            assertThat(first.getTimestamp()).isNotNull();
            assertThat(first.getChannel()).isEqualTo("words");
            // The processor's acks (after the outgoing send) are committed: all 20 offsets.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    Records.committed(BROKER, "shouters").values()).containsExactly(20L));
        }
    }
}
