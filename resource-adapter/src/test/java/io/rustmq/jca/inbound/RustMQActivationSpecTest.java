package io.rustmq.jca.inbound;

import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.jca.RustMQResourceAdapter;
import jakarta.resource.spi.InvalidPropertyException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RustMQActivationSpecTest {
    private static RustMQActivationSpec valid() {
        RustMQActivationSpec s = new RustMQActivationSpec();
        s.setTopics("orders, refunds");
        s.setConsumerGroup("billing");
        return s;
    }

    @Test
    void validSpecBuildsTheConsumerConfig() throws Exception {
        RustMQActivationSpec s = valid();
        s.setMaxRedeliveries(2);
        s.setRedeliveryBackoff(50L);
        s.setDeadLetterTopic("orders-dead");
        s.validate();
        ConsumerConfig c = s.consumerConfig();
        assertThat(c.topics()).containsExactly("orders", "refunds");
        assertThat(c.consumerGroup()).isEqualTo("billing");
        assertThat(c.maxRedeliveries()).isEqualTo(2);
        assertThat(c.redeliveryBackoff()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.deadLetterTopic()).isEqualTo("orders-dead");
        assertThat(s.orderingMode()).isEqualTo(RustMQActivationSpec.Ordering.KEY);
    }

    @Test
    void missingTopicsIsNamed() {
        RustMQActivationSpec s = valid();
        s.setTopics(" ");
        assertThatThrownBy(s::validate).isInstanceOf(InvalidPropertyException.class).hasMessageContaining("topics");
    }

    @Test
    void missingGroupIsNamed() {
        RustMQActivationSpec s = valid();
        s.setConsumerGroup(null);
        assertThatThrownBy(s::validate).isInstanceOf(InvalidPropertyException.class)
                .hasMessageContaining("consumerGroup");
    }

    @Test
    void badConcurrencyOrderingAndStartPositionAreNamed() {
        RustMQActivationSpec a = valid();
        a.setConcurrency(0);
        assertThatThrownBy(a::validate).hasMessageContaining("concurrency").hasMessageContaining("0");
        RustMQActivationSpec b = valid();
        b.setOrdering("random");
        assertThatThrownBy(b::validate).hasMessageContaining("ordering").hasMessageContaining("random");
        RustMQActivationSpec c = valid();
        c.setStartPosition("yesterday");
        assertThatThrownBy(c::validate).hasMessageContaining("startPosition").hasMessageContaining("yesterday");
    }

    @Test
    void badRedeliveryAndDeadLetterSettingsAreNamed() {
        RustMQActivationSpec a = valid();
        a.setMaxRedeliveries(-1);
        assertThatThrownBy(a::validate).hasMessageContaining("maxRedeliveries");
        RustMQActivationSpec b = valid();
        b.setRedeliveryBackoff(-5L);
        assertThatThrownBy(b::validate).hasMessageContaining("redeliveryBackoff");
        RustMQActivationSpec c = valid();
        c.setDeadLetterTopic("orders");
        assertThatThrownBy(c::validate).hasMessageContaining("deadLetterTopic");
        RustMQActivationSpec d = valid();
        d.setShutdownTimeout(0L);
        assertThatThrownBy(d::validate).hasMessageContaining("shutdownTimeout");
    }

    @Test
    void badClientPropertyIsNamed() {
        RustMQActivationSpec s = valid();
        s.setRequestTimeout(-1L);
        assertThatThrownBy(s::validate).isInstanceOf(InvalidPropertyException.class)
                .hasMessageContaining("requestTimeout");
        RustMQActivationSpec t = valid();
        t.setBrokers(" , ");
        assertThatThrownBy(t::validate).hasMessageContaining("brokers");
    }

    @Test
    void brokersAndTlsFallBackToTheAdapter() throws Exception {
        RustMQResourceAdapter ra = new RustMQResourceAdapter();
        ra.setBrokers("10.0.0.1:9092,10.0.0.2:9092");
        ra.setTlsServerName("rustmq.example.com");
        ra.setClientId("adapter-id");
        RustMQActivationSpec s = valid();
        s.setResourceAdapter(ra);
        s.setClientId("mdb-id");
        assertThat(s.clientConfig().brokers()).containsExactly("10.0.0.1:9092", "10.0.0.2:9092");
        assertThat(s.clientConfig().tls().serverName()).isEqualTo("rustmq.example.com");
        assertThat(s.clientConfig().clientId()).isEqualTo("mdb-id");
    }
}
