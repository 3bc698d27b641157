package io.rustmq.examples;

import io.rustmq.broker.EmbeddedBroker;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.SendResult;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.Producer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The end-to-end demo: starts an embedded broker on a free loopback port, sends keyed messages with headers over
 * verified TLS, consumes them in a consumer group, checks count and content, and prints the figures and the client's
 * stats as JSON. Exits with status 1 if any message is missing or wrong.
 */
public final class Demo {
    private static final String TOPIC = "demo-orders";
    private static final int PARTITIONS = 3;

    private Demo() {
    }

    /**
     * Runs the demo.
     *
     * @param args optional: the number of messages (default 10,000)
     * @throws Exception if the broker or client cannot start
     */
    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Result r = run(count, System.out);
        System.exit(r.ok() ? 0 : 1);
    }

    /**
     * What the demo saw.
     *
     * @param sent messages acknowledged by the broker
     * @param received distinct messages consumed
     * @param errors content mismatches, duplicates and missing messages
     * @param statsJson the client's stats after the run
     */
    public record Result(int sent, int received, List<String> errors, String statsJson) {
        /**
         * Whether every message arrived once and intact.
         *
         * @return {@code true} on success
         */
        public boolean ok() {
            return errors.isEmpty() && sent == received;
        }
    }

    /**
     * Runs the demo, printing to {@code out}.
     *
     * @param count how many messages to send
     * @param out where to print
     * @return what was sent and received
     * @throws Exception if the broker or client cannot start
     */
    public static Result run(int count, PrintStream out) throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.builder().host("127.0.0.1").port(0).topic(TOPIC, PARTITIONS)
                .build().start()) {
            out.println("Embedded broker on " + broker.bootstrap() + ", topic '" + TOPIC + "' with " + PARTITIONS
                    + " partitions");
            ClientConfig config = ClientConfig.builder()
                    .brokers(broker.bootstrap())
                    .clientId("rustmq-demo")
                    .tls(TlsConfig.builder().caCert(broker.certificatePem()).serverName("localhost").build())
                    .build();
            try (RustMQClient client = RustMQClient.create(config)) {
                long start = System.nanoTime();
                int sent = produce(client, count);
                long produced = System.nanoTime();
                out.printf(Locale.ROOT, "Sent     %,d messages in %,d ms (%,.0f msg/s)%n", sent,
                        (produced - start) / 1_000_000, sent / seconds(produced - start));

                List<String> errors = new ArrayList<>();
                boolean[] seen = new boolean[count];
                int received = 0;
                ConsumerConfig cc = ConsumerConfig.builder().startPosition(StartPosition.earliest()).build();
                try (Consumer consumer = client.createConsumer(TOPIC, "demo-group", cc)) {
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (received < count && System.nanoTime() < deadline) {
                        for (ConsumerMessage m : consumer.poll(Duration.ofMillis(500))) {
                            received += check(m, seen, errors);
                            m.ack();
                        }
                    }
                    consumer.commit();
                }
                long consumed = System.nanoTime();
                for (int i = 0; i < count && errors.size() < 10; i++) {
                    if (!seen[i]) {
                        errors.add("message " + i + " was not received");
                    }
                }
                out.printf(Locale.ROOT, "Received %,d messages in %,d ms (%,.0f msg/s)%n", received,
                        (consumed - produced) / 1_000_000, received / seconds(consumed - produced));
                out.printf(Locale.ROOT, "Total    %,d ms end to end%n", (consumed - start) / 1_000_000);
                String stats = client.stats().toJson();
                out.println("Client stats: " + stats);
                out.println(errors.isEmpty() && received == sent ? "OK: every message arrived once and intact"
                        : "FAILED: " + errors);
                return new Result(sent, received, errors, stats);
            }
        }
    }

    private static int produce(RustMQClient client, int count) {
        try (Producer producer = client.createProducer(TOPIC)) {
            List<CompletableFuture<SendResult>> futures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                futures.add(producer.sendAsync(Message.builder()
                        .key("customer-" + (i % 100))
                        .payload("order " + i + " ✓")
                        .header("index", Integer.toString(i))
                        .header("source", "demo")
                        .build()));
            }
            producer.flush();
            int ok = 0;
            for (CompletableFuture<SendResult> f : futures) {
                f.join();
                ok++;
            }
            return ok;
        }
    }

    private static int check(ConsumerMessage m, boolean[] seen, List<String> errors) {
        String index = m.headers().lastString("index");
        if (index == null) {
            errors.add("message at " + m.topic() + "-" + m.partition() + "@" + m.offset() + " has no index header");
            return 0;
        }
        int i = Integer.parseInt(index);
        if (i < 0 || i >= seen.length) {
            errors.add("unexpected index " + i);
            return 0;
        }
        if (seen[i]) {
            errors.add("message " + i + " received twice");
            return 0;
        }
        seen[i] = true;
        String expectedPayload = "order " + i + " ✓";
        String expectedKey = "customer-" + (i % 100);
        if (!expectedPayload.equals(m.payloadAsString()) || !expectedKey.equals(m.keyAsString())
                || !"demo".equals(m.headers().lastString("source"))) {
            errors.add("message " + i + " arrived altered: " + m);
        }
        return 1;
    }

    private static double seconds(long nanos) {
        return Math.max(1e-9, nanos / 1e9);
    }
}
