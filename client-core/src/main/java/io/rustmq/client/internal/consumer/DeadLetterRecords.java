package io.rustmq.client.internal.consumer;

import io.rustmq.client.Header;
import io.rustmq.client.Headers;
import io.rustmq.client.Message;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.DeadLetterHeaders;
import io.rustmq.client.producer.Producer;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the record sent to a dead-letter topic, the same way for the consumer and for streams: the original key,
 * value and headers, minus an earlier set of {@link DeadLetterHeaders} and the producer-idempotence headers (which
 * belong to the original partition), plus the reason, the failure's class, the original topic, partition and offset,
 * the delivery count, the attempts and the group. A fresh message: no partition is carried over, since the original
 * partition number may not exist in the dead-letter topic. Stateless; any thread.
 */
public final class DeadLetterRecords {
    private DeadLetterRecords() {
    }

    /**
     * The dead-letter record for a message.
     *
     * @param deadLetterTopic where it goes
     * @param m the message given up on
     * @param reason why, possibly {@code null}
     * @param group the consumer group that gave up
     * @param attempts processing attempts made (a stream's attempts, or a consumer's deliveries)
     * @return the record
     */
    public static Message build(String deadLetterTopic, ConsumerMessage m, Throwable reason, String group,
                                int attempts) {
        List<Header> headers = new ArrayList<>(m.headers().size() + 9);
        for (Header h : m.headers()) {
            String k = h.key();
            if (!k.startsWith(DeadLetterHeaders.PREFIX) && !k.equals(Producer.PRODUCER_ID_HEADER)
                    && !k.equals(Producer.SEQUENCE_HEADER)) {
                headers.add(h);
            }
        }
        Headers hs = Headers.of(headers).with(DeadLetterHeaders.REASON, DeadLetterHeaders.reason(reason))
                .with(DeadLetterHeaders.TOPIC, m.topic())
                .with(DeadLetterHeaders.PARTITION, Integer.toUnsignedString(m.partition()))
                .with(DeadLetterHeaders.OFFSET, Long.toUnsignedString(m.offset()))
                .with(DeadLetterHeaders.DELIVERY_COUNT, Integer.toString(m.deliveryCount()))
                .with(DeadLetterHeaders.ATTEMPTS, Integer.toString(attempts))
                .with(DeadLetterHeaders.GROUP, group);
        if (reason != null) {
            hs = hs.with(DeadLetterHeaders.EXCEPTION, reason.getClass().getName());
        }
        return Message.builder().topic(deadLetterTopic).key(m.key()).payload(m.payload()).headers(hs).build();
    }
}
