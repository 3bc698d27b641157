package io.rustmq.broker;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.Producer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The client against a broker with retention, and against a broker restarted on its log directory. */
class RetentionAndLogDirIT {
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    static RustMQClient client(EmbeddedBroker broker) {
        return RustMQClient.create(ClientConfig.builder().brokers(broker.bootstrap()).clientId("retention-it")
                .tls(TlsConfig.builder().caCert(broker.certificatePem()).serverName("localhost").build()).build());
    }

    static ConsumerConfig.Builder consumerConfig() {
        return ConsumerConfig.builder().startPosition(StartPosition.earliest()).sessionTimeout(Duration.ofSeconds(3))
                .heartbeatInterval(Duration.ofMillis(300)).pollInterval(Duration.ofMillis(20));
    }

    static void produce(RustMQClient client, String topic, int from, int to, int valueBytes) {
        try (Producer producer = client.createProducer(topic)) {
            for (int i = from; i < to; i++) {
                String v = "m" + i + "-";
                producer.sendAsync(Message.builder().partition(0).payload(v + "x".repeat(valueBytes - v.length()))
                        .build());
            }
            producer.flush();
        }
    }

    @Test
    void aConsumerAtEarliestBeginsAtTheLogStartRetentionLeft() {
        long limit = 64 * 1024;
        try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).topic("bounded", 1).retentionBytes(limit)
                .build().start();
             RustMQClient client = client(broker)) {
            produce(client, "bounded", 0, 600, 300); // about 3 x the limit
            long start = broker.logStartOffset("bounded", 0);
            assertThat(start).isPositive();
            assertThat(broker.retainedBytes()).isLessThanOrEqualTo(limit);
            try (Consumer c = client.createConsumer("bounded", "bounded-group", consumerConfig().build())) {
                ConsumerMessage m = c.receive(WAIT);
                assertThat(m).isNotNull();
                assertThat(m.offset()).isEqualTo(start);
                assertThat(m.payloadAsString()).startsWith("m" + start + "-");
            }
        }
    }

    @Test
    void aConsumerGroupResumesFromItsCommittedOffsetsAfterTheBrokerRestartsOnItsLogDirectory() {
        int port;
        try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).topic("kept", 1).logDir(dir).build().start();
             RustMQClient client = client(broker)) {
            port = broker.address().getPort();
            produce(client, "kept", 0, 20, 50);
            try (Consumer c = client.createConsumer("kept", "kept-group",
                    consumerConfig().enableAutoCommit(false).build())) {
                for (int i = 0; i < 8; i++) {
                    ConsumerMessage m = c.receive(WAIT);
                    assertThat(m.offset()).isEqualTo(i);
                    m.ack();
                }
                c.commit();
            }
        }
        AtomicReference<EmbeddedBroker> restarted = new AtomicReference<>();
        await().atMost(WAIT).ignoreExceptionsInstanceOf(EmbeddedBrokerException.class).until(() -> {
            restarted.set(EmbeddedBroker.builder().port(port).logDir(dir).build().start());
            return true;
        });
        try (EmbeddedBroker broker = restarted.get(); RustMQClient client = client(broker)) {
            List<String> rest = new ArrayList<>();
            try (Consumer c = client.createConsumer("kept", "kept-group", consumerConfig().build())) {
                for (int i = 8; i < 20; i++) {
                    ConsumerMessage m = c.receive(WAIT);
                    assertThat(m).isNotNull();
                    assertThat(m.offset()).isEqualTo(i);
                    rest.add(m.payloadAsString());
                    m.ack();
                }
            }
            assertThat(rest).hasSize(12).allMatch(p -> p.length() == 50);
            assertThat(rest.get(0)).startsWith("m8-");
            assertThat(rest.get(11)).startsWith("m19-");
        }
    }

    @Test
    void aCommittedOffsetBelowTheLogStartResetsToTheLogStartWithOneWarningAndOneCountedReset() {
        List<java.util.logging.LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).topic("behind", 1).build().start();
             RustMQClient client = client(broker)) {
            produce(client, "behind", 0, 20, 50);
            try (Consumer c = client.createConsumer("behind", "behind-group",
                    consumerConfig().enableAutoCommit(false).build())) {
                for (int i = 0; i < 5; i++) {
                    c.receive(WAIT).ack();
                }
                c.commit();
            }
            // retention (here: a test hook) drops records the group has not read yet: its committed 5 is now
            // below the log start 12
            broker.truncateBefore("behind", 0, 12);
            warnings.clear();
            try (Consumer c = client.createConsumer("behind", "behind-group", consumerConfig().build())) {
                ConsumerMessage m = c.receive(WAIT);
                assertThat(m).isNotNull();
                assertThat(m.offset()).as("reset per StartPosition.earliest to the log start").isEqualTo(12);
                assertThat(m.payloadAsString()).startsWith("m12-");
                assertThat(c.metrics().positionResets()).isEqualTo(1);
            }
            List<String> resets = warnings.stream().map(r -> java.text.MessageFormat.format(
                    String.valueOf(r.getMessage()), r.getParameters() == null ? new Object[0] : r.getParameters()))
                    .filter(t -> t.contains("12")).toList();
            assertThat(resets).as("one warning naming the offsets: %s", warnings).hasSize(1);
        } finally {
            root.removeHandler(capture);
        }
    }

    @Test
    void aBrokerStoppedAndRestartedOnItsLogDirectoryMidProduceKeepsEveryAcknowledgedMessage() throws Exception {
        int n = 3_000;
        java.util.Set<Long> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();
        AtomicReference<Throwable> nonRetriable = new AtomicReference<>();
        // one certificate for both broker processes, as a real broker keeps its own across restarts
        Path pki = java.nio.file.Files.createTempDirectory("restart-pki");
        io.rustmq.broker.tls.CertifiedKey key = io.rustmq.broker.tls.Certificates.selfSignedServer(List.of());
        Path certPem = key.writeCertificatePem(pki.resolve("broker.pem"));
        Path keyPem = key.writePrivateKeyPem(pki.resolve("broker.key"));
        EmbeddedBroker first = EmbeddedBroker.builder().port(0).topic("restart", 1).logDir(dir)
                .certificate(certPem, keyPem).build().start();
        int port = first.address().getPort();
        try (RustMQClient client = client(first); Producer producer = client.createProducer("restart")) {
            List<java.util.concurrent.CompletableFuture<?>> sends = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long id = i;
                sends.add(producer.sendAsync(Message.builder().partition(0).payload("r" + i).build())
                        .whenComplete((r, e) -> {
                            if (e == null) {
                                acknowledged.add(id);
                                return;
                            }
                            failed.incrementAndGet();
                            Throwable cause = e instanceof java.util.concurrent.CompletionException
                                    && e.getCause() != null ? e.getCause() : e;
                            if (!(cause instanceof io.rustmq.client.RustMQException re) || !re.isRetriable()) {
                                nonRetriable.compareAndSet(null, cause);
                            }
                        }));
                if (i == n / 3) {
                    await().atMost(WAIT).until(() -> acknowledged.size() > n / 6);
                    first.close();
                }
            }
            // the same port, directory and certificate: the producer retries until the broker is back
            AtomicReference<EmbeddedBroker> second = new AtomicReference<>();
            await().atMost(WAIT).ignoreExceptionsInstanceOf(EmbeddedBrokerException.class).until(() -> {
                second.set(EmbeddedBroker.builder().port(port).logDir(dir).certificate(certPem, keyPem).build()
                        .start());
                return true;
            });
            try (EmbeddedBroker restarted = second.get()) {
                for (java.util.concurrent.CompletableFuture<?> f : sends) {
                    try {
                        f.get(2, java.util.concurrent.TimeUnit.MINUTES);
                    } catch (java.util.concurrent.ExecutionException counted) {
                        // counted by the callback above, which also checks that the failure is retriable
                    }
                }
                assertThat(nonRetriable.get()).as("unacknowledged sends fail only with retriable errors").isNull();
                assertThat(acknowledged.size() + failed.get()).isEqualTo(n);
                try (RustMQClient reader = client(restarted);
                     Consumer c = reader.createConsumer("restart", "restart-check", consumerConfig().build())) {
                    java.util.Set<Long> stored = new java.util.HashSet<>();
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (!stored.containsAll(acknowledged) && System.nanoTime() < deadline) {
                        for (ConsumerMessage m : c.poll(Duration.ofMillis(200))) {
                            assertThat(stored.add(Long.parseLong(m.payloadAsString().substring(1))))
                                    .as("stored once: %s", m.payloadAsString()).isTrue();
                            m.ack();
                        }
                    }
                    assertThat(stored).as("every acknowledged message survived the restart")
                            .containsAll(acknowledged);
                }
            }
        }
    }
}
