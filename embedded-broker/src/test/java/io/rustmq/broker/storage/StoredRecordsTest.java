package io.rustmq.broker.storage;

import io.rustmq.client.protocol.FetchResponse;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.PreEncodedRecords;
import io.rustmq.client.protocol.RequestType;
import io.rustmq.client.protocol.WireHeader;
import io.rustmq.client.protocol.WireRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class StoredRecordsTest {
    private static final long BROKER_TIME = 1_700_000_000_123L;

    /** Records of many sizes, with and without keys and headers (a non-ASCII header name among them). */
    private static List<WireRecord> mixed(int n, Random random) {
        List<WireRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] value = new byte[random.nextInt(i % 50 == 0 ? 20_000 : 300)];
            random.nextBytes(value);
            byte[] key = i % 3 == 0 ? null : ("key-" + i).getBytes(StandardCharsets.UTF_8);
            List<WireHeader> headers = i % 4 == 0 ? List.of() : List.of(WireHeader.of("trace", "t" + i),
                    new WireHeader("naïve-" + i, new byte[i % 7]));
            records.add(new WireRecord(key, value, headers, i));
        }
        return records;
    }

    private static WireRecord withBrokerTime(WireRecord r) {
        return new WireRecord(r.key(), r.value(), r.headers(), BROKER_TIME);
    }

    @Test
    void recordsReadBackAsAppendedAcrossSegmentsIncludingOneLargerThanTheLargestSegment() {
        PartitionLog log = new PartitionLog("t", 0);
        List<WireRecord> appended = new ArrayList<>(mixed(3_000, new Random(7)));
        appended.add(1_234, new WireRecord(null, new byte[PartitionLog.MAX_SEGMENT_BYTES + 1_000], List.of(), 0));
        for (int from = 0; from < appended.size(); from += 100) {
            log.append(appended.subList(from, Math.min(from + 100, appended.size())), BROKER_TIME);
        }
        List<WireRecord> expected = appended.stream().map(StoredRecordsTest::withBrokerTime).toList();

        List<WireRecord> read = log.read(0, Long.MAX_VALUE);
        assertThat(read).isInstanceOf(StoredRecords.class).hasSize(expected.size()).isEqualTo(expected);
        for (int o = 0; o < expected.size(); o += 97) {
            assertThat(log.get(o)).isEqualTo(expected.get(o));
        }
        assertThat(log.retainedBytes()).isEqualTo(expected.stream().mapToLong(WireRecord::encodedSize).sum());
    }

    @Test
    void theFetchSizeEstimateOfAStoredRecordIsTheRecordsOwn() {
        PartitionLog log = new PartitionLog("t", 0);
        List<WireRecord> appended = mixed(200, new Random(11));
        log.append(appended, BROKER_TIME);
        long budget = 0;
        for (int n = 1; n <= appended.size(); n++) {
            budget += PartitionLog.sizeEstimate(appended.get(n - 1));
            assertThat(log.read(0, budget)).as("records within %d bytes", budget).hasSize(n);
            if (n > 1) {
                assertThat(log.read(0, budget - 1)).hasSize(n - 1);
            }
        }
    }

    @Test
    void aFetchResponseCopiesTheStoredBytesAndEqualsOneThatEncodesEachRecord() {
        PartitionLog log = new PartitionLog("t", 0);
        List<WireRecord> appended = mixed(2_000, new Random(3));
        for (int from = 0; from < appended.size(); from += 37) {
            log.append(appended.subList(from, Math.min(from + 37, appended.size())), BROKER_TIME);
        }
        List<WireRecord> stored = log.read(150, 400_000);
        assertThat(stored).isInstanceOf(PreEncodedRecords.class);
        List<WireRecord> decoded = new ArrayList<>(stored); // a plain list: encoded record by record

        byte[] copied = Frames.encodeResponse(new FetchResponse(stored, log.logEndOffset(), 0, null));
        byte[] encoded = Frames.encodeResponse(new FetchResponse(decoded, log.logEndOffset(), 0, null));

        assertThat(copied).isEqualTo(encoded);
        assertThat(((PreEncodedRecords) stored).encodedSize())
                .isEqualTo(decoded.stream().mapToLong(WireRecord::encodedSize).sum());
        FetchResponse back = (FetchResponse) Frames.decodeResponse(RequestType.FETCH, copied);
        assertThat(back.records()).isEqualTo(appended.subList(150, 150 + stored.size()).stream()
                .map(StoredRecordsTest::withBrokerTime).toList());
    }

    @Test
    void aReadKeepsItsRecordsAfterRetentionDropsThemFromTheLog() {
        PartitionLog log = new PartitionLog("t", 0);
        List<WireRecord> appended = mixed(500, new Random(5));
        log.append(appended, BROKER_TIME);
        List<WireRecord> read = log.read(0, Long.MAX_VALUE);
        log.truncateBefore(400);
        assertThat(log.logStartOffset()).isEqualTo(400);
        assertThat(read).hasSize(500).isEqualTo(appended.stream().map(StoredRecordsTest::withBrokerTime).toList());
        assertThat(log.retainedBytes()).isEqualTo(appended.subList(400, 500).stream()
                .mapToLong(WireRecord::encodedSize).sum());
    }
}
