package io.rustmq.client.producer;

/**
 * Chooses a partition for a message that names none: keyed messages go to {@code murmur2(key) mod partitions}, as
 * Kafka's default partitioner does (so the same key lands on the same partition in both systems); keyless messages
 * stick to one partition per batch and then move on (round robin across batches).
 */
public final class Partitioner {
    private int sticky = -1;

    /**
     * Picks the partition for a message.
     *
     * @param key the key, or {@code null}
     * @param partitions the topic's partition count, at least 1
     * @return a partition in {@code [0, partitions)}
     */
    public int partition(byte[] key, int partitions) {
        if (key != null) {
            return (murmur2(key) & 0x7fffffff) % partitions;
        }
        synchronized (this) {
            if (sticky < 0 || sticky >= partitions) {
                sticky = 0;
            }
            return sticky;
        }
    }

    /**
     * Moves keyless messages to the next partition; called when a batch for the sticky partition was sent.
     *
     * @param partitions the topic's partition count
     */
    public synchronized void nextBatch(int partitions) {
        sticky = (sticky + 1) % partitions;
    }

    /**
     * The 32-bit murmur2 hash with Kafka's seed, byte for byte as Kafka's {@code Utils.murmur2}.
     *
     * @param data the bytes to hash
     * @return the hash (may be negative)
     */
    public static int murmur2(byte[] data) {
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
