package io.rustmq.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.builder.BuildContext;
import io.quarkus.builder.BuildStep;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Payload types are detected at build time from the channel signatures (JSON, String batch, byte[] emitter), and
 * channels without their own connection attributes reach the Dev Services broker through quarkus.rustmq.*.
 */
class ChannelsTest {

    private static final String DETECTED = ChannelsTest.class.getName() + ".detected";

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Price.class, PriceConsumer.class, TickConsumer.class,
                    RawSender.class))
            .overrideConfigKey("quarkus.rustmq.devservices.topics", "prices:1,ticks:1")
            .overrideConfigKey("mp.messaging.outgoing.raw-out.connector", "smallrye-rustmq")
            .overrideConfigKey("mp.messaging.outgoing.raw-out.topic", "prices")
            .overrideConfigKey("mp.messaging.incoming.prices-in.connector", "smallrye-rustmq")
            .overrideConfigKey("mp.messaging.incoming.prices-in.topic", "prices")
            .overrideConfigKey("mp.messaging.incoming.prices-in.start-position", "earliest")
            .overrideConfigKey("mp.messaging.incoming.ticks-in.connector", "smallrye-rustmq")
            .overrideConfigKey("mp.messaging.incoming.ticks-in.topic", "ticks")
            .addBuildChainCustomizer(chain -> chain.addBuildStep(new BuildStep() {
                @Override
                public void execute(BuildContext context) {
                    // Runs in the build's class loader: hand the result to the test as a system property.
                    System.setProperty(DETECTED, context.consumeMulti(RustMQChannelPayloadBuildItem.class).toString());
                    context.produce(new FeatureBuildItem("payload-capture"));
                }
            }).consumes(RustMQChannelPayloadBuildItem.class).produces(FeatureBuildItem.class).build());

    @Inject
    Config config;

    @Inject
    RawSender sender;

    @Inject
    PriceConsumer prices;

    @Test
    void payloadTypesAreDetectedFromSignatures() {
        assertThat(System.getProperty(DETECTED))
                .contains("incoming prices-in: json " + Price.class.getName())
                .contains("incoming ticks-in: string java.lang.String (batch)")
                .contains("outgoing raw-out: bytes");
    }

    @Test
    void listParameterTurnsOnBatchMode() {
        assertThat(config.getValue("mp.messaging.incoming.ticks-in.batch", Boolean.class)).isTrue();
        assertThat(config.getOptionalValue("mp.messaging.incoming.prices-in.batch", Boolean.class)).isEmpty();
    }

    @Test
    void channelsUseTheDevServicesBrokerThroughQuarkusRustmqDefaults() {
        sender.send("{\"symbol\":\"ACME\",\"cents\":1234}".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(60)).until(() -> !prices.received().isEmpty());
        assertThat(prices.received()).containsExactly(new Price("ACME", 1234));
    }

    /**
     * A JSON payload.
     *
     * @param symbol the ticker
     * @param cents the price
     */
    public record Price(String symbol, long cents) {
    }

    @ApplicationScoped
    static class PriceConsumer {
        private final List<Price> received = new CopyOnWriteArrayList<>();

        @Incoming("prices-in")
        void consume(Price price) {
            received.add(price);
        }

        List<Price> received() {
            return received;
        }
    }

    @ApplicationScoped
    static class TickConsumer {
        @Incoming("ticks-in")
        void consume(List<String> ticks) {
            // batch signature only; nothing is sent to this channel
        }
    }

    @ApplicationScoped
    static class RawSender {
        @Inject
        @Channel("raw-out")
        Emitter<byte[]> raw;

        void send(byte[] payload) {
            raw.send(payload).toCompletableFuture().join();
        }
    }
}
