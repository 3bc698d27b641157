package io.rustmq.client;

import io.rustmq.client.compression.Compression;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.producer.ProducerConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What an application deployed in a container does with the client, run by {@link ClassLoaderLeakIT} inside a
 * throwaway class loader: produce and consume compressed messages on the calling thread, then close. References
 * only client API, so that it loads with nothing but rustmq-client and its dependencies.
 */
public final class RedeployProbe {
    private RedeployProbe() {
    }

    /**
     * Sends and receives 20 compressed 4 KiB messages per codec (ZSTD, LZ4) and closes the client.
     *
     * @param bootstrap the broker address
     * @param caPem the broker certificate to trust
     * @return how many messages came back intact
     */
    public static int run(String bootstrap, String caPem) {
        int intact = 0;
        byte[] payload = new byte[4096];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) ('a' + (i * 7 % 13));
        }
        ClientConfig config = ClientConfig.builder().brokers(bootstrap).clientId("redeploy")
                .tls(TlsConfig.builder().caCert(Path.of(caPem)).serverName("localhost").build()).build();
        try (RustMQClient client = RustMQClient.create(config)) {
            for (Compression codec : List.of(Compression.ZSTD, Compression.LZ4)) {
                String topic = "redeploy-" + codec.headerValue();
                try (Producer producer = client.createProducer(topic,
                        ProducerConfig.builder().compression(codec).build())) {
                    for (int i = 0; i < 20; i++) {
                        producer.send(Message.builder().payload(payload).build());
                    }
                }
                try (Consumer consumer = client.createConsumer(topic, topic, ConsumerConfig.builder()
                        .startPosition(StartPosition.earliest()).sessionTimeout(Duration.ofSeconds(3))
                        .heartbeatInterval(Duration.ofMillis(300)).build())) {
                    for (int i = 0; i < 20; i++) {
                        ConsumerMessage m = consumer.receive(Duration.ofSeconds(30));
                        if (m == null) {
                            throw new AssertionError("message " + i + " of " + topic + " did not arrive");
                        }
                        if (Arrays.equals(m.payload(), payload)) {
                            intact++;
                        }
                        m.ack();
                    }
                }
            }
        }
        return intact;
    }
}
