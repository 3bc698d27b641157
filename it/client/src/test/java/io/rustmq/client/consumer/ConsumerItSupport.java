package io.rustmq.client.consumer;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.protocol.AcknowledgmentLevel;
import io.rustmq.client.protocol.FetchRequest;
import io.rustmq.client.protocol.FetchResponse;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.ProduceResponse;
import io.rustmq.client.protocol.WireRecord;
import io.rustmq.client.internal.transport.ConnectionPool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Shared set-up for the consumer's end-to-end tests: clients with verified TLS, producing, raw fetches. */
final class ConsumerItSupport {
    /** Short group timings so that rebalances take about a second. */
    static final Duration SESSION = Duration.ofSeconds(3);
    static final Duration HEARTBEAT = Duration.ofMillis(300);
    static final Duration WAIT = Duration.ofSeconds(30);

    private ConsumerItSupport() {
    }

    static ClientConfig clientConfig(EmbeddedBrokerExtension broker, String clientId) {
        return ClientConfig.builder().brokers(broker.bootstrap()).clientId(clientId)
                .tls(TlsConfig.builder().caCert(broker.certificatePem()).serverName("localhost").build()).build();
    }

    static RustMQClient client(EmbeddedBrokerExtension broker, String clientId) {
        return RustMQClient.create(clientConfig(broker, clientId));
    }

    /**
     * A consumer configuration with fast group timings, reading from the earliest offset. The hand-over delay is
     * five heartbeats rather than the default two, so that a previous owner slowed down by a loaded machine still
     * commits before its partitions are read by their new owner.
     */
    static ConsumerConfig.Builder fast() {
        return ConsumerConfig.builder().startPosition(StartPosition.earliest()).sessionTimeout(SESSION)
                .heartbeatInterval(HEARTBEAT).handoverDelay(HEARTBEAT.multipliedBy(5))
                .pollInterval(Duration.ofMillis(20));
    }

    /** Produces {@code payloads} to one partition, in order, through the public producer API. */
    static void produce(RustMQClient client, String topic, int partition, List<String> payloads) {
        try (Producer producer = client.createProducer(topic)) {
            for (String p : payloads) {
                producer.sendAsync(Message.builder().partition(partition).payload(p).build());
            }
            producer.flush();
        }
    }

    static List<String> payloads(String prefix, int from, int to) {
        List<String> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    /** Stores records as given (no producer logic), for values the producer would not write itself. */
    static long produceRaw(EmbeddedBrokerExtension broker, String topic, int partition, List<WireRecord> records)
            throws Exception {
        try (ConnectionPool pool = ConnectionPool.create(clientConfig(broker, "raw-producer"))) {
            ProduceResponse r = pool.sendWithRetry(new ProduceRequest(topic, partition, records,
                    AcknowledgmentLevel.LEADER, 5000), ProduceResponse.class).get();
            assertThat(r.errorCode()).isZero();
            return r.offset();
        }
    }

    /** Every record of a partition, read with raw fetches. */
    static List<WireRecord> fetchAll(EmbeddedBrokerExtension broker, String topic, int partition) throws Exception {
        List<WireRecord> out = new ArrayList<>();
        try (ConnectionPool pool = ConnectionPool.create(clientConfig(broker, "raw-fetcher"))) {
            while (true) {
                FetchResponse r = pool.sendWithRetry(new FetchRequest(topic, partition, out.size(), 1 << 20, 0),
                        FetchResponse.class).get();
                if (r.records().isEmpty()) {
                    return out;
                }
                out.addAll(r.records());
            }
        }
    }
}
