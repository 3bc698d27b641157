package io.rustmq.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.Producer;

/**
 * The Dev Services broker takes {@code quarkus.rustmq.devservices.retention-bytes}, {@code .log-dir} and
 * {@code .stats-interval}: with a 64 KiB retention, three times that much leaves the log start above 0 (a consumer
 * at earliest begins there), and the log directory holds the partition's log segments.
 */
class DevServicesBrokerSettingsTest {
    private static final Path LOG_DIR = fresh(Path.of("target", "devservices-log-dir").toAbsolutePath());

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.rustmq.devservices.retention-bytes", "65536")
            .overrideConfigKey("quarkus.rustmq.devservices.log-dir", LOG_DIR.toString())
            .overrideConfigKey("quarkus.rustmq.devservices.stats-interval", "1s");

    @Inject
    RustMQClient client;

    private static Path fresh(Path dir) {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    @Test
    void retentionAndTheLogDirectoryReachTheBroker() {
        String topic = "devservices-retained";
        try (Producer producer = client.createProducer(topic)) {
            for (int i = 0; i < 600; i++) {
                String v = "m" + i + "-";
                producer.sendAsync(Message.builder().topic(topic).partition(0)
                        .payload(v + "x".repeat(300 - v.length())).build());
            }
            producer.flush();
        }
        try (Consumer consumer = client.createConsumer(topic, "devservices-retained-group", ConsumerConfig.builder()
                .startPosition(StartPosition.earliest()).build())) {
            ConsumerMessage first = consumer.receive(Duration.ofSeconds(30));
            assertThat(first).isNotNull();
            assertThat(first.offset()).as("retention moved the log start past the first records").isPositive();
            assertThat(first.payloadAsString()).startsWith("m" + first.offset() + "-");
        }
        Path segments = LOG_DIR.resolve("partitions").resolve(topic).resolve("0");
        try (Stream<Path> files = Files.list(segments)) {
            assertThat(files.filter(f -> f.toString().endsWith(".log")).count())
                    .as("log segments the broker wrote in %s", segments).isPositive();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
