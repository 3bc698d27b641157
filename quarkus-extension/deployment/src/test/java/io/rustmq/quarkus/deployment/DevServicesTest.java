package io.rustmq.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.hasItem;

import java.lang.reflect.InvocationTargetException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.arc.ClientProxy;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.SendResult;
import io.rustmq.client.producer.Producer;
import io.rustmq.quarkus.runtime.health.RustMQClientReadinessCheck;

/**
 * With no brokers configured, Dev Services start the embedded broker: the CDI client reaches it over verified TLS,
 * configured topics exist with their partition counts, readiness is up; after the app stops the client is closed
 * and the broker's port is free again.
 */
class DevServicesTest {

    // The test runs in Quarkus' class loader and the after-all hook in JUnit's: hand values over as system properties.
    private static final String PORT_KEY = DevServicesTest.class.getName() + ".port";
    private static final String CLIENT_KEY = DevServicesTest.class.getName() + ".client";

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.rustmq.devservices.topics", "devservices-orders:3")
            .setAfterAllCustomizer(DevServicesTest::brokerStoppedAndClientClosed);

    @Inject
    RustMQClient client;

    @Test
    void clientReachesTheEmbeddedBrokerOverVerifiedTls() {
        assertThat(client.config().tls().insecureSkipVerify()).isFalse();
        assertThat(client.config().tls().caCert()).isNotNull();
        String broker = client.config().brokers().get(0);
        assertThat(broker).startsWith("127.0.0.1:");
        System.setProperty(PORT_KEY, broker.substring(broker.lastIndexOf(':') + 1));
        System.getProperties().put(CLIENT_KEY, ClientProxy.unwrap(client));

        Set<Integer> partitions = new HashSet<>();
        try (Producer producer = client.createProducer("devservices-orders")) {
            for (int i = 0; i < 30; i++) {
                SendResult result = producer.send(Message.builder().topic("devservices-orders").key("key-" + i)
                        .payload("order " + i).build());
                partitions.add(result.partition());
            }
        }
        assertThat(partitions).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void readinessReportsTheClientUp() {
        RestAssured.when().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.name", hasItem(RustMQClientReadinessCheck.NAME));
    }

    private static void brokerStoppedAndClientClosed() {
        int brokerPort = Integer.parseInt(System.getProperty(PORT_KEY, "0"));
        assertThat(brokerPort).as("port seen while the app ran").isPositive();
        Object clientInstance = System.getProperties().remove(CLIENT_KEY);
        // The client class of the stopped app's class loader: call it reflectively.
        assertThatThrownBy(() -> clientInstance.getClass().getMethod("createProducer", String.class)
                .invoke(clientInstance, "after-stop"))
                .isInstanceOf(InvocationTargetException.class)
                .cause().hasMessageContaining("client is closed");
        try (DatagramSocket socket = new DatagramSocket(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), brokerPort))) {
            assertThat(socket.getLocalPort()).isEqualTo(brokerPort);
        } catch (java.net.SocketException e) {
            throw new AssertionError("the Dev Services broker still holds UDP port " + brokerPort, e);
        }
    }
}
