package io.rustmq.client;

import io.rustmq.client.protocol.WireHeader;
import io.rustmq.client.protocol.WireRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageBatchTest {
    private static List<Message> messages(int n, int payloadBytes) {
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Message.builder().payload(new byte[payloadBytes]).header("i", Integer.toString(i)).build());
        }
        return out;
    }

    private static List<Message> flatten(List<MessageBatch> batches) {
        List<Message> out = new ArrayList<>();
        batches.forEach(b -> out.addAll(b.messages()));
        return out;
    }

    @Test
    void messageSizeIsItsWireRecordSize() {
        Message m = Message.builder().key("clé").payload("payload").header("trace-é", "ü").header("dup", "1").build();
        WireRecord wire = new WireRecord(m.key(), m.payload(), m.headers().asList().stream()
                .map(h -> new WireHeader(h.key(), h.value())).toList(), 0);
        assertThat(m.encodedSize()).isEqualTo(wire.encodedSize());
        assertThat(Message.builder().build().encodedSize()).isEqualTo(25);
    }

    @Test
    void splitByCountKeepsOrderAndFillsAllButTheLast() {
        List<Message> ms = messages(10, 5);
        List<MessageBatch> parts = MessageBatch.of(ms).splitByCount(4);
        assertThat(parts).extracting(MessageBatch::size).containsExactly(4, 4, 2);
        assertThat(flatten(parts)).containsExactlyElementsOf(ms);
        assertThat(parts.get(0).encodedSize()).isEqualTo(4L * ms.get(0).encodedSize());
        assertThat(MessageBatch.of(ms).splitByCount(10)).hasSize(1);
        assertThat(MessageBatch.empty().splitByCount(3)).isEmpty();
    }

    @Test
    void splitBySizeKeepsEveryPartWithinTheLimitByWireSize() {
        List<Message> ms = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ms.add(Message.builder().payload(new byte[i * 11]).build());
        }
        MessageBatch batch = MessageBatch.of(ms);
        assertThat(batch.encodedSize()).isEqualTo(ms.stream().mapToLong(Message::encodedSize).sum());
        List<MessageBatch> parts = batch.splitBySize(1000);
        assertThat(parts).hasSizeGreaterThan(4);
        assertThat(parts).allSatisfy(p -> assertThat(p.encodedSize()).isLessThanOrEqualTo(1000));
        for (int i = 0; i + 1 < parts.size(); i++) {
            Message nextFirst = parts.get(i + 1).messages().get(0);
            assertThat(parts.get(i).encodedSize() + nextFirst.encodedSize()).as("part %d is as full as it can be", i)
                    .isGreaterThan(1000);
        }
        assertThat(flatten(parts)).containsExactlyElementsOf(ms);
    }

    @Test
    void aMessageLargerThanTheLimitGetsABatchOfItsOwn() {
        Message small = Message.builder().payload(new byte[10]).build();
        Message big = Message.builder().payload(new byte[500]).build();
        List<MessageBatch> parts = MessageBatch.of(small, big, small).splitBySize(100);
        assertThat(parts).extracting(MessageBatch::messages)
                .containsExactly(List.of(small), List.of(big), List.of(small));
    }

    @Test
    void batchesAreImmutableAndSplitArgumentsAreChecked() {
        List<Message> source = new ArrayList<>(messages(3, 1));
        MessageBatch batch = MessageBatch.of(source);
        source.clear();
        assertThat(batch.size()).isEqualTo(3);
        assertThatThrownBy(() -> batch.messages().add(Message.builder().build()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> batch.splitByCount(2).get(0).messages().remove(0))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> batch.splitByCount(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxCount");
        assertThatThrownBy(() -> batch.splitBySize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBytes");
        assertThat(batch).containsExactlyElementsOf(batch.messages());
        assertThat(MessageBatch.of(batch.messages())).isEqualTo(batch);
    }
}
