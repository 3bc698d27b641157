package io.rustmq.broker.storage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicRegistryTest {
    private final TopicRegistry registry = new TopicRegistry();

    @Test
    void createsTopicsWithPartitionsNumberedFromZero() {
        Topic t = registry.create("orders", 3);
        assertThat(t.partitionCount()).isEqualTo(3);
        assertThat(t.partition(0)).isNotNull();
        assertThat(t.partition(2)).isNotNull();
        assertThat(t.partition(3)).isNull();
        assertThat(t.partition(-1)).as("u32 above 2^31").isNull();
        assertThat(registry.partition("orders", 1)).isSameAs(t.partition(1));
        assertThat(registry.partition("nope", 0)).isNull();
    }

    @Test
    void creatingAgainWithTheSameCountIsANoOpAndAnotherCountFails() {
        Topic t = registry.create("orders", 3);
        assertThat(registry.create("orders", 3)).isSameAs(t);
        assertThatThrownBy(() -> registry.create("orders", 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists with 3");
    }

    @Test
    void getOrCreateKeepsAnExistingTopicWhateverItsCount() {
        registry.create("a", 2);
        assertThat(registry.getOrCreate("a", 5).partitionCount()).isEqualTo(2);
        assertThat(registry.getOrCreate("b", 5).partitionCount()).isEqualTo(5);
    }

    @Test
    void rejectsEmptyNamesAndOutOfRangeCounts() {
        assertThatThrownBy(() -> registry.create("", 1)).hasMessageContaining("name");
        assertThatThrownBy(() -> registry.create("x", 0)).hasMessageContaining("partitions");
        assertThatThrownBy(() -> registry.create("x", TopicRegistry.MAX_PARTITIONS + 1))
                .hasMessageContaining("partitions");
    }

    @Test
    void listsTopicsSortedByNameAndCountsUnknownTopicsAsZero() {
        registry.create("b", 1);
        registry.create("a", 2);
        assertThat(registry.partitionCounts()).containsExactly(
                org.assertj.core.api.Assertions.entry("a", 2), org.assertj.core.api.Assertions.entry("b", 1));
        assertThat(registry.topics()).extracting(Topic::name).containsExactly("a", "b");
        assertThat(registry.partitionCount("zzz")).isZero();
    }
}
