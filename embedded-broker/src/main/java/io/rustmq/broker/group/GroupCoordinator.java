package io.rustmq.broker.group;

import io.rustmq.client.protocol.FetchOffsetResponse;
import io.rustmq.client.protocol.JoinGroupResponse;
import io.rustmq.client.protocol.TopicPartition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

/**
 * Consumer-group coordination (spec §6.5–6.9 and §8, with the fixes of DESIGN §4): single-step joins that return
 * the whole assignment, heartbeats, committed offsets and leaves, plus {@link #evictExpired()} for the reaper.
 *
 * <p>Differences from the shipped broker, so that groups converge: a rejoin by a known member with the same topics
 * on a Stable group keeps the generation and the assignment; only a member's subscribed topics are assigned to it;
 * partitions are dealt deterministically (members sorted by id, round-robin per topic) and the leader is the first
 * member id in sorted order.
 *
 * <p>Independent of any network server, so that several brokers can share one coordinator. Thread-safe: each
 * group is guarded by its own monitor. Time comes from an injected clock, so tests need no sleeps.
 */
public final class GroupCoordinator {
    /** Error code: the group is unknown. */
    public static final int GROUP_NOT_FOUND = 16;
    /** Error code: the generation does not match the group's. */
    public static final int ILLEGAL_GENERATION = 22;
    /** Error code: the member is not in the group. */
    public static final int UNKNOWN_MEMBER = 25;
    /** Error code: the group is rebalancing; rejoin. */
    public static final int REBALANCE_IN_PROGRESS = 27;

    private static final System.Logger LOG = System.getLogger(GroupCoordinator.class.getName());

    private final ToIntFunction<String> partitionCounts;
    private final LongSupplier clockMillis;
    private final ConcurrentHashMap<String, Group> groups = new ConcurrentHashMap<>();
    private volatile CommitListener commitListener;

    /** Is told about every stored commit, under the group's lock, in commit order (for a log directory). */
    @FunctionalInterface
    public interface CommitListener {
        /**
         * Offsets were committed.
         *
         * @param groupId the group
         * @param offsets partition to committed offset
         * @throws RuntimeException to fail the commit request (the offsets stay stored in memory)
         */
        void committed(String groupId, Map<TopicPartition, Long> offsets);
    }

    /**
     * Creates a coordinator.
     *
     * @param partitionCounts gives a topic's partition count (0 for an unknown topic, whose partitions are then not
     *     assigned)
     * @param clockMillis the clock for session timeouts, in milliseconds (any epoch; only differences matter)
     */
    public GroupCoordinator(ToIntFunction<String> partitionCounts, LongSupplier clockMillis) {
        this.partitionCounts = Objects.requireNonNull(partitionCounts, "partitionCounts");
        this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
    }

    /**
     * Sets the listener told about commits from now on.
     *
     * @param listener the listener, or {@code null}
     */
    public void commitListener(CommitListener listener) {
        this.commitListener = listener;
    }

    /**
     * Restores committed offsets read back at start, creating the group (Empty, generation 0) if needed.
     *
     * @param groupId the group
     * @param offsets partition to committed offset
     */
    public void restoreOffsets(String groupId, Map<TopicPartition, Long> offsets) {
        Group g = groups.computeIfAbsent(groupId, Group::new);
        synchronized (g) {
            g.offsets.putAll(offsets);
        }
    }

    /**
     * Every group's committed offsets, for compacting a log directory.
     *
     * @return group id to (partition to offset), a snapshot
     */
    public Map<String, Map<TopicPartition, Long>> committedOffsets() {
        Map<String, Map<TopicPartition, Long>> out = new TreeMap<>();
        for (Group g : groups.values()) {
            synchronized (g) {
                if (!g.offsets.isEmpty()) {
                    out.put(g.id, Map.copyOf(g.offsets));
                }
            }
        }
        return out;
    }

    /** The group states of spec §8. */
    public enum State {
        /** No members. */
        EMPTY,
        /** Members and an assignment. */
        STABLE,
        /** A member left or was evicted; members must rejoin. */
        PREPARING_REBALANCE
    }

    /**
     * Joins (or rejoins) a group, creating the group if needed.
     *
     * @param groupId the group
     * @param memberId the member id, or empty to get a new UUID v4
     * @param sessionTimeoutMs the session timeout, an unsigned {@code u32} in milliseconds
     * @param topics the subscribed topics (order and repeats do not matter)
     * @return the generation, the member's id, the leader and the complete assignment of all members
     */
    public JoinGroupResponse join(String groupId, String memberId, int sessionTimeoutMs, List<String> topics) {
        Group g = groups.computeIfAbsent(groupId, Group::new);
        String id = memberId.isEmpty() ? UUID.randomUUID().toString() : memberId;
        Set<String> subscribed = new TreeSet<>(topics);
        long now = clockMillis.getAsLong();
        synchronized (g) {
            Member known = g.members.get(id);
            boolean sameMember = known != null && known.topics.equals(subscribed);
            Member m = known != null && sameMember ? known : new Member(id, subscribed);
            m.sessionTimeoutMs = Integer.toUnsignedLong(sessionTimeoutMs);
            m.lastRefreshMs = now;
            g.members.put(id, m);
            Map<String, List<TopicPartition>> assignment = assign(g.members.values());
            switch (g.state) {
                case STABLE:
                    if (sameMember) {
                        // Known member, same topics: keep the generation unless the partitions changed meanwhile.
                        if (!assignment.equals(g.assignment)) {
                            g.generation++;
                        }
                        break;
                    }
                    g.generation++;
                    break;
                case EMPTY:
                    g.generation++;
                    break;
                case PREPARING_REBALANCE:
                default:
                    break;
            }
            g.assignment = assignment;
            g.state = State.STABLE;
            return new JoinGroupResponse(g.generation, id, g.members.firstKey(), assignment, 0);
        }
    }

    /**
     * A heartbeat. Checks in spec order: unknown group 16, rebalancing 27, wrong generation 22, unknown member 25;
     * otherwise refreshes the member's session.
     *
     * @param groupId the group
     * @param memberId the member
     * @param generationId the member's generation
     * @return 0, 16, 27, 22 or 25
     */
    public int heartbeat(String groupId, String memberId, long generationId) {
        Group g = groups.get(groupId);
        if (g == null) {
            return GROUP_NOT_FOUND;
        }
        synchronized (g) {
            if (g.state == State.PREPARING_REBALANCE) {
                return REBALANCE_IN_PROGRESS;
            }
            if (generationId != g.generation) {
                return ILLEGAL_GENERATION;
            }
            Member m = g.members.get(memberId);
            if (m == null) {
                return UNKNOWN_MEMBER;
            }
            m.lastRefreshMs = clockMillis.getAsLong();
            return 0;
        }
    }

    /**
     * Stores committed offsets (opaque {@code u64} values, any order, an empty map is fine). The member id is not
     * checked, as on the shipped broker.
     *
     * @param groupId the group
     * @param memberId the member (not checked)
     * @param generationId the member's generation
     * @param offsets partition to offset
     * @return 0, 16 for an unknown group or 22 for a wrong generation
     */
    public int commit(String groupId, String memberId, long generationId, Map<TopicPartition, Long> offsets) {
        Group g = groups.get(groupId);
        if (g == null) {
            return GROUP_NOT_FOUND;
        }
        synchronized (g) {
            if (generationId != g.generation) {
                return ILLEGAL_GENERATION;
            }
            g.offsets.putAll(offsets);
            CommitListener l = commitListener;
            if (l != null && !offsets.isEmpty()) {
                l.committed(groupId, offsets);
            }
            return 0;
        }
    }

    /**
     * Reads committed offsets.
     *
     * @param groupId the group
     * @param partitions the partitions wanted
     * @return the requested partitions that have a commit, with error 0; an empty map with 16 for an unknown group
     */
    public FetchOffsetResponse fetchOffsets(String groupId, List<TopicPartition> partitions) {
        Group g = groups.get(groupId);
        if (g == null) {
            return new FetchOffsetResponse(Map.of(), GROUP_NOT_FOUND);
        }
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        synchronized (g) {
            for (TopicPartition tp : partitions) {
                Long o = g.offsets.get(tp);
                if (o != null) {
                    out.put(tp, o);
                }
            }
        }
        return new FetchOffsetResponse(Collections.unmodifiableMap(out), 0);
    }

    /**
     * Leaves a group. The member is removed whether or not it was one; if members remain the group rebalances
     * (generation + 1, assignment cleared), otherwise it becomes Empty with its generation unchanged.
     *
     * @param groupId the group
     * @param memberId the member
     * @return 0, or 16 for an unknown group
     */
    public int leave(String groupId, String memberId) {
        Group g = groups.get(groupId);
        if (g == null) {
            return GROUP_NOT_FOUND;
        }
        synchronized (g) {
            g.members.remove(memberId);
            g.afterRemoval();
            return 0;
        }
    }

    /**
     * Evicts every member whose last refresh (join, or heartbeat answered 0) is older than its session timeout, with
     * the same transitions as {@link #leave} (one generation step per group, however many members it lost). The
     * broker calls this every second.
     *
     * @return how many members were evicted
     */
    public int evictExpired() {
        long now = clockMillis.getAsLong();
        int evicted = 0;
        for (Group g : groups.values()) {
            synchronized (g) {
                if (g.state == State.EMPTY) {
                    continue;
                }
                int before = g.members.size();
                g.members.values().removeIf(m -> now - m.lastRefreshMs > m.sessionTimeoutMs);
                int gone = before - g.members.size();
                if (gone > 0) {
                    evicted += gone;
                    LOG.log(System.Logger.Level.DEBUG, "group {0}: evicted {1} expired member(s)", g.id, gone);
                    g.afterRemoval();
                }
            }
        }
        return evicted;
    }

    /**
     * A snapshot of a group, for tests and diagnostics.
     *
     * @param groupId the group
     * @return the snapshot, or {@code null} if the group is unknown
     */
    public GroupSnapshot describe(String groupId) {
        Group g = groups.get(groupId);
        if (g == null) {
            return null;
        }
        synchronized (g) {
            return new GroupSnapshot(g.id, g.state, g.generation, List.copyOf(g.members.keySet()),
                    g.assignment, Map.copyOf(g.offsets));
        }
    }

    /**
     * An immutable view of a group.
     *
     * @param groupId the group id
     * @param state its state
     * @param generation its generation
     * @param members member ids, sorted
     * @param assignment member id to partitions (members with nothing are absent)
     * @param committedOffsets partition to committed offset
     */
    public record GroupSnapshot(String groupId, State state, long generation, List<String> members,
                                Map<String, List<TopicPartition>> assignment,
                                Map<TopicPartition, Long> committedOffsets) {
    }

    /**
     * Deals partitions: for each subscribed topic (sorted), partition {@code p} goes to the {@code p mod n}-th of
     * the {@code n} members subscribed to it, members sorted by id.
     */
    private Map<String, List<TopicPartition>> assign(Collection<Member> sortedMembers) {
        TreeMap<String, List<String>> subscribers = new TreeMap<>();
        for (Member m : sortedMembers) {
            for (String t : m.topics) {
                subscribers.computeIfAbsent(t, k -> new ArrayList<>()).add(m.id);
            }
        }
        Map<String, List<TopicPartition>> byMember = new HashMap<>();
        for (Map.Entry<String, List<String>> e : subscribers.entrySet()) {
            int count = Math.max(0, partitionCounts.applyAsInt(e.getKey()));
            List<String> ms = e.getValue();
            for (int p = 0; p < count; p++) {
                byMember.computeIfAbsent(ms.get(p % ms.size()), k -> new ArrayList<>())
                        .add(new TopicPartition(e.getKey(), p));
            }
        }
        Map<String, List<TopicPartition>> out = new LinkedHashMap<>();
        for (Member m : sortedMembers) {
            List<TopicPartition> tps = byMember.get(m.id);
            if (tps != null) {
                out.put(m.id, List.copyOf(tps));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static final class Member {
        final String id;
        final Set<String> topics;
        long sessionTimeoutMs;
        long lastRefreshMs;

        Member(String id, Set<String> topics) {
            this.id = id;
            this.topics = topics;
        }
    }

    private static final class Group {
        final String id;
        State state = State.EMPTY;
        long generation;
        final TreeMap<String, Member> members = new TreeMap<>();
        Map<String, List<TopicPartition>> assignment = Map.of();
        final Map<TopicPartition, Long> offsets = new HashMap<>();

        Group(String id) {
            this.id = id;
        }

        void afterRemoval() {
            assignment = Map.of();
            if (members.isEmpty()) {
                state = State.EMPTY;
            } else {
                state = State.PREPARING_REBALANCE;
                generation++;
            }
        }
    }
}
