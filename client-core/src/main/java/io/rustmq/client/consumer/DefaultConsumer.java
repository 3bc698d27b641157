package io.rustmq.client.consumer;

import io.rustmq.client.ConfigurationException;
import io.rustmq.client.GroupCoordinationException;
import io.rustmq.client.Header;
import io.rustmq.client.Headers;
import io.rustmq.client.Message;
import io.rustmq.client.ProtocolException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.metrics.ConsumerMetrics;
import io.rustmq.client.producer.Producer;
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
import io.rustmq.client.protocol.Response;
import io.rustmq.client.protocol.TopicPartition;
import io.rustmq.client.protocol.WireRecord;
import io.rustmq.client.transport.Backoff;
import io.rustmq.client.transport.ConnectionPool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The consumer behind {@link Consumer}. Created by {@link io.rustmq.client.RustMQClient#createConsumer}.
 *
 * <p><b>Threads.</b> One member thread per consumer joins the group, heartbeats, rejoins, commits in the background,
 * resolves start offsets and restarts idle partitions. Fetches complete on the transport's threads, which only queue
 * the fetched record list (one entry per fetch, not per record). Application threads take messages from that queue
 * under one lock per {@code receive}/{@code poll} call; records become {@link Message}s (decompressed) outside the
 * lock. Acknowledgments touch only their partition's {@link AckTracker}.
 *
 * <p><b>Fetching.</b> At most one Fetch is in flight per partition. A partition is fetched again as soon as it holds
 * fewer buffered records than one fetch returned (or than {@code fetchSize}), so the next fetch is in flight while
 * the application works through the current one; a partition that is caught up, or returned nothing, waits
 * {@code pollInterval} (the broker does not long-poll).
 *
 * <p><b>Group.</b> DESIGN §4: join, heartbeat every {@code heartbeatInterval}, rejoin after a jittered delay when a
 * heartbeat answers 16, 22, 25 or 27 (or a commit answers 16 or 22), commit with the generation of the latest join,
 * leave on close. Revoked partitions stop delivering at once; the listener is told, outstanding deliveries get a
 * short grace period to be acknowledged, then the acknowledged offsets are committed (with the new generation)
 * before the partitions are released. Partitions handed over while other members exist are read only after
 * {@code min(2 × heartbeatInterval, sessionTimeout)}, the time their previous owner needs to notice the rebalance
 * and commit: the protocol has no synchronisation barrier, and reading at once would deliver again what the
 * previous owner acknowledged.
 */
public final class DefaultConsumer implements Consumer {
    private static final System.Logger LOG = System.getLogger(DefaultConsumer.class.getName());
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final long NEVER = Long.MAX_VALUE;
    private static final long MAX_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ConsumerConfig config;
    private final List<String> topics;
    private final String group;
    private final ConnectionPool pool;
    /** Dead-letter retry timer, made on first use; guarded by {@code producerLock}. */
    private java.util.concurrent.ScheduledExecutorService retryTimer;
    private final Function<String, Producer> producerFactory;
    private final RebalanceListener listener;
    private final Backoff backoff;
    private final long heartbeatNanos;
    private final long handoverDelayNanos;
    private final long graceNanos;
    private final long pollNanos;
    private final int maxDecompressedBytes;
    /** Native decompression contexts, pooled for this consumer and freed when it closes (no thread-locals). */
    private final io.rustmq.client.compression.CompressionContexts compressionContexts =
            new io.rustmq.client.compression.CompressionContexts();
    private final Acks acks = new Acks();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    /** Assigned partitions, including those whose start offset is not resolved yet. Guarded by {@link #lock}. */
    private final Map<TopicPartition, PartitionState> partitions = new LinkedHashMap<>();
    /** Fetched record lists in arrival order. Guarded by {@link #lock}. */
    private final ArrayDeque<Batch> ready = new ArrayDeque<>();
    /** Nacked messages waiting for their redelivery time. Guarded by {@link #lock}. */
    private final PriorityQueue<Redelivery> redeliveries =
            new PriorityQueue<>(Comparator.comparingLong(Redelivery::dueNanos));
    /** Failures to report from the next receive or poll. Guarded by {@link #lock}. */
    private final ArrayDeque<RustMQException> pendingErrors = new ArrayDeque<>();
    private volatile Set<TopicPartition> assignmentView = Set.of();

    private final Thread member;
    private final Semaphore wakeup = new Semaphore(0);
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;
    private volatile RustMQException fatal;
    private volatile String memberId = "";
    private volatile long generation = -1;
    private volatile boolean rejoinRequested = true;
    /**
     * Revoked partitions whose commit was refused because the generation moved on meanwhile: committed again with
     * the generation of the next join (or, on close, of a last join). Member thread only.
     */
    private final List<PartitionState> uncommittedRevoked = new ArrayList<>();
    private int uncommittedRevokedAttempts;

    private final Object producerLock = new Object();
    private Producer deadLetterProducer;

    private final LongAdder received = new LongAdder();
    private final LongAdder processed = new LongAdder();
    private final LongAdder nacked = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private volatile long lastReceiveMillis;

    /**
     * Creates a consumer and starts its member thread, which joins the group at once. Use
     * {@link io.rustmq.client.RustMQClient#createConsumer(String, String, ConsumerConfig)}.
     *
     * @param config the configuration; its group and topics must be set
     * @param pool the client's connections
     * @param producerFactory creates the producer for the dead-letter topic, on first use (given the topic)
     * @throws ConfigurationException if the group or the topics are not set
     */
    public DefaultConsumer(ConsumerConfig config, ConnectionPool pool, Function<String, Producer> producerFactory) {
        this.config = Objects.requireNonNull(config, "config");
        if (config.consumerGroup() == null) {
            throw new ConfigurationException("consumerGroup", null, "must be set to create a consumer");
        }
        if (config.topics() == null) {
            throw new ConfigurationException("topics", null, "must be set to create a consumer");
        }
        if (config.maxFetchBytes() > pool.config().maxResponseBytes()) {
            throw new ConfigurationException("maxFetchBytes", config.maxFetchBytes(),
                    "must not exceed the client's maxResponseBytes = " + pool.config().maxResponseBytes()
                            + ", or fetch responses would be refused");
        }
        this.group = config.consumerGroup();
        this.topics = config.topics();
        this.pool = Objects.requireNonNull(pool, "pool");
        this.producerFactory = Objects.requireNonNull(producerFactory, "producerFactory");
        this.listener = config.rebalanceListener();
        this.backoff = new Backoff(pool.config().retry());
        this.heartbeatNanos = config.heartbeatInterval().toNanos();
        this.handoverDelayNanos = Math.min(2 * heartbeatNanos, config.sessionTimeout().toNanos());
        this.graceNanos = Math.min(heartbeatNanos / 2, MAX_GRACE_NANOS);
        this.pollNanos = config.pollInterval().toNanos();
        this.maxDecompressedBytes = pool.config().maxResponseBytes();
        this.member = io.rustmq.client.internal.ClientThreads.newThread(pool.config(), this::runMember,
                "rustmq-consumer-" + group + "-" + INSTANCES.incrementAndGet());
        member.start();
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public List<String> topics() {
        return topics;
    }

    // ------------------------------------------------------------------------------------------------ receiving

    @Override
    public ConsumerMessage receive(Duration timeout) {
        long deadline = deadline(timeout);
        while (true) {
            List<Taken> taken = take(deadline, 1);
            if (taken.isEmpty()) {
                return null;
            }
            ConsumerMessage m = materialize(taken.get(0));
            if (m != null) {
                received.increment();
                lastReceiveMillis = System.currentTimeMillis();
                return m;
            }
        }
    }

    @Override
    public List<ConsumerMessage> poll(Duration timeout) {
        long deadline = deadline(timeout);
        while (true) {
            List<Taken> taken = take(deadline, config.fetchSize());
            if (taken.isEmpty()) {
                return List.of();
            }
            List<ConsumerMessage> out = new ArrayList<>(taken.size());
            List<RustMQException> errors = null;
            for (Taken t : taken) {
                try {
                    ConsumerMessage m = materialize(t);
                    if (m != null) {
                        out.add(m);
                    }
                } catch (ProtocolException e) {
                    if (errors == null) {
                        errors = new ArrayList<>(1);
                    }
                    errors.add(e);
                }
            }
            if (errors != null) {
                if (out.isEmpty()) {
                    stashErrors(errors.subList(1, errors.size()));
                    throw errors.get(0);
                }
                stashErrors(errors);
            }
            if (!out.isEmpty()) {
                received.add(out.size());
                lastReceiveMillis = System.currentTimeMillis();
                return out;
            }
        }
    }

    @Override
    public Flow.Publisher<ConsumerMessage> stream() {
        return new ConsumerPublisher(new ConsumerPublisher.MessageSource() {
            @Override
            public ConsumerMessage receive(Duration timeout) {
                return DefaultConsumer.this.receive(timeout);
            }

            @Override
            public void release(ConsumerMessage m) {
                received.decrement();
                PartitionState s = (PartitionState) m.owner();
                s.acks.settledWithoutAck(m.epoch());
                scheduleRedelivery(m.undelivered(), 0);
            }

            @Override
            public boolean isClosed() {
                return closed;
            }

            @Override
            public String name() {
                return group;
            }

            @Override
            public java.util.concurrent.ThreadFactory threadFactory() {
                return pool.config().threadFactory().orElse(null);
            }
        }, Duration.ofMillis(100));
    }

    private static long deadline(Duration timeout) {
        long now = System.nanoTime();
        long nanos = Objects.requireNonNull(timeout, "timeout").isNegative() ? 0 : saturatedNanos(timeout);
        long d = now + nanos;
        return d - now < 0 ? now + Long.MAX_VALUE / 2 : d;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    private void stashErrors(List<RustMQException> errors) {
        if (errors.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            pendingErrors.addAll(errors);
        } finally {
            lock.unlock();
        }
    }

    /** Takes up to {@code max} deliveries, waiting until the deadline for the first; issues refill fetches. */
    private List<Taken> take(long deadline, int max) {
        List<Taken> out = new ArrayList<>(Math.min(max, 64));
        List<FetchTask> fetches = new ArrayList<>(0);
        lock.lock();
        try {
            while (true) {
                throwIfUnusable();
                long now = System.nanoTime();
                takeLocked(now, max, out, fetches);
                if (!out.isEmpty()) {
                    break;
                }
                long wait = deadline - now;
                if (wait <= 0) {
                    break;
                }
                Redelivery next = redeliveries.peek();
                if (next != null) {
                    wait = Math.min(wait, Math.max(next.dueNanos() - now, 0));
                }
                if (wait > 0) {
                    available.awaitNanos(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RustMQException("interrupted while receiving", e, false);
        } finally {
            lock.unlock();
            for (FetchTask f : fetches) {
                sendFetch(f);
            }
        }
        return out;
    }

    private void throwIfUnusable() {
        RustMQException pending = pendingErrors.poll();
        if (pending != null) {
            throw pending;
        }
        RustMQException f = fatal;
        if (f != null) {
            throw f;
        }
        if (closed) {
            throw new RustMQException("consumer of group '" + group + "' is closed");
        }
    }

    private void takeLocked(long now, int max, List<Taken> out, List<FetchTask> fetches) {
        while (out.size() < max && !redeliveries.isEmpty() && redeliveries.peek().dueNanos() - now <= 0) {
            ConsumerMessage m = redeliveries.poll().message();
            PartitionState s = (PartitionState) m.owner();
            if (!s.assigned || m.epoch() != s.epoch) {
                continue;
            }
            if (s.paused) {
                s.parkedRedeliveries.add(m);
                continue;
            }
            s.acks.delivered(1, m.epoch());
            out.add(new Taken(m, s, m.epoch(), null, m.offset()));
        }
        while (out.size() < max) {
            Batch b = ready.peekFirst();
            if (b == null) {
                break;
            }
            PartitionState s = b.state;
            if (!s.assigned || b.epoch != s.epoch) {
                ready.pollFirst();
                continue;
            }
            if (s.paused) {
                ready.pollFirst();
                s.parked.add(b);
                continue;
            }
            int n = Math.min(max - out.size(), b.records.size() - b.next);
            for (int i = 0; i < n; i++) {
                int index = b.next + i;
                out.add(new Taken(null, s, b.epoch, b.records.get(index), b.base + index));
            }
            b.next += n;
            if (b.next == b.records.size()) {
                ready.pollFirst();
            }
            s.buffered -= n;
            s.deliveredPosition = b.base + b.next;
            s.acks.delivered(n, b.epoch);
            if (shouldFetch(s, now)) {
                fetches.add(startFetch(s));
            }
        }
    }

    /** Converts a delivery into the application's message; {@code null} if it was corrupt and dead-lettered. */
    private ConsumerMessage materialize(Taken t) {
        if (t.redelivered() != null) {
            return t.redelivered();
        }
        PartitionState s = t.state();
        TopicPartition tp = s.tp;
        try {
            Message m = RecordConverter.toMessage(tp.topic(), tp.partition(), t.offset(), t.record(),
                    maxDecompressedBytes, compressionContexts);
            return new ConsumerMessage(m, tp.topic(), tp.partition(), t.offset(), 1, s, t.epoch(), acks);
        } catch (ProtocolException e) {
            nacked.increment();
            if (config.deadLetterTopic() != null) {
                LOG.log(System.Logger.Level.WARNING, "{0}; sending it to the dead-letter topic {1}", e.getMessage(),
                        config.deadLetterTopic());
                ConsumerMessage raw = new ConsumerMessage(RecordConverter.rawMessage(tp.topic(), tp.partition(),
                        t.record()), tp.topic(), tp.partition(), t.offset(), 0, s, t.epoch(), acks);
                deadLetter(raw, e);
                return null;
            }
            LOG.log(System.Logger.Level.WARNING, "{0}; skipping it (no dead-letter topic is configured)",
                    e.getMessage());
            s.acks.ack(t.offset(), t.epoch());
            throw e;
        }
    }

    // ------------------------------------------------------------------------------------------------ fetching

    private boolean shouldFetch(PartitionState s, long now) {
        return s.assigned && s.active && !s.paused && !s.fetching && s.buffered < s.refillBelow
                && s.idleUntilNanos - now <= 0 && !closed;
    }

    private FetchTask startFetch(PartitionState s) {
        s.fetching = true;
        return new FetchTask(s, s.epoch, s.fetchPosition);
    }

    private void sendFetch(FetchTask f) {
        TopicPartition tp = f.state().tp;
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, config.pollInterval().toMillis());
        pool.send(new FetchRequest(tp.topic(), tp.partition(), f.offset(), config.maxFetchBytes(), timeoutMs))
                .whenComplete((response, error) -> onFetch(f, response, error));
    }

    private void onFetch(FetchTask f, Response response, Throwable error) {
        PartitionState s = f.state();
        FetchTask next = null;
        boolean wakeMember = false;
        RustMQException failure = null;
        lock.lock();
        try {
            s.fetching = false;
            long now = System.nanoTime();
            if (!s.assigned || closed) {
                return;
            }
            if (f.epoch() != s.epoch) {
                // seeked meanwhile: the answer is for the old position
                if (shouldFetch(s, now)) {
                    next = startFetch(s);
                }
                return;
            }
            if (error != null || !(response instanceof FetchResponse r)) {
                RustMQException e = error != null ? ConnectionPool.unwrap(error)
                        : new ProtocolException("expected a FetchResponse, got " + response);
                if (!e.isRetriable()) {
                    failure = e;
                    return;
                }
                LOG.log(System.Logger.Level.DEBUG, () -> "fetch of " + s.tp + " failed, retrying: " + e.getMessage());
                s.idleUntilNanos = now + pollNanos;
                wakeMember = true;
                return;
            }
            if (r.errorCode() != 0) {
                LOG.log(System.Logger.Level.DEBUG, () -> "fetch of " + s.tp + " answered error " + r.errorCode() + ": "
                        + r.errorMessage());
                s.idleUntilNanos = now + pollNanos;
                wakeMember = true;
                return;
            }
            s.highWatermark = r.highWatermark();
            List<WireRecord> records = r.records();
            int n = records.size();
            if (n > 0 && f.offset() == s.fetchPosition) {
                Batch b = new Batch(s, f.epoch(), records, f.offset());
                if (s.paused) {
                    s.parked.add(b);
                } else {
                    ready.addLast(b);
                    available.signalAll();
                }
                s.fetchPosition += n;
                s.buffered += n;
                s.refillBelow = Math.max(config.fetchSize(), n);
            }
            if (n == 0 || Long.compareUnsigned(s.fetchPosition, s.highWatermark) >= 0) {
                s.idleUntilNanos = now + pollNanos;
                wakeMember = true;
            } else if (shouldFetch(s, now)) {
                next = startFetch(s);
            }
        } finally {
            lock.unlock();
            if (next != null) {
                sendFetch(next);
            }
            if (failure != null) {
                fail(failure);
            }
            if (wakeMember) {
                wakeup.release();
            }
        }
    }

    /** Member thread: starts fetches that are due; returns when the next idle partition becomes due. */
    private long fetchDue(long now) {
        List<FetchTask> tasks = new ArrayList<>(0);
        long next = NEVER;
        lock.lock();
        try {
            for (PartitionState s : partitions.values()) {
                if (s.assigned && s.active && !s.paused && !s.fetching && s.buffered < s.refillBelow) {
                    if (s.idleUntilNanos - now <= 0) {
                        tasks.add(startFetch(s));
                    } else {
                        next = Math.min(next, s.idleUntilNanos);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        for (FetchTask t : tasks) {
            sendFetch(t);
        }
        return next;
    }

    // ------------------------------------------------------------------------------------------------ acks

    /** Receives acknowledgments from {@link ConsumerMessage}. */
    private final class Acks implements ConsumerMessage.AckHandler {
        @Override
        public void ack(ConsumerMessage m) {
            PartitionState s = (PartitionState) m.owner();
            if (s.acks.ack(m.offset(), m.epoch())) {
                processed.increment();
            } else {
                LOG.log(System.Logger.Level.DEBUG, () -> "ignoring the acknowledgment of " + m
                        + ": its partition was revoked or seeked since");
            }
        }

        @Override
        public void nack(ConsumerMessage m, Throwable reason) {
            nacked.increment();
            if (config.deadLetterTopic() != null && m.deliveryCount() > config.maxRedeliveries()) {
                if (stillCurrent(m)) {
                    deadLetter(m, reason);
                } else {
                    LOG.log(System.Logger.Level.DEBUG, () -> "not dead-lettering " + m + ": its partition was revoked"
                            + " or seeked, or the consumer closed; the partition's next owner reads it again");
                }
                return;
            }
            PartitionState s = (PartitionState) m.owner();
            s.acks.settledWithoutAck(m.epoch());
            LOG.log(System.Logger.Level.DEBUG, () -> "redelivering " + m + " after " + config.redeliveryBackoff()
                    + "; nacked because: " + reason);
            scheduleRedelivery(m.redelivery(), config.redeliveryBackoff().toNanos());
        }
    }

    private void scheduleRedelivery(ConsumerMessage m, long delayNanos) {
        PartitionState s = (PartitionState) m.owner();
        lock.lock();
        try {
            if (closed || !s.assigned || m.epoch() != s.epoch) {
                LOG.log(System.Logger.Level.DEBUG, () -> "not redelivering " + m + ": partition revoked or seeked,"
                        + " or the consumer is closed; the partition's next owner reads it again");
                return;
            }
            redeliveries.add(new Redelivery(m, System.nanoTime() + delayNanos));
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void deadLetter(ConsumerMessage m, Throwable reason) {
        PartitionState s = (PartitionState) m.owner();
        Message dead = deadLetterMessage(m, reason);
        CompletableFuture<?> sent;
        try {
            sent = deadLetterProducer().sendAsync(dead);
        } catch (RustMQException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((r, e) -> {
            if (e == null) {
                deadLettered.increment();
                s.acks.ack(m.offset(), m.epoch());
                LOG.log(System.Logger.Level.DEBUG, () -> "dead-lettered " + m + " to " + config.deadLetterTopic());
                return;
            }
            RustMQException failure = ConnectionPool.unwrap(e);
            if (closed) {
                LOG.log(System.Logger.Level.WARNING, "could not dead-letter " + m + " before closing ("
                        + failure.getMessage() + "); it stays unacknowledged and will be delivered again");
                return;
            }
            LOG.log(System.Logger.Level.WARNING, "could not dead-letter " + m + " (" + failure.getMessage()
                    + "); retrying in " + config.redeliveryBackoff());
            long delay = Math.max(config.redeliveryBackoff().toNanos(), TimeUnit.MILLISECONDS.toNanos(100));
            retryTimer().schedule(() -> {
                if (stillCurrent(m)) {
                    deadLetter(m, reason);
                }
            }, delay, TimeUnit.NANOSECONDS);
        });
    }

    /** The timer of dead-letter retries: one thread from the client's factory, made on first use. */
    private java.util.concurrent.ScheduledExecutorService retryTimer() {
        synchronized (producerLock) {
            if (retryTimer == null) {
                retryTimer = io.rustmq.client.internal.ClientThreads.scheduler(
                        pool.config().threadFactory().orElse(null), "rustmq-consumer-retry-" + group);
            }
            return retryTimer;
        }
    }

    private boolean stillCurrent(ConsumerMessage m) {
        PartitionState s = (PartitionState) m.owner();
        lock.lock();
        try {
            return !closed && s.assigned && s.epoch == m.epoch();
        } finally {
            lock.unlock();
        }
    }

    private Message deadLetterMessage(ConsumerMessage m, Throwable reason) {
        List<Header> headers = new ArrayList<>(m.headers().size() + 6);
        for (Header h : m.headers()) {
            String k = h.key();
            if (!k.startsWith(DeadLetterHeaders.PREFIX) && !k.equals("rustmq-producer-id")
                    && !k.equals("rustmq-sequence")) {
                headers.add(h);
            }
        }
        Headers hs = Headers.of(headers).with(DeadLetterHeaders.REASON, DeadLetterHeaders.reason(reason))
                .with(DeadLetterHeaders.TOPIC, m.topic())
                .with(DeadLetterHeaders.PARTITION, Integer.toUnsignedString(m.partition()))
                .with(DeadLetterHeaders.OFFSET, Long.toUnsignedString(m.offset()))
                .with(DeadLetterHeaders.DELIVERY_COUNT, Integer.toString(m.deliveryCount()))
                .with(DeadLetterHeaders.GROUP, group);
        return Message.builder().topic(config.deadLetterTopic()).key(m.key()).payload(m.payload()).headers(hs)
                .build();
    }

    private Producer deadLetterProducer() {
        synchronized (producerLock) {
            if (deadLetterProducer == null) {
                deadLetterProducer = producerFactory.apply(config.deadLetterTopic());
            }
            return deadLetterProducer;
        }
    }

    // ------------------------------------------------------------------------------------------------ commits

    @Override
    public void commit() {
        await(commitAsync());
    }

    @Override
    public CompletableFuture<Void> commitAsync() {
        List<PartitionState> states;
        lock.lock();
        try {
            states = new ArrayList<>(partitions.values());
        } finally {
            lock.unlock();
        }
        return commitStates(states);
    }

    private CompletableFuture<Void> commitStates(Collection<PartitionState> states) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        Map<PartitionState, Long> sent = new HashMap<>();
        lock.lock();
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
            lock.unlock();
        }
        if (offsets.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        String mid = memberId;
        long gen = generation;
        CompletableFuture<Void> result = new CompletableFuture<>();
        pool.sendWithRetry(new CommitOffsetRequest(group, mid, gen, offsets), CommitOffsetResponse.class)
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
                            requestRejoin();
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

    private void requestRejoin() {
        rejoinRequested = true;
        wakeup.release();
    }

    // ------------------------------------------------------------------------------------------------ control

    @Override
    public void seek(TopicPartition partition, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        }
        FetchTask task = null;
        lock.lock();
        try {
            PartitionState s = requireAssigned(partition);
            reposition(s, offset);
            if (shouldFetch(s, System.nanoTime())) {
                task = startFetch(s);
            }
        } finally {
            lock.unlock();
        }
        if (task != null) {
            sendFetch(task);
        }
        wakeup.release();
    }

    /** Moves a partition to an offset: new epoch, nothing buffered, nothing acknowledged. Holds {@link #lock}. */
    private void reposition(PartitionState s, long offset) {
        s.epoch++;
        s.acks.reset(offset, s.epoch);
        s.fetchPosition = offset;
        s.deliveredPosition = offset;
        s.active = true;
        s.buffered = 0;
        s.refillBelow = config.fetchSize();
        s.idleUntilNanos = System.nanoTime();
        s.parked.clear();
        s.parkedRedeliveries.clear();
        ready.removeIf(b -> b.state == s);
    }

    @Override
    public void seekToBeginning(Collection<TopicPartition> partitions) {
        List<TopicPartition> tps = List.copyOf(partitions);
        checkAssigned(tps);
        for (TopicPartition tp : tps) {
            seek(tp, 0);
        }
    }

    @Override
    public void seekToEnd(Collection<TopicPartition> partitions) {
        List<TopicPartition> tps = List.copyOf(partitions);
        checkAssigned(tps);
        for (TopicPartition tp : tps) {
            seek(tp, highWatermark(tp));
        }
    }

    @Override
    public void seekToTimestamp(Collection<TopicPartition> partitions, Instant timestamp) {
        Objects.requireNonNull(timestamp, "timestamp");
        List<TopicPartition> tps = List.copyOf(partitions);
        checkAssigned(tps);
        for (TopicPartition tp : tps) {
            seek(tp, offsetForTimestamp(tp, timestamp));
        }
    }

    @Override
    public void pause(Collection<TopicPartition> partitions) {
        List<TopicPartition> tps = List.copyOf(partitions);
        lock.lock();
        try {
            for (TopicPartition tp : tps) {
                requireAssigned(tp);
            }
            for (TopicPartition tp : tps) {
                PartitionState s = this.partitions.get(tp);
                if (s.paused) {
                    continue;
                }
                s.paused = true;
                for (Iterator<Batch> it = ready.iterator(); it.hasNext(); ) {
                    Batch b = it.next();
                    if (b.state == s) {
                        it.remove();
                        s.parked.add(b);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void resume(Collection<TopicPartition> partitions) {
        List<TopicPartition> tps = List.copyOf(partitions);
        List<FetchTask> tasks = new ArrayList<>(0);
        lock.lock();
        try {
            for (TopicPartition tp : tps) {
                requireAssigned(tp);
            }
            long now = System.nanoTime();
            for (TopicPartition tp : tps) {
                PartitionState s = this.partitions.get(tp);
                if (!s.paused) {
                    continue;
                }
                s.paused = false;
                ready.addAll(s.parked);
                s.parked.clear();
                for (ConsumerMessage m : s.parkedRedeliveries) {
                    redeliveries.add(new Redelivery(m, now));
                }
                s.parkedRedeliveries.clear();
                if (shouldFetch(s, now)) {
                    tasks.add(startFetch(s));
                }
            }
            available.signalAll();
        } finally {
            lock.unlock();
        }
        for (FetchTask t : tasks) {
            sendFetch(t);
        }
        wakeup.release();
    }

    @Override
    public Set<TopicPartition> paused() {
        lock.lock();
        try {
            Set<TopicPartition> out = new HashSet<>();
            for (PartitionState s : partitions.values()) {
                if (s.paused) {
                    out.add(s.tp);
                }
            }
            return Set.copyOf(out);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Set<TopicPartition> assignment() {
        return assignmentView;
    }

    @Override
    public OptionalLong position(TopicPartition partition) {
        lock.lock();
        try {
            PartitionState s = partitions.get(partition);
            return s != null && s.active ? OptionalLong.of(s.deliveredPosition) : OptionalLong.empty();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public OptionalLong committed(TopicPartition partition) {
        Objects.requireNonNull(partition, "partition");
        FetchOffsetResponse r = await(pool.sendWithRetry(new FetchOffsetRequest(group, List.of(partition)),
                FetchOffsetResponse.class));
        if (r.errorCode() != 0 && r.errorCode() != GroupCoordinationException.UNKNOWN_GROUP) {
            throw new GroupCoordinationException("FetchOffset", group, r.errorCode());
        }
        Long offset = r.offsets().get(partition);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    @Override
    public ConsumerMetrics metrics() {
        Map<TopicPartition, Long> lag = new HashMap<>();
        long total = 0;
        lock.lock();
        try {
            for (PartitionState s : partitions.values()) {
                if (s.active && s.highWatermark >= 0) {
                    long l = Math.max(0, s.highWatermark - s.deliveredPosition);
                    lag.put(s.tp, l);
                    total += l;
                }
            }
        } finally {
            lock.unlock();
        }
        long last = lastReceiveMillis;
        return new ConsumerMetrics(group, received.sum(), processed.sum(), nacked.sum(), deadLettered.sum(), lag,
                total, last == 0 ? null : Instant.ofEpochMilli(last));
    }

    private PartitionState requireAssigned(TopicPartition tp) {
        PartitionState s = partitions.get(Objects.requireNonNull(tp, "partition"));
        if (s == null) {
            throw new IllegalStateException(tp + " is not assigned to this consumer of group '" + group
                    + "' (assignment: " + partitions.keySet() + ")");
        }
        return s;
    }

    private void checkAssigned(Collection<TopicPartition> tps) {
        lock.lock();
        try {
            for (TopicPartition tp : tps) {
                requireAssigned(tp);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The partition's high watermark, from a Fetch past any offset (which returns no records). */
    private long highWatermark(TopicPartition tp) {
        FetchResponse r = await(pool.sendWithRetry(new FetchRequest(tp.topic(), tp.partition(), Long.MAX_VALUE, 0, 0),
                FetchResponse.class));
        return r.highWatermark();
    }

    private long offsetForTimestamp(TopicPartition tp, Instant instant) {
        long end = highWatermark(tp);
        return TimestampSearch.firstOffsetAtOrAfter(0, end, instant.toEpochMilli(), offset -> {
            FetchResponse r = await(pool.sendWithRetry(new FetchRequest(tp.topic(), tp.partition(), offset, 0, 0),
                    FetchResponse.class));
            return r.records().isEmpty() ? TimestampSearch.NO_RECORD : r.records().get(0).timestamp();
        });
    }

    private <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw ConnectionPool.unwrap(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RustMQException("interrupted while waiting for the broker", e, false);
        }
    }

    // ------------------------------------------------------------------------------------------------ membership

    private void runMember() {
        long nextHeartbeat = 0;
        long nextCommit = System.nanoTime() + config.autoCommitInterval().toNanos();
        long rejoinAt = System.nanoTime();
        long nextHandoverTry = 0;
        int joinFailures = 0;
        try {
            while (!closed) {
                long now = System.nanoTime();
                if (rejoinRequested) {
                    if (now - rejoinAt >= 0) {
                        try {
                            join();
                            joinFailures = 0;
                            nextHeartbeat = System.nanoTime() + heartbeatNanos;
                        } catch (RustMQException e) {
                            if (!e.isRetriable()) {
                                throw e;
                            }
                            joinFailures++;
                            rejoinAt = System.nanoTime() + Math.max(TimeUnit.MILLISECONDS.toNanos(1),
                                    backoff.delay(joinFailures).toNanos());
                            LOG.log(System.Logger.Level.DEBUG, () -> "joining group " + group + " failed ("
                                    + e.getMessage() + "); retrying");
                        }
                    }
                } else if (now - nextHeartbeat >= 0) {
                    nextHeartbeat = now + heartbeatNanos;
                    if (!heartbeat()) {
                        rejoinAt = System.nanoTime()
                                + ThreadLocalRandom.current().nextLong(heartbeatNanos / 4 + 1);
                    }
                }
                now = System.nanoTime();
                if (config.enableAutoCommit() && !rejoinRequested && now - nextCommit >= 0) {
                    nextCommit = now + config.autoCommitInterval().toNanos();
                    commitAsync().whenComplete((v, e) -> {
                        if (e != null) {
                            LOG.log(System.Logger.Level.DEBUG, () -> "auto-commit of group " + group + " failed: "
                                    + e.getMessage());
                        }
                    });
                }
                long nextHandover = NEVER;
                if (!rejoinRequested && now - nextHandoverTry >= 0) {
                    try {
                        nextHandover = activateHandovers(now);
                    } catch (RustMQException e) {
                        if (!e.isRetriable()) {
                            throw e;
                        }
                        LOG.log(System.Logger.Level.DEBUG, () -> "resolving start offsets of group " + group
                                + " failed (" + e.getMessage() + "); retrying");
                        nextHandoverTry = System.nanoTime() + pollNanos;
                        nextHandover = nextHandoverTry;
                    }
                } else if (!rejoinRequested) {
                    nextHandover = nextHandoverTry;
                }
                long wakeAt = fetchDue(System.nanoTime());
                wakeAt = Math.min(wakeAt, nextHandover);
                wakeAt = Math.min(wakeAt, rejoinRequested ? rejoinAt : nextHeartbeat);
                if (config.enableAutoCommit()) {
                    wakeAt = Math.min(wakeAt, nextCommit);
                }
                long sleep = wakeAt == NEVER ? heartbeatNanos : wakeAt - System.nanoTime();
                if (sleep > 0 && !closed) {
                    wakeup.tryAcquire(sleep, TimeUnit.NANOSECONDS);
                }
                wakeup.drainPermits();
            }
            shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(new RustMQException("the member thread of group '" + group + "' was interrupted", e, false));
        } catch (RustMQException e) {
            if (closed) {
                LOG.log(System.Logger.Level.DEBUG, () -> "consumer of group " + group + " stopped: " + e.getMessage());
            } else {
                LOG.log(System.Logger.Level.ERROR, "consumer of group " + group + " failed", e);
            }
            fail(e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "consumer of group " + group + " failed unexpectedly", e);
            fail(new RustMQException("the consumer of group '" + group + "' failed: " + e, e, false));
        }
    }

    private void fail(RustMQException e) {
        if (fatal == null && !closed) {
            fatal = e;
        }
        lock.lock();
        try {
            available.signalAll();
        } finally {
            lock.unlock();
        }
        wakeup.release();
    }

    /**
     * Sends one heartbeat.
     *
     * @return {@code false} if the group asked for a rejoin (then {@link #rejoinRequested} is set)
     */
    private boolean heartbeat() {
        ConsumerHeartbeatResponse r;
        try {
            r = await(pool.sendWithRetry(new ConsumerHeartbeatRequest(group, memberId, generation),
                    ConsumerHeartbeatResponse.class));
        } catch (RustMQException e) {
            if (!e.isRetriable()) {
                throw e;
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "heartbeat of group " + group + " failed: " + e.getMessage());
            return true;
        }
        int code = r.errorCode();
        if (code == 0) {
            return true;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "heartbeat of member " + memberId + " (group " + group
                + ", generation " + generation + ") answered " + code + " ("
                + GroupCoordinationException.describe(code) + "); rejoining");
        rejoinRequested = true;
        return false;
    }

    private void join() {
        int sessionMs = (int) config.sessionTimeout().toMillis();
        JoinGroupResponse r = await(pool.sendWithRetry(new JoinGroupRequest(group, memberId, sessionMs, topics),
                JoinGroupResponse.class));
        if (r.errorCode() != 0) {
            throw new GroupCoordinationException("JoinGroup", group, r.errorCode());
        }
        String me = r.memberId();
        memberId = me;
        generation = r.generationId();
        rejoinRequested = false;
        commitUncommittedRevoked();
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
        lock.lock();
        try {
            for (PartitionState s : partitions.values()) {
                if (!mine.contains(s.tp)) {
                    revoked.add(s);
                }
            }
            for (TopicPartition tp : mine) {
                if (!partitions.containsKey(tp)) {
                    added.add(tp);
                }
            }
        } finally {
            lock.unlock();
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "member " + me + " of group " + group + " joined generation "
                + r.generationId() + ": assigned " + mine + ", revoked " + revoked.size() + ", new " + added);
        if (!revoked.isEmpty()) {
            revoke(revoked);
        }
        if (!added.isEmpty()) {
            long handoverAt = System.nanoTime() + (others ? handoverDelayNanos : 0);
            lock.lock();
            try {
                for (TopicPartition tp : added) {
                    PartitionState s = new PartitionState(tp, config.fetchSize());
                    s.handoverAtNanos = handoverAt;
                    partitions.put(tp, s);
                }
                assignmentView = Set.copyOf(partitions.keySet());
            } finally {
                lock.unlock();
            }
            callListener("onPartitionsAssigned", () -> listener.onPartitionsAssigned(List.copyOf(added)));
        }
    }

    /** Stops delivery of the partitions, tells the listener, waits briefly for acknowledgments, commits, releases. */
    private void revoke(List<PartitionState> states) {
        List<TopicPartition> tps = new ArrayList<>(states.size());
        lock.lock();
        try {
            for (PartitionState s : states) {
                s.assigned = false;
                s.parked.clear();
                s.parkedRedeliveries.clear();
                s.buffered = 0;
                partitions.remove(s.tp);
                tps.add(s.tp);
            }
            ready.removeIf(b -> !b.state.assigned);
            assignmentView = Set.copyOf(partitions.keySet());
        } finally {
            lock.unlock();
        }
        callListener("onPartitionsRevoked", () -> listener.onPartitionsRevoked(List.copyOf(tps)));
        long deadline = System.nanoTime() + graceNanos;
        while (System.nanoTime() - deadline < 0 && states.stream().anyMatch(s -> s.acks.unsettled() > 0)) {
            try {
                TimeUnit.MILLISECONDS.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RustMQException("interrupted while revoking partitions", e, false);
            }
        }
        try {
            await(commitStates(states));
        } catch (GroupCoordinationException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "group " + group + ": committing the offsets of revoked"
                    + " partitions " + tps + " was refused (" + e.getMessage() + "); committing them again after the"
                    + " next join");
            uncommittedRevoked.addAll(states);
        } catch (RustMQException e) {
            LOG.log(System.Logger.Level.WARNING, "group " + group + ": committing the offsets of revoked partitions "
                    + tps + " failed (" + e.getMessage() + "); their next owner may read acknowledged messages again");
        }
    }

    /** Commits revoked partitions whose earlier commit was refused, with the current generation. */
    private void commitUncommittedRevoked() {
        if (uncommittedRevoked.isEmpty()) {
            return;
        }
        List<PartitionState> states = new ArrayList<>(uncommittedRevoked);
        uncommittedRevoked.clear();
        try {
            await(commitStates(states));
            uncommittedRevokedAttempts = 0;
        } catch (RustMQException e) {
            if (e instanceof GroupCoordinationException && ++uncommittedRevokedAttempts < 3) {
                uncommittedRevoked.addAll(states);
                return;
            }
            uncommittedRevokedAttempts = 0;
            LOG.log(System.Logger.Level.WARNING, "group " + group + ": committing the offsets of revoked partitions"
                    + " failed again (" + e.getMessage() + "); their next owner may read acknowledged messages again");
        }
    }

    private void callListener(String method, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "rebalance listener " + method + " of group " + group + " threw", e);
        }
    }

    /** Resolves the start offsets of partitions whose handover delay has passed; returns when the next one is due. */
    private long activateHandovers(long now) {
        List<PartitionState> due = new ArrayList<>(0);
        long next = NEVER;
        lock.lock();
        try {
            for (PartitionState s : partitions.values()) {
                if (!s.active) {
                    if (s.handoverAtNanos - now <= 0) {
                        due.add(s);
                    } else {
                        next = Math.min(next, s.handoverAtNanos);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (due.isEmpty()) {
            return next;
        }
        List<TopicPartition> tps = new ArrayList<>(due.size());
        for (PartitionState s : due) {
            tps.add(s.tp);
        }
        FetchOffsetResponse committed = await(pool.sendWithRetry(new FetchOffsetRequest(group, tps),
                FetchOffsetResponse.class));
        for (PartitionState s : due) {
            Long c = committed.offsets().get(s.tp);
            long position = c != null ? c : startOffset(s.tp);
            lock.lock();
            try {
                if (s.assigned && !s.active) {
                    reposition(s, position);
                    s.committed = c != null ? c : -1;
                }
            } finally {
                lock.unlock();
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "group " + group + ": " + s.tp + " starts at " + position
                    + (c != null ? " (committed)" : " (" + config.startPosition() + ")"));
        }
        return next;
    }

    private long startOffset(TopicPartition tp) {
        StartPosition p = config.startPosition();
        if (p instanceof StartPosition.Earliest) {
            return 0;
        }
        if (p instanceof StartPosition.Offset o) {
            return o.offset();
        }
        if (p instanceof StartPosition.Timestamp t) {
            return offsetForTimestamp(tp, t.instant());
        }
        return highWatermark(tp);
    }

    /** Member thread, on close: revoke everything (listener, grace, commit) and leave the group. */
    private void shutdown() {
        if (memberId.isEmpty() || fatal != null) {
            return;
        }
        Producer p;
        synchronized (producerLock) {
            p = deadLetterProducer;
        }
        if (p != null) {
            try {
                p.flush();
            } catch (RustMQException e) {
                LOG.log(System.Logger.Level.WARNING, "flushing the dead-letter producer of group " + group
                        + " failed: " + e.getMessage());
            }
        }
        List<PartitionState> all;
        lock.lock();
        try {
            all = new ArrayList<>(partitions.values());
        } finally {
            lock.unlock();
        }
        if (!all.isEmpty()) {
            revoke(all);
        }
        if (!uncommittedRevoked.isEmpty()) {
            // The group moved to a new generation meanwhile (another member joined or left): join once more to
            // learn it, so that the acknowledged offsets are not lost, then leave.
            try {
                JoinGroupResponse r = await(pool.sendWithRetry(new JoinGroupRequest(group, memberId,
                        (int) config.sessionTimeout().toMillis(), topics), JoinGroupResponse.class));
                generation = r.generationId();
                uncommittedRevokedAttempts = 2;
                commitUncommittedRevoked();
            } catch (RustMQException e) {
                LOG.log(System.Logger.Level.WARNING, "group " + group + ": could not rejoin to commit on close ("
                        + e.getMessage() + "); the partitions' next owners may read acknowledged messages again");
            }
        }
        try {
            LeaveGroupResponse r = await(pool.sendWithRetry(new LeaveGroupRequest(group, memberId),
                    LeaveGroupResponse.class));
            if (r.errorCode() != 0) {
                LOG.log(System.Logger.Level.DEBUG, () -> "LeaveGroup of group " + group + " answered "
                        + GroupCoordinationException.describe(r.errorCode()));
            }
        } catch (RustMQException e) {
            LOG.log(System.Logger.Level.WARNING, "leaving group " + group + " failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        lock.lock();
        try {
            available.signalAll();
        } finally {
            lock.unlock();
        }
        wakeup.release();
        compressionContexts.close();
        synchronized (producerLock) {
            if (retryTimer != null) {
                retryTimer.shutdownNow();
            }
        }
        if (Thread.currentThread() == member) {
            return;
        }
        try {
            member.join(3 * pool.config().requestTimeout().toMillis() + TimeUnit.NANOSECONDS.toMillis(graceNanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (member.isAlive()) {
            LOG.log(System.Logger.Level.WARNING, "the member thread of group " + group + " did not stop in time");
        }
        Producer p;
        synchronized (producerLock) {
            p = deadLetterProducer;
        }
        if (p != null) {
            p.close(pool.config().requestTimeout());
        }
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return {@code true} once closing has begun
     */
    public boolean isClosed() {
        return closing.get();
    }

    @Override
    public String toString() {
        return "DefaultConsumer{group=" + group + ", topics=" + topics + ", member=" + memberId + ", generation="
                + generation + "}";
    }

    // ------------------------------------------------------------------------------------------------ state

    /** One assigned partition. Fields other than {@link #acks} and {@link #committed} are guarded by the lock. */
    private static final class PartitionState {
        final TopicPartition tp;
        final AckTracker acks = new AckTracker();
        final ArrayDeque<Batch> parked = new ArrayDeque<>();
        final List<ConsumerMessage> parkedRedeliveries = new ArrayList<>(0);
        int epoch;
        boolean assigned = true;
        /** Whether the position is known (resolved or seeked). */
        boolean active;
        long handoverAtNanos;
        long fetchPosition;
        long deliveredPosition;
        long highWatermark = -1;
        int buffered;
        int refillBelow;
        boolean fetching;
        long idleUntilNanos;
        boolean paused;
        /** The last offset committed (or found committed), -1 if none. */
        volatile long committed = -1;

        PartitionState(TopicPartition tp, int refillBelow) {
            this.tp = tp;
            this.refillBelow = refillBelow;
        }
    }

    /** The records of one fetch, consumed from {@link #next}. */
    private static final class Batch {
        final PartitionState state;
        final int epoch;
        final List<WireRecord> records;
        final long base;
        int next;

        Batch(PartitionState state, int epoch, List<WireRecord> records, long base) {
            this.state = state;
            this.epoch = epoch;
            this.records = records;
            this.base = base;
        }
    }

    /** A fetch to send. */
    private record FetchTask(PartitionState state, int epoch, long offset) {
    }

    /** A nacked message and when to deliver it again. */
    private record Redelivery(ConsumerMessage message, long dueNanos) {
    }

    /** A delivery taken under the lock: a redelivered message, or a record still to convert. */
    private record Taken(ConsumerMessage redelivered, PartitionState state, int epoch, WireRecord record,
                         long offset) {
    }
}
