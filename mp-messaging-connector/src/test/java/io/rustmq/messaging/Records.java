package io.rustmq.messaging;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.protocol.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Produces and reads test records with the plain client, outside the MicroProfile application. */
public final class Records {
    private Records() {
    }

    public static ClientConfig clientConfig(EmbeddedBrokerExtension broker) {
        return ClientConfig.builder().brokers(broker.bootstrap())
                .tls(TlsConfig.builder().caCert(broker.certificatePem()).serverName("localhost").build()).build();
    }

    /** Sends the messages and waits for the broker. */
    public static void produce(EmbeddedBrokerExtension broker, String topic, List<Message> messages) {
        try (RustMQClient client = RustMQClient.create(clientConfig(broker));
             Producer producer = client.createProducer(topic)) {
            producer.sendBatch(messages);
        }
    }

    /** Sends the string payloads {@code prefix-from} to {@code prefix-(to-1)}, keyless. */
    public static void produceStrings(EmbeddedBrokerExtension broker, String topic, String prefix, int from, int to) {
        List<Message> l = new ArrayList<>();
        for (int i = from; i < to; i++) {
            l.add(Message.builder().topic(topic).payload(prefix + "-" + i).build());
        }
        produce(broker, topic, l);
    }

    /** Reads exactly {@code count} records of a topic from the start, with a fresh group. */
    public static List<ConsumerMessage> read(EmbeddedBrokerExtension broker, String topic, int count) {
        List<ConsumerMessage> out = new ArrayList<>();
        try (RustMQClient client = RustMQClient.create(clientConfig(broker));
             Consumer consumer = client.createConsumer(List.of(topic), "reader-" + UUID.randomUUID(),
                     ConsumerConfig.builder().startPosition(StartPosition.earliest()).build())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.size() < count && System.nanoTime() < deadline) {
                for (ConsumerMessage m : consumer.poll(Duration.ofMillis(500))) {
                    out.add(m);
                    m.ack();
                }
            }
        }
        return out;
    }

    /** The committed offsets of a group, as the broker stores them. */
    public static Map<TopicPartition, Long> committed(EmbeddedBrokerExtension broker, String group) {
        var snapshot = broker.broker().groupCoordinator().describe(group);
        return snapshot == null ? Map.of() : snapshot.committedOffsets();
    }
}
