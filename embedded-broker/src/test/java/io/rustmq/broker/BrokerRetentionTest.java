package io.rustmq.broker;

import io.rustmq.broker.network.QuicTestClient;
import io.rustmq.client.protocol.AcknowledgmentLevel;
import io.rustmq.client.protocol.FetchRequest;
import io.rustmq.client.protocol.FetchResponse;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.ProduceResponse;
import io.rustmq.client.protocol.WireRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Retention and the Fetch contract below the log start, through the real QUIC server on loopback. */
class BrokerRetentionTest {
    static final long LIMIT = 32 * 1024;
    static EmbeddedBroker broker;
    static QuicTestClient client;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.builder().port(0).retentionBytes(LIMIT).topicRetentionBytes("unbounded", -1)
                .topic("bounded", 1).topic("unbounded", 1).topic("helper", 1).build().start();
        client = QuicTestClient.connect(broker.address(), broker.certificatePem(), null);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    static ProduceResponse produce(String topic, List<WireRecord> records) throws Exception {
        return (ProduceResponse) client.request(new ProduceRequest(topic, 0, records, AcknowledgmentLevel.LEADER,
                5000));
    }

    static FetchResponse fetch(String topic, long offset) throws Exception {
        return (FetchResponse) client.request(new FetchRequest(topic, 0, offset, 1 << 20, 0));
    }

    static WireRecord rec(long i) {
        byte[] v = new byte[500];
        byte[] n = Long.toString(i).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, v, 0, n.length);
        return new WireRecord(null, v, List.of(), 0);
    }

    static long number(WireRecord r) {
        int end = 0;
        while (r.value()[end] != 0) {
            end++;
        }
        return Long.parseLong(new String(r.value(), 0, end, StandardCharsets.UTF_8));
    }

    @Test
    void producingThreeTimesTheRetentionKeepsRetainedBytesAtTheLimitAndEarliestStartsAtTheNewLogStart()
            throws Exception {
        long produced = 0;
        long next = 0;
        while (produced < 3 * LIMIT) {
            List<WireRecord> batch = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                WireRecord r = rec(next++);
                produced += r.encodedSize();
                batch.add(r);
            }
            produce("bounded", batch);
            assertThat(broker.topicRegistry().partition("bounded", 0).retainedBytes()).isLessThanOrEqualTo(LIMIT);
        }
        long start = broker.logStartOffset("bounded", 0);
        long end = broker.logEndOffset("bounded", 0);
        assertThat(end).isEqualTo(next);
        assertThat(start).isPositive();

        // a consumer at "earliest" fetches from offset 0: refused with the log start, then reads from there
        FetchResponse refused = fetch("bounded", 0);
        assertThat(refused.records()).isEmpty();
        assertThat(refused.highWatermark()).isEqualTo(end);
        assertThat(refused.errorCode()).isEqualTo(1);
        assertThat(refused.errorMessage()).isEqualTo("OffsetOutOfRange: log start " + start + ", high watermark "
                + end);
        FetchResponse fromStart = fetch("bounded", start);
        assertThat(fromStart.errorCode()).isZero();
        assertThat(fromStart.records()).hasSize((int) (end - start));
        assertThat(number(fromStart.records().get(0))).isEqualTo(start);

        // at and past the log end: empty and no error, as before
        FetchResponse atEnd = fetch("bounded", end);
        assertThat(atEnd.records()).isEmpty();
        assertThat(atEnd.errorCode()).isZero();
        assertThat(atEnd.errorMessage()).isNull();
        assertThat(atEnd.highWatermark()).isEqualTo(end);
    }

    @Test
    void aTopicsOwnRetentionOverridesTheBrokerDefault() throws Exception {
        for (int i = 0; i < 30; i++) {
            produce("unbounded", List.of(rec(4 * i), rec(4 * i + 1), rec(4 * i + 2), rec(4 * i + 3)));
        }
        assertThat(broker.logStartOffset("unbounded", 0)).isZero();
        assertThat(broker.topicRegistry().partition("unbounded", 0).retainedBytes()).isGreaterThan(LIMIT);
        assertThat(fetch("unbounded", 0).records()).hasSize(120);
    }

    @Test
    void truncateBeforeGivesTestsALogStartAboveZero() throws Exception {
        List<WireRecord> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(rec(i));
        }
        produce("helper", batch);
        assertThat(broker.truncateBefore("helper", 0, 7)).isEqualTo(7);
        assertThat(broker.logStartOffset("helper", 0)).isEqualTo(7);
        assertThat(fetch("helper", 6).errorMessage()).isEqualTo("OffsetOutOfRange: log start 7, high watermark 10");
        assertThat(number(fetch("helper", 7).records().get(0))).isEqualTo(7);
        assertThat(broker.logStartOffset("no-such-topic", 0)).isZero();
    }
}
