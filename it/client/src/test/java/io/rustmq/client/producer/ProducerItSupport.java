package io.rustmq.client.producer;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.RetryConfig;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.TopicReader;
import io.rustmq.client.protocol.WireHeader;
import io.rustmq.client.protocol.WireRecord;
import io.rustmq.client.internal.transport.ConnectionPool;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Shared setup for the producer ITs: verified TLS to the embedded broker, fast retries, raw fetches. */
final class ProducerItSupport {
    /** The prefix of the QUIC transport's network (event-loop) thread names. */
    static final String EVENT_LOOP_PREFIX = "rustmq-quic";

    private ProducerItSupport() {
    }

    static ClientConfig.Builder config(EmbeddedBrokerExtension broker, String clientId) {
        return ClientConfig.builder().brokers(broker.bootstrap()).clientId(clientId)
                .tls(TlsConfig.builder().caCert(broker.certificatePem()).serverName("localhost").build())
                .retry(RetryConfig.builder().maxRetries(3).baseDelay(Duration.ofMillis(20))
                        .maxDelay(Duration.ofMillis(200)).build());
    }

    /** Every record of a partition, read with raw Fetch requests from offset 0 to the high watermark. */
    static List<WireRecord> fetchAll(ConnectionPool pool, String topic, int partition) {
        return TopicReader.readAll(pool, topic, partition);
    }

    /** The text of the first header with this name, or null. */
    static String header(WireRecord r, String name) {
        for (WireHeader h : r.headers()) {
            if (h.key().equals(name)) {
                return new String(h.value(), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
