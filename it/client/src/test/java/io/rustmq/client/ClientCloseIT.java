package io.rustmq.client;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientCloseIT {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true).build();

    @Test
    void closingTheClientFailsPendingSendsInsteadOfLeavingThemHanging() throws Exception {
        RustMQClient client = RustMQClient.create(ClientConfig.builder().brokers(BROKER.bootstrap())
                .tls(TlsConfig.builder().caCert(BROKER.certificatePem()).serverName("localhost").build()).build());
        Producer producer = client.createProducer("close-pending",
                ProducerConfig.builder().lingerTime(Duration.ofSeconds(30)).deliveryTimeout(Duration.ofSeconds(60))
                        .build());
        producer.send(Message.builder().payload("delivered").build());
        List<CompletableFuture<SendResult>> pending = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pending.add(producer.sendAsync(Message.builder().payload("lingering " + i).build()));
        }
        client.close();
        CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).handle((v, e) -> null)
                .get(5, TimeUnit.SECONDS);
        assertThat(pending).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
        assertThatThrownBy(() -> producer.send(Message.builder().payload("after close").build()))
                .isInstanceOf(RustMQException.class);
    }
}
