package io.rustmq.broker.storage;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The set of topics and their partition logs, kept in memory. Independent of any network server, so that several
 * brokers can share one registry. Thread-safe.
 */
public final class TopicRegistry {
    /** The largest partition count a topic may have. */
    public static final int MAX_PARTITIONS = 10_000;

    /**
     * Checks a topic definition for a builder: a non-empty name and 1 to {@value #MAX_PARTITIONS} partitions.
     *
     * @param name the topic name
     * @param partitions its partition count
     * @throws IllegalArgumentException naming what is wrong
     */
    public static void checkTopic(String name, int partitions) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("topic name must not be empty");
        }
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("topic '" + name + "' partitions must be 1 to " + MAX_PARTITIONS
                    + ", got " + partitions);
        }
    }

    /**
     * Checks the partition count of automatically created topics for a builder.
     *
     * @param defaultPartitions the count
     * @throws IllegalArgumentException if not 1 to {@value #MAX_PARTITIONS}
     */
    public static void checkDefaultPartitions(int defaultPartitions) {
        if (defaultPartitions < 1 || defaultPartitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("defaultPartitions must be 1 to " + MAX_PARTITIONS + ", got "
                    + defaultPartitions);
        }
    }

    private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();
    private final RetentionPolicy defaultRetention;
    private final Map<String, RetentionPolicy> topicRetention;
    private volatile TopicListener listener;

    /** Is told about each topic as it is created, before other threads can see it (for a log directory). */
    @FunctionalInterface
    public interface TopicListener {
        /**
         * A topic was created (its partition logs are empty); may fill them from disk and attach sinks.
         *
         * @param topic the new topic
         * @throws RuntimeException to refuse the topic (it is then not created)
         */
        void created(Topic topic);
    }

    /** Creates an empty registry whose partitions keep every record. */
    public TopicRegistry() {
        this(RetentionPolicy.KEEP_ALL, Map.of());
    }

    /**
     * Creates an empty registry with retention.
     *
     * @param defaultRetention the policy of topics without their own
     * @param topicRetention topic name to its own policy (also for topics created later)
     */
    public TopicRegistry(RetentionPolicy defaultRetention, Map<String, RetentionPolicy> topicRetention) {
        this.defaultRetention = java.util.Objects.requireNonNull(defaultRetention, "defaultRetention");
        this.topicRetention = Map.copyOf(topicRetention);
    }

    /**
     * Sets the listener told about topics created from now on.
     *
     * @param listener the listener, or {@code null}
     */
    public void listener(TopicListener listener) {
        this.listener = listener;
    }

    /**
     * The retention policy a topic of this name gets.
     *
     * @param topic the topic name
     * @return its own policy, else the default
     */
    public RetentionPolicy retention(String topic) {
        return topicRetention.getOrDefault(topic, defaultRetention);
    }

    /**
     * The policy of topics without their own.
     *
     * @return the default policy
     */
    public RetentionPolicy defaultRetention() {
        return defaultRetention;
    }

    /**
     * Applies every partition's age limit (see {@link PartitionLog#enforceRetention(long)}).
     *
     * @param nowMs the wall-clock time in epoch milliseconds
     * @return how many records were dropped
     */
    public long enforceRetention(long nowMs) {
        long dropped = 0;
        for (Topic t : topics.values()) {
            for (PartitionLog log : t.partitions()) {
                dropped += log.enforceRetention(nowMs);
            }
        }
        return dropped;
    }

    /**
     * Totals over every partition, for the broker's statistics line.
     *
     * @param partitions how many partitions
     * @param records records retained (log end minus log start, summed)
     * @param bytes bytes retained ({@link PartitionLog#retainedBytes()} summed)
     */
    public record Usage(int partitions, long records, long bytes) {
    }

    /**
     * What every partition retains now.
     *
     * @return the totals
     */
    public Usage usage() {
        int partitions = 0;
        long records = 0;
        long bytes = 0;
        for (Topic t : topics.values()) {
            for (PartitionLog log : t.partitions()) {
                partitions++;
                bytes += log.retainedBytes();
                records += log.logEndOffset() - log.logStartOffset();
            }
        }
        return new Usage(partitions, records, bytes);
    }

    /**
     * Creates a topic, or returns the existing one if it has the same partition count.
     *
     * @param name the topic name, not empty
     * @param partitions the partition count, 1 to {@value #MAX_PARTITIONS}
     * @return the topic
     * @throws IllegalArgumentException if the name is empty, the count is out of range, or the topic already
     *     exists with another partition count
     */
    public Topic create(String name, int partitions) {
        validate(name, partitions);
        Topic t = topics.computeIfAbsent(name, n -> newTopic(n, partitions));
        if (t.partitionCount() != partitions) {
            throw new IllegalArgumentException("topic '" + name + "' already exists with " + t.partitionCount()
                    + " partitions, not " + partitions);
        }
        return t;
    }

    /**
     * Returns a topic, creating it with {@code partitions} partitions if it does not exist. An existing topic is
     * returned whatever its partition count.
     *
     * @param name the topic name, not empty
     * @param partitions the partition count for a new topic, 1 to {@value #MAX_PARTITIONS}
     * @return the topic
     * @throws IllegalArgumentException if the name is empty or the count is out of range
     */
    public Topic getOrCreate(String name, int partitions) {
        Topic t = topics.get(name);
        if (t != null) {
            return t;
        }
        validate(name, partitions);
        return topics.computeIfAbsent(name, n -> newTopic(n, partitions));
    }

    private Topic newTopic(String name, int partitions) {
        Topic t = new Topic(name, partitions, retention(name));
        TopicListener l = listener;
        if (l != null) {
            l.created(t);
        }
        return t;
    }

    /**
     * Looks a topic up.
     *
     * @param name the topic name
     * @return the topic, or {@code null} if unknown
     */
    public Topic get(String name) {
        return topics.get(name);
    }

    /**
     * Looks a partition log up.
     *
     * @param topic the topic name
     * @param partition the partition number
     * @return the log, or {@code null} if the topic or partition is unknown
     */
    public PartitionLog partition(String topic, int partition) {
        Topic t = topics.get(topic);
        return t == null ? null : t.partition(partition);
    }

    /**
     * The partition count of a topic.
     *
     * @param topic the topic name
     * @return the count, or 0 if the topic is unknown
     */
    public int partitionCount(String topic) {
        Topic t = topics.get(topic);
        return t == null ? 0 : t.partitionCount();
    }

    /**
     * A snapshot of all topics, sorted by name.
     *
     * @return an immutable list
     */
    public List<Topic> topics() {
        return List.copyOf(new TreeMap<>(topics).values());
    }

    /**
     * A snapshot of topic names and partition counts, sorted by name.
     *
     * @return an immutable map, name to partition count
     */
    public Map<String, Integer> partitionCounts() {
        TreeMap<String, Integer> m = new TreeMap<>();
        topics.forEach((n, t) -> m.put(n, t.partitionCount()));
        return Collections.unmodifiableMap(m);
    }

    private static void validate(String name, int partitions) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("topic name must not be empty");
        }
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("partitions of topic '" + name + "' must be 1 to " + MAX_PARTITIONS
                    + ", got " + partitions);
        }
    }
}
