package io.rustmq.client.internal.transport;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionSlotsTest {

    @Test
    void atMostMaxSlotsAreTakenAndAReleasedSlotCanBeTakenAgain() {
        ConnectionSlots slots = new ConnectionSlots(2);

        assertThat(slots.reserve(null)).isTrue();
        assertThat(slots.reserve(null)).isTrue();
        assertThat(slots.reserve(null)).isFalse();
        assertThat(slots.used()).isEqualTo(2);

        slots.release();
        assertThat(slots.reserve(null)).isTrue();
        assertThat(slots.used()).isEqualTo(slots.max());
    }

    @Test
    void whenFullACallerThatMayEvictClosesOneIdleConnectionAndTakesItsSlot() {
        ConnectionSlots slots = new ConnectionSlots(1);
        slots.reserve(null);
        AtomicInteger evictions = new AtomicInteger();

        boolean taken = slots.reserve(() -> {
            evictions.incrementAndGet();
            slots.release(); // the evicted connection gives its slot back
            return true;
        });

        assertThat(taken).isTrue();
        assertThat(evictions).hasValue(1);
        assertThat(slots.used()).isEqualTo(1);
        assertThat(slots.reserve(() -> false)).isFalse();
    }

    @Test
    void fewerThanOneSlotIsRefused() {
        assertThatThrownBy(() -> new ConnectionSlots(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max");
    }
}
