package io.rustmq.client.internal.consumer;

import io.rustmq.client.GroupCoordinationException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.protocol.CommitOffsetRequest;
import io.rustmq.client.protocol.CommitOffsetResponse;
import io.rustmq.client.protocol.FetchOffsetRequest;
import io.rustmq.client.protocol.FetchOffsetResponse;
import io.rustmq.client.protocol.TopicPartition;
import io.rustmq.client.internal.transport.ConnectionPool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Commits: sends each partition's gap-free committable offset (the first offset not acknowledged, tracked by its
 * {@link AckTracker}) with the member's current generation, skips partitions whose offset did not move, asks for a
 * rejoin when the group refuses the generation, and keeps the offsets of revoked partitions whose commit was refused
 * to commit them again after the next join. Commits are asynchronous: started from the member thread (auto-commit,
 * revocation) or the application's ({@code commit}), they complete on the transport's threads; the revoked-partition
 * retry list is touched by the member thread only.
 */
public final class OffsetCommitter {
    private static final System.Logger LOG = System.getLogger(OffsetCommitter.class.getName());

    private final SubscriptionState state;
    private final BrokerChannel broker;
    private final String group;
    private final Supplier<String> memberId;
    private final LongSupplier generation;
    private final Runnable requestRejoin;
    /** Revoked partitions whose commit was refused; committed again after the next join. Member thread only. */
    private final List<PartitionState> uncommittedRevoked = new ArrayList<>();
    private int uncommittedRevokedAttempts;

    /**
     * Creates the committer.
     *
     * @param state the shared state
     * @param broker the broker
     * @param memberId the member id to commit as
     * @param generation the generation to commit with
     * @param requestRejoin asks the membership to rejoin (a commit was refused for the generation)
     */
    public OffsetCommitter(SubscriptionState state, BrokerChannel broker, Supplier<String> memberId,
                           LongSupplier generation, Runnable requestRejoin) {
        this.state = state;
        this.broker = broker;
        this.group = state.group();
        this.memberId = memberId;
        this.generation = generation;
        this.requestRejoin = requestRejoin;
    }

    /**
     * Commits every assigned partition whose committable offset moved.
     *
     * @return completes when the broker stored them, or fails with its refusal or the transport's failure
     */
    public CompletableFuture<Void> commitAll() {
        return commit(state.snapshot());
    }

    /**
     * Commits some partitions.
     *
     * @param states the partitions
     * @return completes when stored; fails with a {@link GroupCoordinationException} when refused
     */
    public CompletableFuture<Void> commit(Collection<PartitionState> states) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        Map<PartitionState, Long> sent = new HashMap<>();
        state.lock();
        try {
            for (PartitionState s : states) {
                if (!s.active) {
                    continue;
                }
                long c = s.acks.committable();
                if (c != s.committed) {
                    offsets.put(s.tp, c);
                    sent.put(s, c);
                }
            }
        } finally {
            state.unlock();
        }
        if (offsets.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        long gen = generation.getAsLong();
        CompletableFuture<Void> result = new CompletableFuture<>();
        broker.sendWithRetry(new CommitOffsetRequest(group, memberId.get(), gen, offsets), CommitOffsetResponse.class)
                .whenComplete((r, e) -> {
                    if (e != null) {
                        result.completeExceptionally(ConnectionPool.unwrap(e));
                        return;
                    }
                    int code = r.errorCode();
                    if (code != 0) {
                        if (code == GroupCoordinationException.ILLEGAL_GENERATION
                                || code == GroupCoordinationException.UNKNOWN_GROUP
                                || code == GroupCoordinationException.UNKNOWN_MEMBER
                                || code == GroupCoordinationException.REBALANCE_IN_PROGRESS) {
                            requestRejoin.run();
                        }
                        result.completeExceptionally(new GroupCoordinationException("CommitOffset", group, code));
                        return;
                    }
                    sent.forEach((s, offset) -> s.committed = offset);
                    LOG.log(System.Logger.Level.DEBUG, () -> "group " + group + " generation " + gen
                            + " committed " + offsets);
                    result.complete(null);
                });
        return result;
    }

    /**
     * Member thread: commits revoked partitions, keeping them for after the next join if the group refused the
     * generation.
     *
     * @param states the revoked partitions
     */
    void commitRevoked(List<PartitionState> states) {
        try {
            BrokerChannel.await(commit(states));
        } catch (GroupCoordinationException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "group " + group + ": committing the offsets of revoked"
                    + " partitions " + states + " was refused (" + e.getMessage() + "); committing them again after"
                    + " the next join");
            uncommittedRevoked.addAll(states);
        } catch (RustMQException e) {
            LOG.log(System.Logger.Level.WARNING, "group " + group + ": committing the offsets of revoked partitions "
                    + states + " failed (" + e.getMessage() + "); their next owner may read acknowledged messages"
                    + " again");
        }
    }

    /** Member thread: whether revoked partitions wait for a commit with a newer generation. */
    boolean hasUncommittedRevoked() {
        return !uncommittedRevoked.isEmpty();
    }

    /**
     * Member thread, after a join: commits revoked partitions whose earlier commit was refused.
     *
     * @param lastChance whether this is the last try (on close)
     */
    void commitUncommittedRevoked(boolean lastChance) {
        if (uncommittedRevoked.isEmpty()) {
            return;
        }
        List<PartitionState> states = new ArrayList<>(uncommittedRevoked);
        uncommittedRevoked.clear();
        try {
            BrokerChannel.await(commit(states));
            uncommittedRevokedAttempts = 0;
        } catch (RustMQException e) {
            if (e instanceof GroupCoordinationException && !lastChance && ++uncommittedRevokedAttempts < 3) {
                uncommittedRevoked.addAll(states);
                return;
            }
            uncommittedRevokedAttempts = 0;
            LOG.log(System.Logger.Level.WARNING, "group " + group + ": committing the offsets of revoked partitions"
                    + " failed again (" + e.getMessage() + "); their next owner may read acknowledged messages again");
        }
    }

    /**
     * The group's committed offset for a partition. Blocks.
     *
     * @param tp the partition
     * @return the offset, empty if none
     * @throws GroupCoordinationException if the group refuses
     */
    public OptionalLong committed(TopicPartition tp) {
        FetchOffsetResponse r = BrokerChannel.await(broker.sendWithRetry(new FetchOffsetRequest(group, List.of(tp)),
                FetchOffsetResponse.class));
        if (r.errorCode() != 0 && r.errorCode() != GroupCoordinationException.UNKNOWN_GROUP) {
            throw new GroupCoordinationException("FetchOffset", group, r.errorCode());
        }
        Long offset = r.offsets().get(tp);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }
}
