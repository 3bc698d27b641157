package io.rustmq.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.rustmq.client.RustMQClient;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.StartPosition;

/** Test helper: reads a topic from its start with a consumer group of its own. */
final class TopicReader {

    private TopicReader() {
    }

    /**
     * The first message of a topic, polled for up to a minute.
     *
     * @param client the client to consume with
     * @param topic the topic, read by the group {@code <topic>-reader} from the earliest offset
     * @return the first message received
     */
    static ConsumerMessage firstMessage(RustMQClient client, String topic) {
        ConsumerConfig config = ConsumerConfig.builder().topics(topic).consumerGroup(topic + "-reader")
                .startPosition(StartPosition.earliest()).build();
        try (Consumer consumer = client.createConsumer(config)) {
            List<ConsumerMessage> got = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (got.isEmpty() && System.nanoTime() < deadline) {
                got.addAll(consumer.poll(Duration.ofSeconds(2)));
            }
            assertThat(got).as("a message on " + topic).isNotEmpty();
            got.forEach(ConsumerMessage::ack);
            return got.get(0);
        }
    }
}
