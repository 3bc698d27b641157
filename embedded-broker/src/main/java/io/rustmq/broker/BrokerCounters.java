package io.rustmq.broker;

import io.rustmq.client.protocol.FetchRequest;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.Request;
import io.rustmq.client.protocol.RequestType;
import io.rustmq.client.protocol.TopicPartition;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of the requests one broker received, so that tests can check where a client sent what: requests by type,
 * Produce and Fetch requests by partition, and Produce requests refused with "Not leader for partition". Every
 * decoded request counts once, whatever its outcome. Thread-safe; counts only grow, until {@link #reset()}.
 */
public final class BrokerCounters {
    private final LongAdder[] byType = new LongAdder[RequestType.values().length];
    private final ConcurrentHashMap<TopicPartition, LongAdder> produce = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TopicPartition, LongAdder> fetch = new ConcurrentHashMap<>();
    private final LongAdder notLeader = new LongAdder();

    /** Creates counters at zero. */
    public BrokerCounters() {
        for (int i = 0; i < byType.length; i++) {
            byType[i] = new LongAdder();
        }
    }

    /**
     * Requests of one type received.
     *
     * @param type the request type
     * @return the count
     */
    public long requests(RequestType type) {
        return byType[type.ordinal()].sum();
    }

    /**
     * Produce requests received for one partition (accepted or refused).
     *
     * @param topic the topic
     * @param partition the partition
     * @return the count
     */
    public long produceRequests(String topic, int partition) {
        LongAdder a = produce.get(new TopicPartition(topic, partition));
        return a == null ? 0 : a.sum();
    }

    /**
     * Produce requests received, by partition.
     *
     * @return an immutable snapshot, sorted by topic and partition, of partitions with at least one request
     */
    public Map<TopicPartition, Long> produceRequests() {
        return snapshot(produce);
    }

    /**
     * Fetch requests received for one partition.
     *
     * @param topic the topic
     * @param partition the partition
     * @return the count
     */
    public long fetchRequests(String topic, int partition) {
        LongAdder a = fetch.get(new TopicPartition(topic, partition));
        return a == null ? 0 : a.sum();
    }

    /**
     * Fetch requests received, by partition.
     *
     * @return an immutable snapshot, sorted by topic and partition
     */
    public Map<TopicPartition, Long> fetchRequests() {
        return snapshot(fetch);
    }

    /**
     * Produce requests refused because this broker does not lead the partition.
     *
     * @return the count
     */
    public long notLeaderErrors() {
        return notLeader.sum();
    }

    /** Sets every count to zero. Counts of requests being handled meanwhile may or may not be kept. */
    public void reset() {
        for (LongAdder a : byType) {
            a.reset();
        }
        produce.clear();
        fetch.clear();
        notLeader.reset();
    }

    void onRequest(Request r) {
        byType[r.type().ordinal()].increment();
        if (r instanceof ProduceRequest p) {
            increment(produce, new TopicPartition(p.topic(), p.partitionId()));
        } else if (r instanceof FetchRequest f) {
            increment(fetch, new TopicPartition(f.topic(), f.partitionId()));
        }
    }

    void onNotLeader() {
        notLeader.increment();
    }

    private static void increment(ConcurrentHashMap<TopicPartition, LongAdder> m, TopicPartition tp) {
        LongAdder a = m.get(tp);
        if (a == null) {
            a = m.computeIfAbsent(tp, k -> new LongAdder());
        }
        a.increment();
    }

    private static Map<TopicPartition, Long> snapshot(ConcurrentHashMap<TopicPartition, LongAdder> m) {
        TreeMap<TopicPartition, Long> out = new TreeMap<>((a, b) -> a.topic().equals(b.topic())
                ? Integer.compareUnsigned(a.partition(), b.partition()) : a.topic().compareTo(b.topic()));
        m.forEach((k, v) -> out.put(k, v.sum()));
        return java.util.Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return "BrokerCounters{produce=" + produceRequests() + ", fetch=" + fetchRequests() + ", notLeader="
                + notLeaderErrors() + "}";
    }
}
