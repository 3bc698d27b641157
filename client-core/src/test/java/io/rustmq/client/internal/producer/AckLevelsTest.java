package io.rustmq.client.internal.producer;

import io.rustmq.client.producer.AckLevel;
import io.rustmq.client.protocol.AcknowledgmentLevel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AckLevelsTest {
    @Test
    void ackLevelsMapToTheWireEnum() {
        assertThat(AckLevels.toWire(AckLevel.NONE)).isEqualTo(AcknowledgmentLevel.NONE);
        assertThat(AckLevels.toWire(AckLevel.LEADER)).isEqualTo(AcknowledgmentLevel.LEADER);
        assertThat(AckLevels.toWire(AckLevel.MAJORITY)).isEqualTo(AcknowledgmentLevel.MAJORITY);
        assertThat(AckLevels.toWire(AckLevel.ALL)).isEqualTo(AcknowledgmentLevel.ALL);
        assertThat(AckLevels.toWire(AckLevel.custom(3))).isEqualTo(AcknowledgmentLevel.custom(3));
    }
}
