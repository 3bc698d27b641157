package io.rustmq.client.internal.consumer;

import io.rustmq.client.Message;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.DeadLetterHeaders;
import io.rustmq.client.consumer.TestMessages;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.protocol.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterRecordsTest {
    private final MessageAccess access = TestMessages.access(new AckListener() {
        @Override
        public void ack(ConsumerMessage m) {
        }

        @Override
        public void nack(ConsumerMessage m, Throwable reason) {
        }
    });

    @Test
    void keepsTheOriginalHeadersAndAddsWhereWhyAndHowOften() {
        Message original = Message.builder().key("k").payload("v").header("trace", "t1")
                .header(Producer.PRODUCER_ID_HEADER, "p-1").header(Producer.SEQUENCE_HEADER, "9")
                .header(DeadLetterHeaders.REASON, "an earlier dead-lettering").build();
        ConsumerMessage m = access.create(original, new TopicPartition("orders", 3), 42, 4, null, 0);

        Message dead = DeadLetterRecords.build("orders-dlq", m, new IllegalArgumentException("bad"), "billing", 2);

        assertThat(dead.topic()).isEqualTo("orders-dlq");
        assertThat(dead.partition()).as("no partition is carried over").isEmpty();
        assertThat(dead.keyAsString()).isEqualTo("k");
        assertThat(dead.payloadAsString()).isEqualTo("v");
        assertThat(dead.headers().lastString("trace")).isEqualTo("t1");
        assertThat(dead.headers().lastString(Producer.PRODUCER_ID_HEADER)).isNull();
        assertThat(dead.headers().lastString(Producer.SEQUENCE_HEADER)).isNull();
        assertThat(dead.headers().lastString(DeadLetterHeaders.REASON))
                .isEqualTo("java.lang.IllegalArgumentException: bad");
        assertThat(dead.headers().lastString(DeadLetterHeaders.EXCEPTION))
                .isEqualTo("java.lang.IllegalArgumentException");
        assertThat(dead.headers().lastString(DeadLetterHeaders.TOPIC)).isEqualTo("orders");
        assertThat(dead.headers().lastString(DeadLetterHeaders.PARTITION)).isEqualTo("3");
        assertThat(dead.headers().lastString(DeadLetterHeaders.OFFSET)).isEqualTo("42");
        assertThat(dead.headers().lastString(DeadLetterHeaders.DELIVERY_COUNT)).isEqualTo("4");
        assertThat(dead.headers().lastString(DeadLetterHeaders.ATTEMPTS)).isEqualTo("2");
        assertThat(dead.headers().lastString(DeadLetterHeaders.GROUP)).isEqualTo("billing");
    }

    @Test
    void aNackWithoutAReasonHasNoExceptionHeader() {
        ConsumerMessage m = access.create(Message.builder().payload("v").build(), new TopicPartition("t", 0), 0, 1,
                null, 0);
        Message dead = DeadLetterRecords.build("dlq", m, null, "g", 1);
        assertThat(dead.headers().lastString(DeadLetterHeaders.REASON)).isEqualTo("nacked without a reason");
        assertThat(dead.headers().lastString(DeadLetterHeaders.EXCEPTION)).isNull();
    }
}
