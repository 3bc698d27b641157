package io.rustmq.client.internal.consumer;

import io.rustmq.client.GroupCoordinationException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.consumer.RebalanceListener;
import io.rustmq.client.protocol.ConsumerHeartbeatRequest;
import io.rustmq.client.protocol.ConsumerHeartbeatResponse;
import io.rustmq.client.protocol.JoinGroupRequest;
import io.rustmq.client.protocol.JoinGroupResponse;
import io.rustmq.client.protocol.LeaveGroupRequest;
import io.rustmq.client.protocol.LeaveGroupResponse;
import io.rustmq.client.protocol.TopicPartition;
import io.rustmq.client.internal.transport.Backoff;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Group membership (DESIGN §4): join, heartbeat, rebalance, leave. Two threads. The <b>member thread</b> joins and
 * rejoins (after a jittered delay when the group asks), revokes partitions that moved away (listener, a short grace
 * for outstanding acknowledgments, commit, release), auto-commits, resolves the start offsets of new partitions
 * after the hand-over delay, restarts idle fetches, and on close revokes everything and leaves. The <b>heartbeat
 * thread</b> sends a heartbeat every {@code heartbeatInterval}, one attempt with a timeout of one interval, so
 * heartbeats are never stuck behind a commit, a revocation or an offset lookup on the member thread; the first
 * heartbeat after a join comes one interval after it. A heartbeat
 * that fails or times out is not a success: when no heartbeat has succeeded for {@code sessionTimeout}, the session
 * may have lapsed, so delivery stops until the member has rejoined.
 *
 * <p>Partitions handed over while other members exist are read only after {@code handoverDelay}, the time their
 * previous owner needs to notice the rebalance (one heartbeat) and commit: the protocol has no synchronisation
 * barrier, and reading at once would deliver again what the previous owner acknowledged.
 */
public final class GroupMembership {
    private static final System.Logger LOG = System.getLogger(GroupMembership.class.getName());
    private static final long MAX_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The member id and the generation it joined, read together. */
    private record Member(String id, long generation) {
    }

    private final SubscriptionState state;
    private final BrokerChannel broker;
    private final Fetcher fetcher;
    private final OffsetCommitter committer;
    private final DeadLetterer deadLetterer;
    private final RebalanceListener listener;
    private final String group;
    private final List<String> topics;
    private final int sessionMs;
    private final long sessionNanos;
    private final long heartbeatNanos;
    private final long handoverDelayNanos;
    private final long graceNanos;
    private final long pollNanos;
    private final boolean autoCommit;
    private final long autoCommitNanos;
    private final Backoff backoff;
    private final Semaphore wakeup = new Semaphore(0);
    private final Thread memberThread;
    private final ScheduledExecutorService heartbeats;
    private final LongAdder heartbeatsSent = new LongAdder();
    private final LongAdder heartbeatsFailed = new LongAdder();
    /** The scheduled heartbeat; guarded by this object's monitor. */
    private ScheduledFuture<?> nextHeartbeat;
    private volatile Member member = new Member("", -1);
    private volatile boolean rejoinRequested = true;
    private volatile long rejoinAtNanos = System.nanoTime();
    /** When the last successful heartbeat (or join) was sent. */
    private volatile long lastRefreshNanos = System.nanoTime();

    /**
     * Creates the membership; {@link #start()} starts its threads.
     *
     * @param state the shared state
     * @param broker the broker
     * @param fetcher restarts idle fetches and resolves positions
     * @param deadLetterer flushed on close; {@code null} without a dead-letter topic
     * @param settings the group settings
     * @param threads where the member and heartbeat threads come from
     */
    public GroupMembership(SubscriptionState state, BrokerChannel broker, Fetcher fetcher, DeadLetterer deadLetterer,
                           Settings settings, ConsumerThreads threads) {
        this.state = state;
        this.broker = broker;
        this.fetcher = fetcher;
        this.deadLetterer = deadLetterer;
        this.listener = settings.listener();
        this.group = state.group();
        this.topics = settings.topics();
        this.sessionMs = (int) settings.sessionTimeout().toMillis();
        this.sessionNanos = settings.sessionTimeout().toNanos();
        this.heartbeatNanos = settings.heartbeatInterval().toNanos();
        this.handoverDelayNanos = settings.handoverDelay().toNanos();
        this.graceNanos = Math.min(heartbeatNanos / 2, MAX_GRACE_NANOS);
        this.pollNanos = settings.pollInterval().toNanos();
        this.autoCommit = settings.autoCommit();
        this.autoCommitNanos = settings.autoCommitInterval().toNanos();
        this.backoff = settings.backoff();
        this.committer = new OffsetCommitter(state, broker, () -> member.id(), () -> member.generation(),
                this::requestRejoin);
        this.memberThread = threads.newThread("consumer", group, this::run);
        this.heartbeats = threads.scheduler("consumer-heartbeat", group);
    }

    /**
     * The group settings the membership needs.
     *
     * @param topics subscribed topics
     * @param sessionTimeout the session timeout
     * @param heartbeatInterval time between heartbeats, also their timeout
     * @param handoverDelay how long partitions taken over from another member wait before they are read
     * @param pollInterval how long to wait before retrying a failed position lookup
     * @param autoCommit whether to commit periodically
     * @param autoCommitInterval the period
     * @param backoff the join retry backoff
     * @param listener the rebalance listener
     */
    public record Settings(List<String> topics, Duration sessionTimeout, Duration heartbeatInterval,
                           Duration handoverDelay, Duration pollInterval, boolean autoCommit,
                           Duration autoCommitInterval, Backoff backoff, RebalanceListener listener) {
    }

    /** Starts the member thread, which joins at once and then starts the heartbeat schedule. */
    public void start() {
        memberThread.start();
    }

    /**
     * Schedules the next heartbeat one interval from now, replacing the one scheduled: after a join, the first
     * heartbeat of the new generation comes a full interval later (as the group's other members rejoin meanwhile),
     * and each heartbeat schedules the next when it has completed.
     */
    private synchronized void scheduleHeartbeat() {
        if (nextHeartbeat != null) {
            nextHeartbeat.cancel(false);
        }
        try {
            nextHeartbeat = heartbeats.schedule(this::heartbeatAndReschedule, heartbeatNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            nextHeartbeat = null; // closing
        }
    }

    private void heartbeatAndReschedule() {
        try {
            heartbeat();
        } finally {
            if (!state.isClosed() && !Thread.currentThread().isInterrupted()) {
                scheduleHeartbeat();
            }
        }
    }

    /**
     * The committer, which commits with this membership's member id and generation.
     *
     * @return the committer
     */
    public OffsetCommitter committer() {
        return committer;
    }

    /**
     * The member thread.
     *
     * @return the thread
     */
    public Thread memberThread() {
        return memberThread;
    }

    /**
     * The member id, empty before the first join.
     *
     * @return the id
     */
    public String memberId() {
        return member.id();
    }

    /**
     * The generation of the latest join, -1 before it.
     *
     * @return the generation
     */
    public long generation() {
        return member.generation();
    }

    /**
     * Heartbeats sent, and those that failed or timed out.
     *
     * @return {@code [sent, failed]}
     */
    public long[] heartbeatCounts() {
        return new long[] {heartbeatsSent.sum(), heartbeatsFailed.sum()};
    }

    /** Wakes the member thread (a fetch became due, a partition was seeked or resumed, the consumer closed). */
    public void wake() {
        wakeup.release();
    }

    private void requestRejoin() {
        requestRejoin(0);
    }

    private void requestRejoin(long delayNanos) {
        if (!rejoinRequested) {
            rejoinAtNanos = System.nanoTime() + delayNanos;
            rejoinRequested = true;
        }
        wakeup.release();
    }

    // ------------------------------------------------------------------------------------------ heartbeat thread

    private void heartbeat() {
        Member m = member;
        if (rejoinRequested || m.id().isEmpty() || state.isClosed()) {
            return;
        }
        long sentAt = System.nanoTime();
        heartbeatsSent.increment();
        int code;
        try {
            code = broker.send(new ConsumerHeartbeatRequest(group, m.id(), m.generation()),
                    ConsumerHeartbeatResponse.class).get(heartbeatNanos, TimeUnit.NANOSECONDS).errorCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            heartbeatsFailed.increment();
            LOG.log(System.Logger.Level.DEBUG, () -> "heartbeat of group " + group + " failed: " + e);
            if (System.nanoTime() - lastRefreshNanos >= sessionNanos && !state.isSuspended()) {
                LOG.log(System.Logger.Level.WARNING, "group " + group + ": no heartbeat succeeded for the session"
                        + " timeout of " + Duration.ofNanos(sessionNanos) + "; the session may have lapsed, so"
                        + " delivery stops until the member has rejoined");
                state.suspend(true);
                requestRejoin();
            }
            return;
        }
        if (member != m) {
            return; // rejoined meanwhile: the answer is about the old generation
        }
        if (code == 0) {
            lastRefreshNanos = sentAt;
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "heartbeat of member " + m.id() + " (group " + group
                + ", generation " + m.generation() + ") answered " + code + " ("
                + GroupCoordinationException.describe(code) + "); rejoining");
        requestRejoin(ThreadLocalRandom.current().nextLong(heartbeatNanos / 4 + 1));
    }

    // ------------------------------------------------------------------------------------------ member thread

    private void run() {
        long nextCommit = System.nanoTime() + autoCommitNanos;
        long nextPositionTry = 0;
        int joinFailures = 0;
        try {
            while (!state.isClosed()) {
                long now = System.nanoTime();
                if (rejoinRequested && now - rejoinAtNanos >= 0) {
                    try {
                        join();
                        joinFailures = 0;
                    } catch (RustMQException e) {
                        if (!e.isRetriable()) {
                            throw e;
                        }
                        joinFailures++;
                        rejoinAtNanos = System.nanoTime() + Math.max(TimeUnit.MILLISECONDS.toNanos(1),
                                backoff.delay(joinFailures).toNanos());
                        LOG.log(System.Logger.Level.DEBUG, () -> "joining group " + group + " failed ("
                                + e.getMessage() + "); retrying");
                    }
                }
                now = System.nanoTime();
                if (autoCommit && !rejoinRequested && now - nextCommit >= 0) {
                    nextCommit = now + autoCommitNanos;
                    committer.commitAll().whenComplete((v, e) -> {
                        if (e != null) {
                            LOG.log(System.Logger.Level.DEBUG, () -> "auto-commit of group " + group + " failed: "
                                    + e.getMessage());
                        }
                    });
                }
                long nextPosition = Fetcher.NEVER;
                if (!rejoinRequested && now - nextPositionTry >= 0) {
                    try {
                        nextPosition = fetcher.resolvePositions(now);
                    } catch (RustMQException e) {
                        if (!e.isRetriable()) {
                            throw e;
                        }
                        LOG.log(System.Logger.Level.DEBUG, () -> "resolving start offsets of group " + group
                                + " failed (" + e.getMessage() + "); retrying");
                        nextPositionTry = System.nanoTime() + pollNanos;
                        nextPosition = nextPositionTry;
                    }
                } else if (!rejoinRequested) {
                    nextPosition = nextPositionTry;
                }
                long wakeAt = Math.min(fetcher.fetchDue(System.nanoTime()), nextPosition);
                if (rejoinRequested) {
                    wakeAt = Math.min(wakeAt, rejoinAtNanos);
                }
                if (autoCommit) {
                    wakeAt = Math.min(wakeAt, nextCommit);
                }
                long sleep = wakeAt == Fetcher.NEVER ? heartbeatNanos : wakeAt - System.nanoTime();
                if (sleep > 0 && !state.isClosed()) {
                    wakeup.tryAcquire(sleep, TimeUnit.NANOSECONDS);
                }
                wakeup.drainPermits();
            }
            heartbeats.shutdownNow();
            shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.fail(new RustMQException("the member thread of group '" + group + "' was interrupted", e, false));
        } catch (RustMQException e) {
            if (state.isClosed()) {
                LOG.log(System.Logger.Level.DEBUG, () -> "consumer of group " + group + " stopped: " + e.getMessage());
            } else {
                LOG.log(System.Logger.Level.ERROR, "consumer of group " + group + " failed", e);
            }
            state.fail(e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "consumer of group " + group + " failed unexpectedly", e);
            state.fail(new RustMQException("the consumer of group '" + group + "' failed: " + e, e, false));
        } finally {
            heartbeats.shutdownNow();
        }
    }

    private void join() {
        long sentAt = System.nanoTime();
        JoinGroupResponse r = BrokerChannel.await(broker.sendWithRetry(
                new JoinGroupRequest(group, member.id(), sessionMs, topics), JoinGroupResponse.class));
        if (r.errorCode() != 0) {
            throw new GroupCoordinationException("JoinGroup", group, r.errorCode());
        }
        String me = r.memberId();
        member = new Member(me, r.generationId());
        lastRefreshNanos = sentAt;
        rejoinRequested = false;
        scheduleHeartbeat();
        state.suspend(false);
        committer.commitUncommittedRevoked(false);
        Set<TopicPartition> mine = new HashSet<>();
        for (TopicPartition tp : r.ownAssignment()) {
            if (topics.contains(tp.topic())) {
                mine.add(tp);
            } else {
                LOG.log(System.Logger.Level.DEBUG, () -> "ignoring " + tp + ": assigned but not subscribed");
            }
        }
        boolean others = !r.leaderId().equals(me)
                || r.assignedPartitions().keySet().stream().anyMatch(id -> !id.equals(me));
        List<PartitionState> revoked = new ArrayList<>();
        List<TopicPartition> added = new ArrayList<>();
        for (PartitionState s : state.snapshot()) {
            if (!mine.contains(s.tp)) {
                revoked.add(s);
            }
        }
        Set<TopicPartition> current = state.assignment();
        for (TopicPartition tp : mine) {
            if (!current.contains(tp)) {
                added.add(tp);
            }
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "member " + me + " of group " + group + " joined generation "
                + r.generationId() + ": assigned " + mine + ", revoked " + revoked + ", new " + added);
        if (!revoked.isEmpty()) {
            revoke(revoked);
        }
        if (!added.isEmpty()) {
            state.add(added, System.nanoTime() + (others ? handoverDelayNanos : 0));
            callListener("onPartitionsAssigned", () -> listener.onPartitionsAssigned(io.rustmq.client.internal.Partitions.toPublic(added)));
        }
    }

    /** Stops delivery of the partitions, tells the listener, waits briefly for acknowledgments, commits, releases. */
    private void revoke(List<PartitionState> states) {
        state.remove(states);
        List<TopicPartition> tps = new ArrayList<>(states.size());
        for (PartitionState s : states) {
            tps.add(s.tp);
        }
        callListener("onPartitionsRevoked", () -> listener.onPartitionsRevoked(io.rustmq.client.internal.Partitions.toPublic(tps)));
        long deadline = System.nanoTime() + graceNanos;
        while (System.nanoTime() - deadline < 0 && states.stream().anyMatch(s -> s.acks.unsettled() > 0)) {
            try {
                TimeUnit.MILLISECONDS.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RustMQException("interrupted while revoking partitions", e, false);
            }
        }
        committer.commitRevoked(states);
    }

    private void callListener(String method, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "rebalance listener " + method + " of group " + group + " threw", e);
        }
    }

    /** Member thread, on close: revoke everything (listener, grace, commit) and leave the group. */
    private void shutdown() {
        if (member.id().isEmpty() || state.fatal() != null) {
            return;
        }
        if (deadLetterer != null) {
            deadLetterer.flush();
        }
        List<PartitionState> all = state.snapshot();
        if (!all.isEmpty()) {
            revoke(all);
        }
        if (committer.hasUncommittedRevoked()) {
            // The group moved to a new generation meanwhile (another member joined or left): join once more to
            // learn it, so that the acknowledged offsets are not lost, then leave.
            try {
                JoinGroupResponse r = BrokerChannel.await(broker.sendWithRetry(new JoinGroupRequest(group,
                        member.id(), sessionMs, topics), JoinGroupResponse.class));
                member = new Member(member.id(), r.generationId());
                committer.commitUncommittedRevoked(true);
            } catch (RustMQException e) {
                LOG.log(System.Logger.Level.WARNING, "group " + group + ": could not rejoin to commit on close ("
                        + e.getMessage() + "); the partitions' next owners may read acknowledged messages again");
            }
        }
        try {
            LeaveGroupResponse r = BrokerChannel.await(broker.sendWithRetry(new LeaveGroupRequest(group,
                    member.id()), LeaveGroupResponse.class));
            if (r.errorCode() != 0) {
                LOG.log(System.Logger.Level.DEBUG, () -> "LeaveGroup of group " + group + " answered "
                        + GroupCoordinationException.describe(r.errorCode()));
            }
        } catch (RustMQException e) {
            LOG.log(System.Logger.Level.WARNING, "leaving group " + group + " failed: " + e.getMessage());
        }
    }

    /**
     * Closes: stops the heartbeat schedule, wakes the member thread (which revokes, commits and leaves) and waits
     * for it.
     *
     * @param waitMillis how long to wait for the member thread
     */
    public void close(long waitMillis) {
        wakeup.release();
        if (Thread.currentThread() == memberThread) {
            heartbeats.shutdownNow();
            return;
        }
        try {
            memberThread.join(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        heartbeats.shutdownNow();
        if (memberThread.isAlive()) {
            LOG.log(System.Logger.Level.WARNING, "the member thread of group " + group + " did not stop in time");
        }
    }

    /**
     * The grace period revoked partitions get for outstanding acknowledgments.
     *
     * @return nanoseconds
     */
    public long graceNanos() {
        return graceNanos;
    }
}
