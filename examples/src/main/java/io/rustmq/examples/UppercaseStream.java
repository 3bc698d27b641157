package io.rustmq.examples;

import io.rustmq.broker.EmbeddedBroker;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.stream.ErrorStrategy;
import io.rustmq.client.stream.MessageStream;
import io.rustmq.client.stream.StreamConfig;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The uppercase stream processor: reads {@code words}, writes each payload in upper case to {@code words-upper}
 * with two workers, and prints what came out. Runs on an embedded broker:
 * {@code java -cp examples/target/rustmq-examples.jar io.rustmq.examples.UppercaseStream}.
 */
public final class UppercaseStream {
    private UppercaseStream() {
    }

    /**
     * Runs the example.
     *
     * @param args unused
     * @throws Exception if the broker or client cannot start
     */
    public static void main(String[] args) throws Exception {
        List<String> out = run(List.of("hello", "quic", "streams", "ünïcödé"), System.out);
        System.exit(out.size() == 4 ? 0 : 1);
    }

    /**
     * Streams words through the uppercase processor and reads the results back.
     *
     * @param words the input payloads
     * @param print where to print
     * @return the output payloads, in the order read
     * @throws Exception if the broker or client cannot start
     */
    public static List<String> run(List<String> words, PrintStream print) throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).topic("words", 2).topic("words-upper", 2)
                .build().start();
             RustMQClient client = RustMQClient.create(ClientConfig.builder().brokers(broker.bootstrap())
                     .tls(TlsConfig.builder().caCert(broker.certificatePem()).serverName("localhost").build())
                     .build())) {
            try (Producer producer = client.createProducer("words")) {
                for (String w : words) {
                    producer.sendAsync(Message.builder().key(w).payload(w).build());
                }
                producer.flush();
            }
            StreamConfig config = StreamConfig.builder()
                    .inputTopics("words").outputTopic("words-upper").consumerGroup("uppercase")
                    .parallelism(2)
                    .errorStrategy(ErrorStrategy.retry(3, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0)
                            .withDeadLetter("words-dead"))
                    .build();
            List<String> results = new ArrayList<>();
            try (MessageStream stream = client.createStream(config)
                    .map(m -> Message.builder().key(m.key()).payload(m.payloadAsString().toUpperCase()).build())
                    .start();
                 Consumer reader = client.createConsumer("words-upper", "printer",
                         ConsumerConfig.builder().startPosition(StartPosition.earliest()).build())) {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (results.size() < words.size() && System.nanoTime() < deadline) {
                    ConsumerMessage m = reader.receive(Duration.ofMillis(500));
                    if (m != null) {
                        print.println(m.keyAsString() + " -> " + m.payloadAsString());
                        results.add(m.payloadAsString());
                        m.ack();
                    }
                }
                print.println("stream metrics: " + stream.metrics().toJson());
            }
            return results;
        }
    }
}
