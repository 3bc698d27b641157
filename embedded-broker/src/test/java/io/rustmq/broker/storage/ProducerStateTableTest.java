package io.rustmq.broker.storage;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProducerStateTableTest {
    private final ProducerStateTable table = new ProducerStateTable();

    private void stored(String producer, long seq, int count, long offset) {
        assertThat(table.check(producer, seq, count)).isEqualTo(ProducerStateTable.Decision.APPEND);
        table.record(producer, seq, count, offset);
    }

    @Test
    void anUnknownProducerIsAcceptedAtAnySequenceAndTheNextExpectedFollowsTheRequest() {
        assertThat(table.nextSequence("p")).isEqualTo(-1);
        stored("p", 100, 3, 0);
        assertThat(table.nextSequence("p")).isEqualTo(103);
        stored("p", 103, 1, 3);
        assertThat(table.nextSequence("p")).isEqualTo(104);
    }

    @Test
    void aRequestAboveTheExpectedSequenceIsOutOfOrderAndRetriable() {
        stored("p", 0, 10, 0);
        assertThatThrownBy(() -> table.check("p", 11, 5))
                .isInstanceOf(ProducerStateTable.SequenceException.class)
                .hasMessageStartingWith("OutOfOrderSequence: expected 10, got 11")
                .satisfies(e -> assertThat(((ProducerStateTable.SequenceException) e).retriable()).isTrue());
        assertThat(table.nextSequence("p")).as("a refusal changes nothing").isEqualTo(10);
    }

    @Test
    void aRememberedRequestIsADuplicateWithItsOriginalOffsets() {
        stored("p", 0, 10, 100);
        stored("p", 10, 10, 250);
        assertThat(table.check("p", 0, 10)).isEqualTo(new ProducerStateTable.Decision(10, 100));
        assertThat(table.check("p", 10, 10)).isEqualTo(new ProducerStateTable.Decision(10, 250));
        assertThat(table.check("p", 15, 10)).as("partly new: the duplicate part first")
                .isEqualTo(new ProducerStateTable.Decision(5, 255));
    }

    @Test
    void atLeastTheLastFiveRequestsAreRememberedAndAnOlderOneIsADuplicateSequenceThatIsNotRetriable() {
        for (int i = 0; i < 6; i++) {
            stored("p", i * 2L, 2, i * 2L);
        }
        for (int i = 1; i < 6; i++) {
            assertThat(table.check("p", i * 2L, 2).duplicates()).isEqualTo(2);
        }
        assertThatThrownBy(() -> table.check("p", 0, 2))
                .isInstanceOf(ProducerStateTable.SequenceException.class)
                .hasMessageStartingWith("DuplicateSequence: ")
                .satisfies(e -> assertThat(((ProducerStateTable.SequenceException) e).retriable()).isFalse());
    }

    @Test
    void producersAreIndependent() {
        stored("a", 0, 1, 0);
        stored("b", 0, 1, 1);
        assertThat(table.check("a", 1, 1)).isEqualTo(ProducerStateTable.Decision.APPEND);
        assertThat(table.check("b", 0, 1)).isEqualTo(new ProducerStateTable.Decision(1, 1));
    }

    @Test
    void aSnapshotRestoresTheSameDecisions() {
        for (int i = 0; i < 7; i++) {
            stored("p", i * 3L, 3, 10 + i * 3L);
        }
        stored("q", 5, 1, 40);
        List<ProducerStateTable.ProducerEntry> snapshot = table.snapshot();
        assertThat(snapshot).hasSize(2);
        assertThat(snapshot.get(0).recent()).hasSize(ProducerStateTable.REMEMBERED_REQUESTS);

        ProducerStateTable restored = new ProducerStateTable();
        restored.restore(snapshot);
        assertThat(restored.snapshot()).isEqualTo(snapshot);
        assertThat(restored.nextSequence("p")).isEqualTo(21);
        assertThat(restored.check("p", 18, 3)).isEqualTo(new ProducerStateTable.Decision(3, 28));
        assertThatThrownBy(() -> restored.check("p", 22, 1)).hasMessageStartingWith("OutOfOrderSequence");
        assertThatThrownBy(() -> restored.check("p", 0, 3)).hasMessageStartingWith("DuplicateSequence");
    }
}
