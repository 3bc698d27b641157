package io.rustmq.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

class PojoRoundTripTest {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true)
            .topic("pojo-multi", 3).topic("pojo-emitter", 3).build();

    static final int COUNT = 1000;
    static final int CUSTOMERS = 10;

    static List<Order> allOrders() {
        List<Order> l = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            l.add(new Order("c" + (i % CUSTOMERS), i / CUSTOMERS, i * 1.5));
        }
        return l;
    }

    @ApplicationScoped
    public static class MultiProducer {
        @Outgoing("orders-out")
        public Multi<Message<Order>> orders() {
            Multi<Order> orders = Multi.createFrom().iterable(allOrders());
            return orders.map(PojoRoundTripTest::keyed);
        }
    }

    @ApplicationScoped
    public static class Receiver {
        final Map<String, List<Order>> byCustomer = new ConcurrentHashMap<>();
        final List<Order> all = new CopyOnWriteArrayList<>();

        @Incoming("orders-in")
        public void receive(Order order) {
            byCustomer.computeIfAbsent(order.customer(), k -> new CopyOnWriteArrayList<>()).add(order);
            all.add(order);
        }

        Map<String, List<Order>> byCustomer() {
            return byCustomer;
        }

        List<Order> all() {
            return all;
        }
    }

    @ApplicationScoped
    public static class EmitterSender {
        @Inject
        @Channel("orders-out")
        Emitter<Order> emitter;

        void sendAll() {
            for (Order o : allOrders()) {
                emitter.send(keyed(o));
            }
        }
    }

    static Message<Order> keyed(Order o) {
        return Message.of(o).addMetadata(OutgoingRustMQMetadata.builder().key(o.customer()).build());
    }

    private static Map<String, String> config(String topic) {
        return TestApp.props(TestApp.connectorConfig(BROKER))
                .outgoing("orders-out", "topic", topic)
                .incoming("orders-in", "topic", topic)
                .incoming("orders-in", "start-position", "earliest")
                .build();
    }

    private static void assertCompleteAndOrderedPerKey(Receiver r) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(r.all()).hasSize(COUNT));
        assertThat(r.byCustomer()).hasSize(CUSTOMERS);
        r.byCustomer().forEach((customer, list) -> {
            assertThat(list).extracting(Order::sequence).isSorted().doesNotHaveDuplicates().hasSize(COUNT / CUSTOMERS);
        });
        assertThat(r.all()).containsExactlyInAnyOrderElementsOf(allOrders());
    }

    @Test
    void outgoingMultiOfPojosArrivesAsPojosCompleteAndInOrderPerKey() {
        try (TestApp app = TestApp.start(config("pojo-multi"), MultiProducer.class, Receiver.class)) {
            assertCompleteAndOrderedPerKey(app.bean(Receiver.class));
        }
    }

    @Test
    void emitterOfPojosArrivesAsPojosCompleteAndInOrderPerKey() {
        try (TestApp app = TestApp.start(config("pojo-emitter"), EmitterSender.class, Receiver.class)) {
            app.bean(EmitterSender.class).sendAll();
            assertCompleteAndOrderedPerKey(app.bean(Receiver.class));
        }
    }
}
