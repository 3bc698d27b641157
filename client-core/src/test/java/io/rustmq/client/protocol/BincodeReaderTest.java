package io.rustmq.client.protocol;

import io.rustmq.client.ProtocolException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BincodeReaderTest {
    @Test
    void repeatedHeaderNamesInOneRequestDecodeToTheSameStringInstance() {
        List<WireRecord> records = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            records.add(new WireRecord(null, new byte[] {(byte) i},
                    List.of(WireHeader.of("rustmq-producer-id", "p-1"), WireHeader.of("rustmq-sequence", "" + i)), 0));
        }
        ProduceRequest decoded = (ProduceRequest) Frames.decodeRequest(Frames.encodeRequest(
                new ProduceRequest("t", 0, records, AcknowledgmentLevel.ALL, 0)));
        assertThat(decoded.records()).isEqualTo(records);
        String first = decoded.records().get(0).headers().get(0).key();
        String second = decoded.records().get(0).headers().get(1).key();
        for (WireRecord r : decoded.records()) {
            assertThat(r.headers().get(0).key()).isSameAs(first);
            assertThat(r.headers().get(1).key()).isSameAs(second);
        }
    }

    @Test
    void unsignedAndSignedIntegersReadBackAsWritten() {
        BincodeWriter w = new BincodeWriter(8);
        w.u8(0xFF).u16(0xFFFF).u32(-1).u64(-1L).bool(true).optionString(null).optionString("é");
        BincodeReader r = new BincodeReader(w.toByteArray());
        assertThat(r.u8()).isEqualTo(255);
        assertThat(r.u16()).isEqualTo(65535);
        assertThat(Integer.toUnsignedLong(r.u32())).isEqualTo(4294967295L);
        assertThat(Long.toUnsignedString(r.u64())).isEqualTo("18446744073709551615");
        assertThat(r.bool()).isTrue();
        assertThat(r.optionString()).isNull();
        assertThat(r.optionString()).isEqualTo("é");
        assertThat(r.remaining()).isZero();
    }

    @Test
    void invalidBoolAndOptionTagsAndEnumIndicesAreProtocolErrors() {
        assertThatThrownBy(() -> new BincodeReader(new byte[] {2}).bool()).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("bool");
        assertThatThrownBy(() -> new BincodeReader(new byte[] {2}).optionTag()).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("Option tag 2");
        assertThatThrownBy(() -> new BincodeReader(new byte[] {9, 0, 0, 0}).enumIndex(5, "acks"))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("0 <= i < 5");
    }

    @Test
    void anIncompleteValueSaysWhatWasReadAndWhatRemainedWithoutAStackTrace() {
        BincodeReader shortInput = new BincodeReader(new byte[] {1, 2, 3});
        assertThatThrownBy(shortInput::u64).isInstanceOf(IncompleteFrameException.class)
                .hasMessage("unexpected end of input reading u64: needs 8 bytes, 3 remain at byte 0")
                .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());

        byte[] claim = new byte[12];
        claim[0] = (byte) 0xFF; // a length of 255 byte arrays in 4 remaining bytes
        BincodeReader overlong = new BincodeReader(claim);
        assertThatThrownBy(() -> overlong.length(1, "records")).isInstanceOf(IncompleteFrameException.class)
                .hasMessage("length 255 of records cannot fit in the 4 bytes that remain at byte 8");
        byte[] huge = new byte[8];
        java.util.Arrays.fill(huge, (byte) 0xFF);
        assertThatThrownBy(() -> new BincodeReader(huge).length(1, "values"))
                .hasMessageStartingWith("length 18446744073709551615 of values");
        assertThat(new IncompleteFrameException("empty request frame")).hasMessage("empty request frame");
    }
}
