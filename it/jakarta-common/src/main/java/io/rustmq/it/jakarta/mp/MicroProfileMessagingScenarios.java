package io.rustmq.it.jakarta.mp;

import io.rustmq.it.jakarta.AppHttp;
import io.rustmq.it.jakarta.TestBroker;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The MicroProfile Reactive Messaging scenario of issue 12, run as a client of the deployed war on the server's own
 * Reactive Messaging (a subclass per server supplies the {@code mp} deployment, {@code managed = false}, built by
 * {@link MpArchive}). The broker runs in this JVM; the server reaches it at 127.0.0.1.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
public abstract class MicroProfileMessagingScenarios {
    /** The name of the subclass's deployment. */
    public static final String DEPLOYMENT = "mp";
    /** The topic of the round trip. */
    public static final String TOPIC = "it-mp-roundtrip";
    /** The receiver's consumer group. */
    public static final String GROUP = "it-mp-receiver";
    private static final int COUNT = 500;
    private static final int KEYS = 10;
    private static final Duration WAIT = Duration.ofSeconds(90);

    /** The broker in the test JVM. */
    protected static TestBroker broker;
    private final AppHttp app = new AppHttp(System.getProperty("rustmq.mp.url",
            "http://127.0.0.1:8080/" + MpArchive.APP));

    @ArquillianResource
    private Deployer deployer;

    @BeforeAll
    static void startBroker() {
        broker = new TestBroker(Map.of(TOPIC, 1)).start();
    }

    @AfterAll
    static void stopBroker() {
        broker.stop();
    }

    private List<String[]> received() {
        AppHttp.Reply r = app.get("received");
        assertThat(r.status()).as("received: %s", r.body()).isEqualTo(200);
        return r.body().isEmpty() ? List.of() : Arrays.stream(r.body().split("\n")).map(l -> l.split("\t")).toList();
    }

    @Test
    void emitterAndIncomingBeanMove500MessagesIntactThroughTheBundledConnector() {
        deployer.deploy(DEPLOYMENT);
        try {
            AppHttp.Reply sent = app.get("send", "prefix", "mp", "count", COUNT, "keys", KEYS);
            assertThat(sent.status()).as("send: %s", sent.body()).isEqualTo(200);
            assertThat(sent.body()).isEqualTo(String.valueOf(COUNT));

            await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
                    .until(() -> received().size() >= COUNT);
            List<String> expected = IntStream.range(0, COUNT)
                    .mapToObj(i -> String.join("\t", "k" + (i % KEYS), "mp-" + i, "h" + i, TOPIC)).toList();
            List<String> got = received().stream().map(f -> String.join("\t", f)).toList();
            // every message once, with its key, payload and header
            assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
        } finally {
            deployer.undeploy(DEPLOYMENT);
        }
    }
}
