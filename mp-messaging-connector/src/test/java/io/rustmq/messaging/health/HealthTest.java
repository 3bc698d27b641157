package io.rustmq.messaging.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustmq.broker.EmbeddedBroker;
import io.rustmq.messaging.TestApp;
import io.smallrye.reactive.messaging.health.HealthReport;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

class HealthTest {
    /** Consumes nothing in particular. */
    @ApplicationScoped
    public static class Idle {
        @Incoming("in")
        public void consume(String s) {
            // nothing to do
        }
    }

    private static boolean channelOk(HealthReport report, String channel) {
        return report.getChannels().stream().anyMatch(c -> c.getChannel().equals(channel) && c.isOk());
    }

    private static boolean channelDown(HealthReport report, String channel) {
        return report.getChannels().stream().anyMatch(c -> c.getChannel().equals(channel) && !c.isOk());
    }

    @Test
    void readinessIsDownWhileTheBrokerIsStoppedAndUpAfterItReturns() {
        EmbeddedBroker broker = EmbeddedBroker.builder().host("127.0.0.1").port(0).topic("health", 1).build().start();
        int port = broker.address().getPort();
        try {
            Map<String, String> config = new HashMap<>();
            config.put("mp.messaging.incoming.in.connector", "smallrye-rustmq");
            config.put("mp.messaging.incoming.in.brokers", "127.0.0.1:" + port);
            // The restarted broker has a new self-signed certificate.
            config.put("mp.messaging.incoming.in.tls.insecure-skip-verify", "true");
            config.put("mp.messaging.incoming.in.topic", "health");
            config.put("mp.messaging.incoming.in.health-check-interval", "200ms");
            config.put("mp.messaging.incoming.in.request-timeout", "2s");
            config.put("mp.messaging.outgoing.out.connector", "smallrye-rustmq");
            config.put("mp.messaging.outgoing.out.brokers", "127.0.0.1:" + port);
            config.put("mp.messaging.outgoing.out.tls.insecure-skip-verify", "true");
            config.put("mp.messaging.outgoing.out.topic", "health");
            config.put("mp.messaging.outgoing.out.health-check-interval", "200ms");
            config.put("mp.messaging.outgoing.out.request-timeout", "2s");
            try (TestApp app = TestApp.start(config, Idle.class, OutgoingEmitterBean.class)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> app.health().getStartup().isOk()
                        && channelOk(app.health().getReadiness(), "in")
                        && channelOk(app.health().getReadiness(), "out"));
                assertThat(app.connector().clientCount()).isEqualTo(1);

                broker.close();
                await().atMost(Duration.ofSeconds(60)).until(() -> channelDown(app.health().getReadiness(), "in")
                        && channelDown(app.health().getReadiness(), "out"));
                assertThat(app.health().getLiveness().isOk()).isTrue();

                broker = EmbeddedBroker.builder().host("127.0.0.1").port(port).topic("health", 1).build().start();
                await().atMost(Duration.ofSeconds(60)).until(() -> app.health().getReadiness().isOk());
                assertThat(app.health().getLiveness().isOk()).isTrue();
            }
        } finally {
            broker.close();
        }
    }

    /** Gives the outgoing channel a producer. */
    @ApplicationScoped
    public static class OutgoingEmitterBean {
        @jakarta.inject.Inject
        @org.eclipse.microprofile.reactive.messaging.Channel("out")
        org.eclipse.microprofile.reactive.messaging.Emitter<String> emitter;
    }
}
