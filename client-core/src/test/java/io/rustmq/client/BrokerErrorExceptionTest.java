package io.rustmq.client;

import io.rustmq.client.BrokerErrorException.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerErrorExceptionTest {

    @ParameterizedTest(name = "{0} -> {1}, retriable {2}")
    @CsvSource(delimiter = '|', value = {
        "Error: Not leader for partition: orders:3                         | NOT_LEADER            | true",
        "Error: Partition not found: orders:0                              | PARTITION_NOT_FOUND   | true",
        "Error: Serialization error: io error: unexpected end of file      | TRUNCATED_REQUEST     | true",
        "'Error: Serialization error: io error: '                          | TRUNCATED_REQUEST     | true",
        "Error: Serialization error: tag for enum is not valid, found 2    | MALFORMED_REQUEST     | false",
        "Error: OutOfOrderSequence: expected 5, got 7                      | OUT_OF_ORDER_SEQUENCE | true",
        "Error: DuplicateSequence: 3 is below 5 and no longer remembered   | DUPLICATE_SEQUENCE    | false",
        "Error: OffsetOutOfRange: offset 99 is past the high watermark 10  | OFFSET_OUT_OF_RANGE   | false",
        "Failed to fetch records                                           | FETCH_FAILED          | true",
        "Error: Request too large: the request frame exceeds 1024 bytes    | REQUEST_TOO_LARGE     | false",
        "Error: Wal error: disk full                                       | STORAGE               | true",
        "Error: IO error: broken pipe                                      | STORAGE               | true",
        "Error: Storage error: segment missing                             | STORAGE               | true",
        "Error: Configuration error: Broker core not initialized           | NOT_READY             | true",
        "Error: Authorization denied: principal 'x' lacks 'Write' on 't'   | AUTHORIZATION_DENIED  | false",
        "Error: Internal error: java.lang.NullPointerException             | UNKNOWN               | false",
        "something new                                                     | UNKNOWN               | false",
    })
    void everyBrokerErrorTextIsClassifiedByTheOneTable(String text, Kind kind, boolean retriable) {
        BrokerErrorException e = new BrokerErrorException(text);

        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.isRetriable()).isEqualTo(retriable);
        assertThat(Kind.of(text)).isEqualTo(kind);
        assertThat(kind.retriable()).isEqualTo(retriable);
    }

    @Test
    void onlyMovedPartitionsCallForAMetadataRefresh() {
        assertThat(Kind.NOT_LEADER.staleRouting()).isTrue();
        assertThat(Kind.PARTITION_NOT_FOUND.staleRouting()).isTrue();
        assertThat(Kind.OUT_OF_ORDER_SEQUENCE.staleRouting()).isFalse();
        assertThat(Kind.FETCH_FAILED.staleRouting()).isFalse();
    }

    @Test
    void messageCarriesTheBrokersTextAfterOnePrefix() {
        BrokerErrorException e = new BrokerErrorException("Error: Partition not found: orders:0");

        assertThat(e).hasMessage("Broker error: Partition not found: orders:0");
        assertThat(e.brokerMessage()).isEqualTo("Error: Partition not found: orders:0");
        assertThat(new BrokerErrorException("no prefix here")).hasMessage("Broker error: no prefix here");
        assertThat(Kind.of(null)).isEqualTo(Kind.UNKNOWN);
    }
}
