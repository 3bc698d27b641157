package io.rustmq.broker.junit;

import io.rustmq.broker.EmbeddedBroker;
import io.rustmq.broker.network.QuicTestClient;
import io.rustmq.client.protocol.MetadataRequest;
import io.rustmq.client.protocol.MetadataResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedBrokerExtensionTest {

    @Test
    void aBrokerIsNotAvailableOutsideTheExtensionsLifetime() {
        EmbeddedBrokerExtension ext = EmbeddedBrokerExtension.builder().build();
        assertThatThrownBy(ext::broker).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(ext::bootstrap).isInstanceOf(IllegalStateException.class);
    }

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class StaticFieldSharesOneBrokerPerClass {
        static EmbeddedBroker first;

        @RegisterExtension
        static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder()
                .topic("t", 3).autoCreateTopics(true).defaultPartitions(2).build();

        @Test
        @Order(1)
        void startsOnARandomLoopbackPortWithTheConfiguredTopics() throws Exception {
            first = BROKER.broker();
            assertThat(BROKER.bootstrap()).startsWith("127.0.0.1:").doesNotEndWith(":9092");
            assertThat(BROKER.certificatePem()).exists();
            assertThat(first.topics()).containsEntry("t", 3);
            try (QuicTestClient c = QuicTestClient.connect(first.address(), BROKER.certificatePem(), null)) {
                MetadataResponse m = (MetadataResponse) c.request(new MetadataRequest(List.of()));
                assertThat(m.topicsMetadata()).hasSize(1);
            }
        }

        @Test
        @Order(2)
        void theSecondTestSeesTheSameBroker() {
            assertThat(BROKER.broker()).isSameAs(first);
            assertThat(first.isRunning()).isTrue();
        }

        @AfterAll
        static void stillRunningUntilAfterAllOfTheExtension() {
            assertThat(first.isRunning()).isTrue();
        }
    }

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class InstanceFieldGivesEachTestItsOwnBroker {
        static EmbeddedBroker previous;

        @RegisterExtension
        final EmbeddedBrokerExtension broker = EmbeddedBrokerExtension.builder().build();

        @Test
        @Order(1)
        void first() {
            previous = broker.broker();
            assertThat(previous.isRunning()).isTrue();
        }

        @Test
        @Order(2)
        void second() {
            assertThat(broker.broker()).isNotSameAs(previous);
            assertThat(previous.isRunning()).as("closed after the previous test").isFalse();
        }
    }
}
