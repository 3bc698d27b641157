package io.rustmq.examples.mp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

class PriceAlertsTest {
    @Test
    void everyPriceAtOrAboveTheThresholdBecomesOneAlert() {
        List<String> alerts = PriceAlerts.run(Duration.ofSeconds(90));
        assertThat(alerts).hasSize(PriceAlerts.expectedAlerts()).doesNotHaveDuplicates();
        assertThat(alerts).allSatisfy(a -> assertThat(a)
                .matches("(ACME|GLOBEX|INITECH) at \\d+\\.\\d+ \\(tick \\d+, prices-\\d@\\d+\\)"));
    }
}
