package io.rustmq.client;

import io.rustmq.client.protocol.FetchRequest;
import io.rustmq.client.protocol.FetchResponse;
import io.rustmq.client.protocol.WireRecord;
import io.rustmq.client.internal.transport.ConnectionPool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Reads whole partitions with raw Fetch requests, independently of the consumer under test. */
public final class TopicReader implements AutoCloseable {
    private final ConnectionPool pool;

    /**
     * Opens a connection pool for reading.
     *
     * @param config the client configuration
     */
    public TopicReader(ClientConfig config) {
        this.pool = ConnectionPool.create(config);
    }

    /**
     * Every record of a partition, in offset order.
     *
     * @param topic the topic
     * @param partition the partition
     * @return the records (record i has offset i)
     */
    public List<WireRecord> readAll(String topic, int partition) {
        return readAll(pool, topic, partition);
    }

    /**
     * Every record of a partition, read with raw Fetch requests from offset 0 to the high watermark.
     *
     * @param pool the connections to read through
     * @param topic the topic
     * @param partition the partition
     * @return the records (record i has offset i)
     */
    public static List<WireRecord> readAll(ConnectionPool pool, String topic, int partition) {
        List<WireRecord> out = new ArrayList<>();
        long highWatermark = Long.MAX_VALUE;
        try {
            while (out.size() < highWatermark) {
                FetchResponse r = (FetchResponse) pool.send(new FetchRequest(topic, partition, out.size(), 16 << 20, 0))
                        .get(30, TimeUnit.SECONDS);
                highWatermark = r.highWatermark();
                if (r.records().isEmpty()) {
                    break;
                }
                out.addAll(r.records());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw ConnectionPool.unwrap(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no Fetch response within 30 s for " + topic + "-" + partition, e);
        }
    }

    /**
     * Every record of every partition of a topic, partition by partition.
     *
     * @param topic the topic
     * @param partitions the partition count
     * @return the records
     */
    public List<List<WireRecord>> readTopic(String topic, int partitions) {
        List<List<WireRecord>> out = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            out.add(readAll(topic, p));
        }
        return out;
    }

    @Override
    public void close() {
        pool.close();
    }
}
