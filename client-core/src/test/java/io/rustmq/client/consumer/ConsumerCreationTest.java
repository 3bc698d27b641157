package io.rustmq.client.consumer;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.ConfigurationException;
import io.rustmq.client.RustMQClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules checked when a consumer is created (they involve the client or the createConsumer arguments). */
class ConsumerCreationTest {
    private final RustMQClient client = RustMQClient.create(ClientConfig.builder().brokers("127.0.0.1:9")
            .maxResponseBytes(1024 * 1024).build());

    @AfterEach
    void close() {
        client.close();
    }

    private static void rejects(Executable create, String field) {
        assertThatThrownBy(create::execute).isInstanceOfSatisfying(ConfigurationException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void aConfigurationWithoutGroupOrTopicsCannotCreateAConsumerByItself() {
        rejects(() -> client.createConsumer(ConsumerConfig.builder().topics("t").build()), "consumerGroup");
        rejects(() -> client.createConsumer(ConsumerConfig.builder().consumerGroup("g").build()), "topics");
    }

    @Test
    void blankTopicsOrGroupsGivenToCreateConsumerAreRejected() {
        rejects(() -> client.createConsumer(" ", "g"), "topics");
        rejects(() -> client.createConsumer((String) null, "g"), "topics");
        rejects(() -> client.createConsumer(List.of(), "g", ConsumerConfig.defaults()), "topics");
        rejects(() -> client.createConsumer("t", " "), "consumerGroup");
        rejects(() -> client.createConsumer("t", null), "consumerGroup");
    }

    @Test
    void theDeadLetterTopicMustNotBeASubscribedTopic() {
        ConsumerConfig config = ConsumerConfig.builder().deadLetterTopic("orders").build();
        rejects(() -> client.createConsumer("orders", "g", config), "deadLetterTopic");
    }

    @Test
    void fetchesMayNotAskForMoreThanTheClientAcceptsInAResponse() {
        ConsumerConfig config = ConsumerConfig.builder().maxFetchBytes(2 * 1024 * 1024).build();
        assertThatThrownBy(() -> client.createConsumer("t", "g", config))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.field()).isEqualTo("maxFetchBytes"))
                .hasMessageContaining("maxResponseBytes = 1048576");
    }
}
