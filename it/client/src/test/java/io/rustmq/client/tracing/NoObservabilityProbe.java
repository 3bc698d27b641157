package io.rustmq.client.tracing;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.Header;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.stream.MessageStream;
import io.rustmq.client.stream.StreamConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What an application without Micrometer or OpenTelemetry does with the client, run by
 * {@link NoObservabilityLibrariesIT} in a class loader that cannot see either library: with tracing left on (the
 * default) it produces, runs a stream and consumes the stream's output. References only client API.
 */
public final class NoObservabilityProbe {
    private NoObservabilityProbe() {
    }

    /**
     * Produces one message, maps it through a stream and consumes the output.
     *
     * @param bootstrap the broker address
     * @param caPem the broker certificate to trust
     * @return the output's payload and its header names, as {@code payload|name,name}
     */
    public static String run(String bootstrap, String caPem) {
        ClientConfig config = ClientConfig.builder().brokers(bootstrap).clientId("no-observability")
                .tls(TlsConfig.builder().caCert(Path.of(caPem)).serverName("localhost").build()).build();
        ConsumerConfig earliest = ConsumerConfig.builder().startPosition(StartPosition.earliest())
                .sessionTimeout(Duration.ofSeconds(3)).heartbeatInterval(Duration.ofMillis(300)).build();
        try (RustMQClient client = RustMQClient.create(config)) {
            try (Producer producer = client.createProducer("plain-in")) {
                producer.send(Message.builder().key("k").payload("plain").header("app", "x").build());
            }
            MessageStream stream = client.createStream(StreamConfig.builder().inputTopics(List.of("plain-in"))
                    .outputTopic("plain-out").consumerGroup("plain-stream").consumerConfig(earliest).build())
                    .map(m -> Message.builder().key(m.key()).payload(m.payloadAsString() + "!")
                            .headers(m.headers()).build())
                    .start();
            try (Consumer consumer = client.createConsumer("plain-out", "plain-reader", earliest)) {
                ConsumerMessage m = consumer.receive(Duration.ofSeconds(30));
                if (m == null) {
                    throw new AssertionError("the stream's output did not arrive");
                }
                m.ack();
                return m.payloadAsString() + "|" + m.headers().asList().stream().map(Header::key)
                        .filter(k -> !k.startsWith("rustmq-")).collect(Collectors.joining(","));
            } finally {
                stream.stop(Duration.ofSeconds(10));
            }
        }
    }
}
