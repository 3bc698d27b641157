package io.rustmq.benchmarks.mp;

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
import io.rustmq.messaging.RustMQConnector;
import io.rustmq.messaging.RustMQPayloadConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.inject.ConfigExtension;
import io.smallrye.reactive.messaging.providers.MediatorFactory;
import io.smallrye.reactive.messaging.providers.connectors.ExecutionHolder;
import io.smallrye.reactive.messaging.providers.connectors.WorkerPoolRegistry;
import io.smallrye.reactive.messaging.providers.extension.ChannelProducer;
import io.smallrye.reactive.messaging.providers.extension.EmitterFactoryImpl;
import io.smallrye.reactive.messaging.providers.extension.HealthCenter;
import io.smallrye.reactive.messaging.providers.extension.LegacyEmitterFactoryImpl;
import io.smallrye.reactive.messaging.providers.extension.MediatorManager;
import io.smallrye.reactive.messaging.providers.extension.MutinyEmitterFactoryImpl;
import io.smallrye.reactive.messaging.providers.extension.ReactiveMessagingExtension;
import io.smallrye.reactive.messaging.providers.impl.ConfiguredChannelFactory;
import io.smallrye.reactive.messaging.providers.impl.ConnectorFactories;
import io.smallrye.reactive.messaging.providers.impl.InternalChannelRegistry;
import io.smallrye.reactive.messaging.providers.wiring.Wiring;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code smallrye-rustmq} connector's overhead: messages per second through an {@code @Incoming} method that
 * acknowledges each message (a {@code byte[]} method, acked when it returns), against the plain {@link Consumer}
 * polling and acknowledging each message, in the same run, over the same records on an embedded broker (real QUIC on
 * loopback). Rounds alternate plain/connector; each reads every record once with a fresh group. The clock runs from
 * the first record received to the last (container start and group join excluded).
 *
 * <p>Run: {@code java -cp benchmarks/target/rustmq-benchmarks.jar io.rustmq.benchmarks.mp.ConnectorOverheadBenchmark
 * [records=200000] [rounds=3] [payload-bytes=100]}. Prints each round, the medians, the overhead ratio (plain rate /
 * connector rate) and the load average (the machine may be shared).
 */
public final class ConnectorOverheadBenchmark {
    private static final String TOPIC = "mp-bench";

    private ConnectorOverheadBenchmark() {
    }

    /** The {@code @Incoming} method under test: counts and returns (SmallRye then acknowledges the message). */
    @ApplicationScoped
    public static class CountingSink {
        static final AtomicLong COUNT = new AtomicLong();
        static volatile long firstNanos;
        static volatile long lastNanos;
        static volatile long target;

        /**
         * Counts one record.
         *
         * @param payload the record's bytes
         */
        @Incoming("bench")
        public void consume(byte[] payload) {
            long n = COUNT.incrementAndGet();
            if (n == 1) {
                firstNanos = System.nanoTime();
            }
            if (n == target) {
                lastNanos = System.nanoTime();
            }
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param args records, rounds, payload bytes (all optional)
     * @throws Exception if the broker or a run fails
     */
    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int payloadBytes = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        System.out.println("load average before: " + loadAverage());
        try (EmbeddedBroker broker = EmbeddedBroker.builder().host("127.0.0.1").port(0).topic(TOPIC, 1).build()
                .start()) {
            ClientConfig cc = ClientConfig.builder().brokers(broker.bootstrap())
                    .tls(TlsConfig.builder().caCert(broker.certificatePem()).serverName("localhost").build()).build();
            produce(cc, records, payloadBytes);
            List<Double> plain = new ArrayList<>();
            List<Double> connector = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                double p = plainRate(cc, records);
                double c = connectorRate(broker, records);
                plain.add(p);
                connector.add(c);
                System.out.printf(Locale.ROOT, "round %d: plain consumer %,.0f msg/s, @Incoming %,.0f msg/s, "
                        + "ratio %.2f%n", r, p, c, p / c);
            }
            double pm = median(plain);
            double cm = median(connector);
            System.out.printf(Locale.ROOT, "median: plain consumer %,.0f msg/s, @Incoming (ack each) %,.0f msg/s; "
                    + "overhead ratio %.2f (%d records of %d bytes, 1 partition)%n", pm, cm, pm / cm, records,
                    payloadBytes);
        }
        System.out.println("load average after: " + loadAverage());
        System.exit(0);
    }

    private static void produce(ClientConfig cc, int records, int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        try (RustMQClient client = RustMQClient.create(cc); Producer producer = client.createProducer(TOPIC)) {
            List<Message> batch = new ArrayList<>(1000);
            for (int i = 0; i < records; i++) {
                batch.add(Message.builder().topic(TOPIC).payload(payload).build());
                if (batch.size() == 1000) {
                    producer.sendBatch(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                producer.sendBatch(batch);
            }
        }
    }

    private static double plainRate(ClientConfig cc, int records) {
        try (RustMQClient client = RustMQClient.create(cc);
             Consumer consumer = client.createConsumer(List.of(TOPIC), "plain-" + UUID.randomUUID(),
                     ConsumerConfig.builder().startPosition(StartPosition.earliest()).build())) {
            long n = 0;
            long first = 0;
            while (n < records) {
                for (ConsumerMessage m : consumer.poll(Duration.ofSeconds(1))) {
                    if (n == 0) {
                        first = System.nanoTime();
                    }
                    m.ack();
                    n++;
                }
            }
            return records / ((System.nanoTime() - first) / 1e9);
        }
    }

    private static double connectorRate(EmbeddedBroker broker, int records) throws InterruptedException {
        CountingSink.COUNT.set(0);
        CountingSink.lastNanos = 0;
        CountingSink.target = records;
        Path ca = broker.certificatePem();
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(Map.of(
                "mp.messaging.incoming.bench.connector", RustMQConnector.CONNECTOR_NAME,
                "mp.messaging.incoming.bench.topic", TOPIC,
                "mp.messaging.incoming.bench.brokers", broker.bootstrap(),
                "mp.messaging.incoming.bench.tls.ca-cert", ca.toString(),
                "mp.messaging.incoming.bench.tls.server-name", "localhost",
                "mp.messaging.incoming.bench.consumer-group", "connector-" + UUID.randomUUID(),
                "mp.messaging.incoming.bench.start-position", "earliest"), "bench", 500)).build();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ConfigProviderResolver.instance().registerConfig(config, loader);
        Weld weld = new Weld(UUID.randomUUID().toString()).disableDiscovery()
                .addExtension(new ConfigExtension())
                .addExtension(new ReactiveMessagingExtension())
                .addBeanClasses(MediatorFactory.class, MediatorManager.class, InternalChannelRegistry.class,
                        ConnectorFactories.class, ConfiguredChannelFactory.class, ChannelProducer.class,
                        ExecutionHolder.class, WorkerPoolRegistry.class, HealthCenter.class, Wiring.class,
                        EmitterFactoryImpl.class, MutinyEmitterFactoryImpl.class, LegacyEmitterFactoryImpl.class,
                        RustMQConnector.class, RustMQPayloadConverter.class, CountingSink.class);
        try (WeldContainer container = weld.initialize()) {
            while (CountingSink.lastNanos == 0) {
                Thread.sleep(20);
            }
            return records / ((CountingSink.lastNanos - CountingSink.firstNanos) / 1e9);
        } finally {
            ConfigProviderResolver.instance().releaseConfig(config);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
