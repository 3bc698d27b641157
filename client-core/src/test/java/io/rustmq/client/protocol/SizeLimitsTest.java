package io.rustmq.client.protocol;

import io.rustmq.client.ConfigurationException;
import io.rustmq.client.MessageTooLargeException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SizeLimitsTest {
    private static final WireRecord RECORD = new WireRecord(new byte[] {1, 2}, new byte[700],
            List.of(WireHeader.of("h", "v")), 0);

    @Test
    void theProduceOverheadIsExactlyWhatAFrameAddsToItsRecords() {
        for (AcknowledgmentLevel acks : List.of(AcknowledgmentLevel.LEADER, AcknowledgmentLevel.custom(3))) {
            for (String topic : List.of("t", "orders-ü")) {
                byte[] frame = Frames.encodeRequest(new ProduceRequest(topic, 0, List.of(RECORD), acks, 1000));

                assertThat(frame.length).isEqualTo(SizeLimits.produceOverhead(topic, acks) + RECORD.encodedSize());
                assertThat(SizeLimits.maxRecordBytes(frame.length, topic, acks)).isEqualTo(RECORD.encodedSize());
            }
        }
    }

    @Test
    void aRecordThatExactlyFillsTheRequestPassesAndOneByteMoreIsRefusedNamingTheLimitAndTheExcess() {
        int limit = SizeLimits.produceOverhead("orders", AcknowledgmentLevel.LEADER) + 1000;

        assertThatCode(() -> SizeLimits.checkRecordInRequest(1000, limit, "orders", AcknowledgmentLevel.LEADER))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> SizeLimits.checkRecordInRequest(1001, limit, "orders", AcknowledgmentLevel.LEADER))
                .isInstanceOfSatisfying(MessageTooLargeException.class, e -> {
                    assertThat(e.size()).isEqualTo(limit + 1);
                    assertThat(e.limit()).isEqualTo(limit);
                })
                .hasMessageContaining("exceeds maxRequestBytes = " + limit + " bytes by 1 bytes")
                .hasMessageContaining("1001 record bytes");
    }

    @Test
    void aMessageOverMaxMessageSizeIsRefusedSayingByHowMuch() {
        assertThatCode(() -> SizeLimits.checkMessage(1000, 1000)).doesNotThrowAnyException();
        assertThatThrownBy(() -> SizeLimits.checkMessage(1100, 1000))
                .isInstanceOf(MessageTooLargeException.class)
                .hasMessage("message of 1100 bytes exceeds maxMessageSize = 1000 bytes by 100 bytes");
        assertThatThrownBy(() -> SizeLimits.checkFrame(70, 64))
                .hasMessage("request frame of 70 bytes exceeds maxRequestBytes = 64 bytes by 6 bytes");
    }

    @Test
    void refusesAnUncompressedMaxMessageSizeThatCannotFitOneRequest() {
        assertThatThrownBy(() -> SizeLimits.checkProducerLimits(2_000_001, true, false, 2_000_000))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.field()).isEqualTo("maxMessageSize"))
                .hasMessageContaining("maxMessageSize = 2000001")
                .hasMessageContaining("maxRequestBytes = 2000000")
                .hasMessageContaining("by 1 bytes");
        // equal limits, any limit with compression, and a default (unset) limit are accepted
        assertThatCode(() -> SizeLimits.checkProducerLimits(1 << 20, true, false, 1 << 20))
                .doesNotThrowAnyException();
        assertThatCode(() -> SizeLimits.checkProducerLimits(16 << 20, true, true, 1 << 20))
                .doesNotThrowAnyException();
        assertThatCode(() -> SizeLimits.checkProducerLimits(1 << 20, false, false, 8192))
                .doesNotThrowAnyException();
    }
}
