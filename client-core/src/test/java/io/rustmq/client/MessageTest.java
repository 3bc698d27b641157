package io.rustmq.client;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageTest {
    @Test
    void builderKeepsKeyPayloadHeadersAndPartition() {
        Message m = Message.builder().topic("orders").key("user-123").payload("héllo").header("source", "auth")
                .header("source", "retry").header("bin", new byte[] {0, (byte) 0xFF}).partition(2).timestamp(42L).build();
        assertThat(m.topic()).isEqualTo("orders");
        assertThat(m.keyAsString()).isEqualTo("user-123");
        assertThat(m.payloadAsString()).isEqualTo("héllo");
        assertThat(m.headers().size()).isEqualTo(3);
        assertThat(m.headers().lastString("source")).isEqualTo("retry");
        assertThat(m.headers().all("source")).extracting(Header::valueAsString).containsExactly("auth", "retry");
        assertThat(m.headers().lastValue("bin")).containsExactly(0, 0xFF);
        assertThat(m.headers().lastValue("absent")).isNull();
        assertThat(m.partition()).hasValue(2);
        assertThat(m.timestamp()).isEqualTo(42L);
        assertThat(m.toBuilder().build()).isEqualTo(m);
    }

    @Test
    void jsonPayloadsRoundTripThroughJackson() {
        Message m = Message.builder().payloadJson(Map.of("event", "login", "n", 3)).build();
        @SuppressWarnings("unchecked")
        Map<String, Object> back = m.payloadAsJson(Map.class);
        assertThat(back).containsEntry("event", "login").containsEntry("n", 3);
    }

    @Test
    void invalidJsonPayloadGivesAClearError() {
        Message m = Message.builder().payload("{not json").build();
        assertThatThrownBy(() -> m.payloadAsJson(Map.class)).isInstanceOf(RustMQException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void negativePartitionIsRefused() {
        assertThatThrownBy(() -> Message.builder().partition(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringShowsSizesButNeitherKeyNorPayloadNorHeaderValues() {
        Message m = Message.builder().topic("orders").key("secret-user").payload("secret-payload")
                .header("token", "secret-token").partition(1).build();
        String text = m.toString();
        assertThat(text).doesNotContain("secret").contains("orders").contains("key=11 bytes")
                .contains("payload=14 bytes").contains("token=12 bytes").contains("partition=1");
        assertThat(m.headers().toString()).doesNotContain("secret").contains("token");
        assertThat(m.headers().all("token").get(0).toString()).isEqualTo("token=12 bytes");
        assertThat(Message.builder().payload("x").build().toString()).contains("key=null");
    }
}
