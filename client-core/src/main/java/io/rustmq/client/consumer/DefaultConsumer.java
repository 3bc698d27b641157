package io.rustmq.client.consumer;

import io.rustmq.client.GroupCoordinationException;
import io.rustmq.client.Header;
import io.rustmq.client.Headers;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQException;
import io.rustmq.client.protocol.CommitOffsetRequest;
import io.rustmq.client.protocol.CommitOffsetResponse;
import io.rustmq.client.protocol.ConsumerHeartbeatRequest;
import io.rustmq.client.protocol.ConsumerHeartbeatResponse;
import io.rustmq.client.protocol.FetchOffsetRequest;
import io.rustmq.client.protocol.FetchOffsetResponse;
import io.rustmq.client.protocol.FetchRequest;
import io.rustmq.client.protocol.FetchResponse;
import io.rustmq.client.protocol.JoinGroupRequest;
import io.rustmq.client.protocol.JoinGroupResponse;
import io.rustmq.client.protocol.LeaveGroupRequest;
import io.rustmq.client.protocol.LeaveGroupResponse;
import io.rustmq.client.protocol.TopicPartition;
import io.rustmq.client.protocol.WireHeader;
import io.rustmq.client.protocol.WireRecord;
import io.rustmq.client.transport.ConnectionPool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The consumer behind {@link Consumer}: one member thread per consumer joins the group, heartbeats, commits and
 * issues fetches (one in flight per assigned partition); fetched messages are buffered for
 * {@link #receive(Duration)}. Created by {@link io.rustmq.client.RustMQClient}.
 */
public final class DefaultConsumer implements Consumer, ConsumerMessage.AckHandler {
    private static final System.Logger LOG = System.getLogger(DefaultConsumer.class.getName());

    private final List<String> topics;
    private final String group;
    private final ConsumerConfig config;
    private final ConnectionPool pool;
    private final LinkedBlockingQueue<ConsumerMessage> buffer = new LinkedBlockingQueue<>();
    private final Map<TopicPartition, PartitionState> partitions = new ConcurrentHashMap<>();
    private final Semaphore wakeup = new Semaphore(0);
    private final Thread member;
    private volatile String memberId = "";
    private volatile long generation;
    private volatile boolean rejoinNeeded = true;
    private volatile boolean closed;
    private volatile RustMQException fatal;

    /**
     * Creates a consumer and starts its member thread; use
     * {@link io.rustmq.client.RustMQClient#createConsumer(String, String, ConsumerConfig)}.
     *
     * @param topics the topics to subscribe to, at least one
     * @param group the consumer group
     * @param config the consumer configuration
     * @param pool the client's connections
     */
    public DefaultConsumer(List<String> topics, String group, ConsumerConfig config, ConnectionPool pool) {
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("at least one topic is required");
        }
        this.topics = List.copyOf(topics);
        this.group = Objects.requireNonNull(group, "group");
        this.config = Objects.requireNonNull(config, "config");
        this.pool = pool;
        this.member = new Thread(this::run, "rustmq-consumer-" + group);
        member.setDaemon(true);
        member.start();
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public ConsumerMessage receive(Duration timeout) {
        checkOpen();
        try {
            ConsumerMessage m = buffer.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (m != null) {
                taken(m);
            } else {
                checkOpen();
            }
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RustMQException("interrupted while receiving", e, false);
        }
    }

    @Override
    public List<ConsumerMessage> poll(Duration timeout) {
        ConsumerMessage first = receive(timeout);
        if (first == null) {
            return List.of();
        }
        List<ConsumerMessage> out = new ArrayList<>();
        out.add(first);
        ConsumerMessage next;
        while (out.size() < config.fetchSize() && (next = buffer.poll()) != null) {
            taken(next);
            out.add(next);
        }
        return out;
    }

    private void taken(ConsumerMessage m) {
        PartitionState s = partitions.get(new TopicPartition(m.topic(), m.partition()));
        if (s != null && s.taken() == config.fetchSize() / 2) {
            wakeup.release();
        }
    }

    private void checkOpen() {
        if (fatal != null) {
            throw fatal;
        }
        if (closed) {
            throw new RustMQException("consumer of group '" + group + "' is closed");
        }
    }

    @Override
    public void ack(ConsumerMessage m) {
        PartitionState s = partitions.get(new TopicPartition(m.topic(), m.partition()));
        if (s != null) {
            s.ack(m.offset());
        }
    }

    @Override
    public void nack(ConsumerMessage m, Throwable reason) {
        LOG.log(System.Logger.Level.DEBUG, () -> "redelivering " + m + " after: " + reason);
        if (partitions.containsKey(new TopicPartition(m.topic(), m.partition()))) {
            buffer.add(m.redelivery());
        }
    }

    @Override
    public Set<TopicPartition> assignment() {
        return Set.copyOf(partitions.keySet());
    }

    @Override
    public void commit() {
        try {
            commitAsync().get(pool.config().requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw ConnectionPool.unwrap(e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e);
        }
    }

    @Override
    public CompletableFuture<Void> commitAsync() {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (Map.Entry<TopicPartition, PartitionState> e : partitions.entrySet()) {
            long next = e.getValue().committable();
            if (next > e.getValue().committed) {
                offsets.put(e.getKey(), next);
            }
        }
        if (offsets.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        long gen = generation;
        return pool.sendWithRetry(new CommitOffsetRequest(group, memberId, gen, offsets), CommitOffsetResponse.class)
                .thenAccept(r -> {
                    if (r.errorCode() != 0) {
                        if (r.errorCode() == GroupCoordinationException.ILLEGAL_GENERATION
                                || r.errorCode() == GroupCoordinationException.UNKNOWN_GROUP) {
                            rejoinNeeded = true;
                            wakeup.release();
                        }
                        throw new GroupCoordinationException("CommitOffset", group, r.errorCode());
                    }
                    offsets.forEach((tp, offset) -> {
                        PartitionState s = partitions.get(tp);
                        if (s != null) {
                            s.committed = Math.max(s.committed, offset);
                        }
                    });
                });
    }

    // ---- member thread ----

    private void run() {
        long nextHeartbeat = 0;
        long nextCommit = System.nanoTime() + config.autoCommitInterval().toNanos();
        int failures = 0;
        while (!closed) {
            try {
                if (rejoinNeeded) {
                    join();
                    failures = 0;
                    nextHeartbeat = System.nanoTime() + config.heartbeatInterval().toNanos();
                }
                long now = System.nanoTime();
                if (now >= nextHeartbeat) {
                    heartbeat();
                    nextHeartbeat = now + config.heartbeatInterval().toNanos();
                }
                if (config.enableAutoCommit() && now >= nextCommit) {
                    commitAsync().exceptionally(e -> {
                        LOG.log(System.Logger.Level.DEBUG, () -> "auto-commit failed: " + e);
                        return null;
                    });
                    nextCommit = now + config.autoCommitInterval().toNanos();
                }
                long wait = fetchAll(now);
                wait = Math.min(wait, nextHeartbeat - now);
                wakeup.tryAcquire(Math.max(1_000_000, wait), TimeUnit.NANOSECONDS);
                wakeup.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RustMQException e) {
                if (closed) {
                    return;
                }
                if (!e.isRetriable()) {
                    LOG.log(System.Logger.Level.ERROR, "consumer of group " + group + " failed", e);
                    fatal = e;
                    return;
                }
                failures++;
                long backoff = new io.rustmq.client.transport.Backoff(pool.config().retry()).delay(failures).toNanos();
                LOG.log(System.Logger.Level.DEBUG, () -> "group " + group + ": " + e.getMessage() + "; retrying");
                try {
                    TimeUnit.NANOSECONDS.sleep(Math.max(1_000_000, backoff));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private <T> T await(CompletableFuture<T> f) throws InterruptedException {
        try {
            return f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw ConnectionPool.unwrap(e.getCause());
        }
    }

    private void join() throws InterruptedException {
        if (!partitions.isEmpty()) {
            try {
                await(commitAsync());
            } catch (RustMQException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "commit before rejoin failed: " + e.getMessage());
            }
        }
        int sessionMs = (int) config.sessionTimeout().toMillis();
        JoinGroupResponse r = await(pool.sendWithRetry(new JoinGroupRequest(group, memberId, sessionMs, topics),
                JoinGroupResponse.class));
        if (r.errorCode() != 0) {
            throw new GroupCoordinationException("JoinGroup", group, r.errorCode());
        }
        memberId = r.memberId();
        generation = r.generationId();
        Set<TopicPartition> assigned = new HashSet<>(r.ownAssignment());
        Set<TopicPartition> revoked = new HashSet<>(partitions.keySet());
        revoked.removeAll(assigned);
        for (TopicPartition tp : revoked) {
            partitions.remove(tp);
        }
        if (!revoked.isEmpty()) {
            buffer.removeIf(m -> revoked.contains(new TopicPartition(m.topic(), m.partition())));
        }
        List<TopicPartition> added = new ArrayList<>();
        for (TopicPartition tp : assigned) {
            if (!partitions.containsKey(tp)) {
                added.add(tp);
            }
        }
        if (!added.isEmpty()) {
            FetchOffsetResponse committed = await(pool.sendWithRetry(new FetchOffsetRequest(group, added),
                    FetchOffsetResponse.class));
            for (TopicPartition tp : added) {
                Long offset = committed.offsets().get(tp);
                long start = offset != null ? offset : startOffset(tp);
                partitions.put(tp, new PartitionState(tp, start, offset != null ? offset : -1));
            }
        }
        rejoinNeeded = false;
        LOG.log(System.Logger.Level.DEBUG, () -> "member " + memberId + " of " + group + " generation " + generation
                + " assigned " + assigned);
    }

    private long startOffset(TopicPartition tp) throws InterruptedException {
        StartPosition p = config.startPosition();
        if (p instanceof StartPosition.Offset o) {
            return o.offset();
        }
        if (p instanceof StartPosition.Earliest) {
            return 0;
        }
        FetchResponse end = await(pool.sendWithRetry(new FetchRequest(tp.topic(), tp.partition(), 0, 0, 0),
                FetchResponse.class));
        return end.highWatermark();
    }

    private void heartbeat() throws InterruptedException {
        ConsumerHeartbeatResponse r = await(pool.sendWithRetry(
                new ConsumerHeartbeatRequest(group, memberId, generation), ConsumerHeartbeatResponse.class));
        int code = r.errorCode();
        if (code == 0) {
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "heartbeat of " + memberId + ": "
                + GroupCoordinationException.describe(code) + "; rejoining");
        if (code == GroupCoordinationException.ILLEGAL_GENERATION) {
            // damp the churn of several members rejoining at once (spec §8)
            long jitter = ThreadLocalRandom.current().nextLong(config.heartbeatInterval().toMillis() / 4 + 1);
            TimeUnit.MILLISECONDS.sleep(jitter);
        }
        rejoinNeeded = true;
    }

    /** Issues fetches where there is room; returns nanoseconds until a partition becomes fetchable again. */
    private long fetchAll(long now) {
        long wait = config.pollInterval().toNanos();
        long gen = generation;
        for (PartitionState s : partitions.values()) {
            synchronized (s) {
                if (s.fetching || s.buffered >= config.fetchSize()) {
                    continue;
                }
                if (s.idleUntil > now) {
                    wait = Math.min(wait, s.idleUntil - now);
                    continue;
                }
                s.fetching = true;
            }
            long offset = s.position;
            pool.send(new FetchRequest(s.tp.topic(), s.tp.partition(), offset, config.maxFetchBytes(), 0))
                    .whenComplete((response, error) -> fetched(s, gen, offset, response, error));
        }
        return wait;
    }

    private void fetched(PartitionState s, long gen, long offset, Object response, Throwable error) {
        synchronized (s) {
            s.fetching = false;
            if (partitions.get(s.tp) != s || closed) {
                return;
            }
            if (error != null || !(response instanceof FetchResponse r)) {
                LOG.log(System.Logger.Level.DEBUG, () -> "fetch of " + s.tp + " failed: " + error);
                s.idleUntil = System.nanoTime() + config.pollInterval().toNanos();
                return;
            }
            List<WireRecord> records = r.records();
            s.highWatermark = r.highWatermark();
            if (records.isEmpty() || offset != s.position) {
                s.idleUntil = System.nanoTime() + config.pollInterval().toNanos();
                return;
            }
            for (int i = 0; i < records.size(); i++) {
                buffer.add(new ConsumerMessage(toMessage(s.tp, records.get(i)), s.tp.topic(), s.tp.partition(),
                        offset + i, 1, this));
            }
            s.position = offset + records.size();
            s.buffered += records.size();
        }
        wakeup.release();
    }

    private static Message toMessage(TopicPartition tp, WireRecord r) {
        Headers headers = Headers.empty();
        if (!r.headers().isEmpty()) {
            List<Header> list = new ArrayList<>(r.headers().size());
            for (WireHeader h : r.headers()) {
                list.add(new Header(h.key(), h.value()));
            }
            headers = Headers.of(list);
        }
        return Message.builder().topic(tp.topic()).partition(tp.partition()).key(r.key()).payload(r.value())
                .headers(headers).timestamp(r.timestamp()).build();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        wakeup.release();
        try {
            member.join(pool.config().requestTimeout().toMillis());
            if (!memberId.isEmpty()) {
                try {
                    await(commitAsync());
                } catch (RustMQException e) {
                    LOG.log(System.Logger.Level.WARNING, "final commit of group " + group + " failed: "
                            + e.getMessage());
                }
                LeaveGroupResponse r = await(pool.sendWithRetry(new LeaveGroupRequest(group, memberId),
                        LeaveGroupResponse.class));
                if (r.errorCode() != 0) {
                    LOG.log(System.Logger.Level.DEBUG, "LeaveGroup answered "
                            + GroupCoordinationException.describe(r.errorCode()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RustMQException e) {
            LOG.log(System.Logger.Level.WARNING, "leaving group " + group + " failed: " + e.getMessage());
        } finally {
            partitions.clear();
            buffer.clear();
        }
    }

    /** Fetch position, buffered count and acknowledgment tracking of one assigned partition. */
    private static final class PartitionState {
        final TopicPartition tp;
        long position;
        long highWatermark;
        volatile long committed;
        int buffered;
        boolean fetching;
        long idleUntil;
        private long ackedUpTo;
        private final TreeSet<Long> ackedAhead = new TreeSet<>();

        PartitionState(TopicPartition tp, long start, long committed) {
            this.tp = tp;
            this.position = start;
            this.ackedUpTo = start;
            this.committed = committed;
        }

        synchronized int taken() {
            return --buffered;
        }

        synchronized void ack(long offset) {
            if (offset < ackedUpTo) {
                return;
            }
            if (offset == ackedUpTo) {
                ackedUpTo++;
                while (!ackedAhead.isEmpty() && ackedAhead.first() == ackedUpTo) {
                    ackedAhead.pollFirst();
                    ackedUpTo++;
                }
            } else {
                ackedAhead.add(offset);
            }
        }

        /** The offset to commit: the first one not yet acknowledged. */
        synchronized long committable() {
            return ackedUpTo;
        }
    }
}
