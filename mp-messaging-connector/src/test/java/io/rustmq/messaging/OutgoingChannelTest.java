package io.rustmq.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.consumer.ConsumerMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

class OutgoingChannelTest {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().topic("out-static", 2)
            .topic("out-override", 1).build();

    /** Sends through the channel and waits for each acknowledgment. */
    @ApplicationScoped
    public static class Sender {
        @Inject
        @Channel("out")
        Emitter<String> emitter;

        void send(List<Message<String>> messages) throws Exception {
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (Message<String> m : messages) {
                CompletableFuture<Void> acked = new CompletableFuture<>();
                emitter.send(m.withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                }).withNack(t -> {
                    acked.completeExceptionally(t);
                    return CompletableFuture.completedFuture(null);
                }));
                acks.add(acked);
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void staticKeyAndPartitionApplyAndMetadataOverridesThemPerMessage() throws Exception {
        Map<String, String> config = TestApp.props(TestApp.connectorConfig(BROKER))
                .outgoing("out", "topic", "out-static")
                .outgoing("out", "key", "fixed")
                .outgoing("out", "partition", 1)
                .outgoing("out", "max-inflight-messages", 1)
                .build();
        try (TestApp app = TestApp.start(config, Sender.class)) {
            List<Message<String>> messages = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                messages.add(Message.of("m-" + i));
            }
            messages.add(Message.of("elsewhere").addMetadata(OutgoingRustMQMetadata.builder().topic("out-override")
                    .key("own").partition(0).header("h", "v").build()));
            // Each message is acknowledged once the broker stored it (wait-for-write-completion defaults to true).
            app.bean(Sender.class).send(messages);
        }
        List<ConsumerMessage> stored = Records.read(BROKER, "out-static", 20);
        assertThat(stored).extracting(ConsumerMessage::payloadAsString)
                .containsExactlyElementsOf(messages("m-", 20));
        assertThat(stored).allSatisfy(m -> {
            assertThat(m.keyAsString()).isEqualTo("fixed");
            assertThat(m.partition()).isEqualTo(1);
        });
        ConsumerMessage other = Records.read(BROKER, "out-override", 1).get(0);
        assertThat(other.payloadAsString()).isEqualTo("elsewhere");
        assertThat(other.keyAsString()).isEqualTo("own");
        assertThat(other.headers().lastString("h")).isEqualTo("v");
    }

    private static List<String> messages(String prefix, int n) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(prefix + i);
        }
        return l;
    }
}
