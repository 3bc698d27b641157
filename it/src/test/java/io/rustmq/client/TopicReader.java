package io.rustmq.client;

import io.rustmq.client.protocol.FetchRequest;
import io.rustmq.client.protocol.FetchResponse;
import io.rustmq.client.protocol.WireRecord;
import io.rustmq.client.transport.ConnectionPool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

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
        List<WireRecord> out = new ArrayList<>();
        try {
            while (true) {
                FetchResponse r = (FetchResponse) pool.send(new FetchRequest(topic, partition, out.size(), 1 << 20, 0))
                        .get();
                if (r.records().isEmpty()) {
                    return out;
                }
                out.addAll(r.records());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw ConnectionPool.unwrap(e.getCause());
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
