package io.rustmq.messaging.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustmq.client.consumer.StartPosition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

class DurationsTest {
    @Test
    void parsesUnitsIsoAndBareMilliseconds() {
        assertThat(Durations.parse("c", "a", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("c", "a", "5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Durations.parse("c", "a", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("c", "a", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("c", "a", "PT1.5S")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("c", "a", "250")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("c", "a", "0")).isZero();
    }

    @Test
    void rejectsGarbageAndNegativeValuesNamingChannelAndAttribute() {
        assertThatThrownBy(() -> Durations.parse("orders", "retry.backoff", "soon"))
                .hasMessageContaining("channel 'orders'").hasMessageContaining("'retry.backoff' = 'soon'");
        assertThatThrownBy(() -> Durations.parse("orders", "linger", "-5"))
                .hasMessageContaining("'linger' = '-5' must not be negative");
    }

    @Test
    void startPositionsParseAllFourForms() {
        assertThat(IncomingSettings.startPosition("c", "earliest")).isEqualTo(StartPosition.earliest());
        assertThat(IncomingSettings.startPosition("c", "LATEST")).isEqualTo(StartPosition.latest());
        assertThat(IncomingSettings.startPosition("c", "offset:42")).isEqualTo(StartPosition.offset(42));
        assertThat(IncomingSettings.startPosition("c", "timestamp:2026-01-02T03:04:05Z"))
                .isEqualTo(StartPosition.timestamp(Instant.parse("2026-01-02T03:04:05Z")));
        assertThatThrownBy(() -> IncomingSettings.startPosition("orders", "offset:-1"))
                .hasMessageContaining("'start-position' = 'offset:-1'");
        assertThatThrownBy(() -> IncomingSettings.startPosition("orders", "yesterday"))
                .hasMessageContaining("must be earliest, latest, offset:N");
    }
}
