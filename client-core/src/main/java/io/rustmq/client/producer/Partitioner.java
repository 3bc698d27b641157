package io.rustmq.client.producer;

/**
 * Chooses the partition of a message that names none. Called once per message on the sending thread, so it must be
 * fast and thread-safe; one instance may be shared by every producer built from the same {@link ProducerConfig}.
 *
 * <p>The default, {@link #DEFAULT}, is Kafka's: a keyed message goes to {@code (murmur2(key) & 0x7fffffff) mod
 * partitions}, so the same key lands on the same partition as it would in Kafka; a keyless message returns
 * {@link #UNASSIGNED}, which lets the producer stick to one partition until that partition's batch is sent and then
 * move to the next one (Kafka's sticky partitioning: full batches without skewing the spread over time).
 */
@FunctionalInterface
public interface Partitioner {
    /** Returned by {@link #partition} to let the producer pick a sticky partition. */
    int UNASSIGNED = -1;

    /** Kafka's default: murmur2 of the key, sticky partitions for keyless messages. */
    Partitioner DEFAULT = new Partitioner() {
        @Override
        public int partition(String topic, byte[] key, int partitionCount) {
            return key == null ? UNASSIGNED : keyHashPartition(key, partitionCount);
        }

        @Override
        public String toString() {
            return "Partitioner.DEFAULT";
        }
    };

    /**
     * Picks the partition for a message.
     *
     * @param topic the topic the message goes to
     * @param key the key, or {@code null} for a keyless message
     * @param partitionCount the topic's partition count, at least 1
     * @return a partition in {@code [0, partitionCount)}, or {@link #UNASSIGNED} for the producer's sticky choice;
     *     any other value fails the send
     */
    int partition(String topic, byte[] key, int partitionCount);

    /**
     * Kafka's partition for a key: {@code (murmur2(key) & 0x7fffffff) % partitionCount}.
     *
     * @param key the key bytes
     * @param partitionCount at least 1
     * @return the partition
     */
    static int keyHashPartition(byte[] key, int partitionCount) {
        return (murmur2(key) & 0x7fffffff) % partitionCount;
    }

    /**
     * The 32-bit murmur2 hash with Kafka's seed, byte for byte as Kafka's {@code Utils.murmur2}.
     *
     * @param data the bytes to hash
     * @return the hash (may be negative)
     */
    static int murmur2(byte[] data) {
        int length = data.length;
        final int m = 0x5bd1e995;
        final int r = 24;
        int h = 0x9747b28c ^ length;
        int length4 = length / 4;
        for (int i = 0; i < length4; i++) {
            int i4 = i * 4;
            int k = (data[i4] & 0xff) + ((data[i4 + 1] & 0xff) << 8) + ((data[i4 + 2] & 0xff) << 16)
                    + ((data[i4 + 3] & 0xff) << 24);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        int tail = length & ~3;
        switch (length % 4) {
            case 3:
                h ^= (data[tail + 2] & 0xff) << 16;
                // fall through
            case 2:
                h ^= (data[tail + 1] & 0xff) << 8;
                // fall through
            case 1:
                h ^= data[tail] & 0xff;
                h *= m;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }
}
