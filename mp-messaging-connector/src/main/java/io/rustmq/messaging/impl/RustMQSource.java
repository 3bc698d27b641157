package io.rustmq.messaging.impl;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.ProtocolException;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.RustMQException;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.consumer.RebalanceListener;
import io.rustmq.client.TopicPartition;
import io.rustmq.messaging.IncomingChannelMetrics;
import io.rustmq.messaging.IncomingRustMQBatchMetadata;
import io.rustmq.messaging.IncomingRustMQMetadata;
import io.rustmq.messaging.commit.CommitStrategy;
import io.rustmq.messaging.commit.ProcessingTracker;
import io.rustmq.messaging.fault.FailureStrategy;
import io.rustmq.messaging.health.BrokerReachability;
import io.rustmq.messaging.health.ChannelHealth;
import io.smallrye.reactive.messaging.health.HealthReport;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * An incoming channel: one group consumer, a polling thread that fills the lanes' queues within the
 * {@code max-queue-size}/{@code max-queue-bytes} bounds (pausing the partitions at the bound, resuming below half),
 * and one {@link Lane} per concurrent copy of the channel. Acknowledgments go to the consumer, which commits
 * gap-free; nacks follow the failure strategy.
 */
public final class RustMQSource {
    private static final System.Logger LOG = System.getLogger(RustMQSource.class.getName());
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final IncomingSettings settings;
    private final ClientRegistry registry;
    private final RustMQClient client;
    private final Consumer consumer;
    private final Lane[] lanes;
    private final ProcessingTracker tracker = new ProcessingTracker();
    private final BrokerReachability reachability;
    private final ChannelTracing tracing;
    private final int pollSize;
    private final Object room = new Object();
    private final java.util.Map<Object, Affinity> affinity = new java.util.HashMap<>();
    private final AtomicInteger[] laneLoad;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicInteger maxQueued = new AtomicInteger();
    private final LongAdder received = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final LongAdder nacked = new LongAdder();
    private final AtomicLong pauses = new AtomicLong();
    private final AtomicLong resumes = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean commitRunning = new AtomicBoolean();
    private final AtomicBoolean commitAgain = new AtomicBoolean();
    private final AtomicInteger nextLane = new AtomicInteger();
    private volatile boolean pausedByBackpressure;
    private volatile boolean pollerWaiting;
    private volatile boolean assignedOnce;
    private volatile boolean running = true;
    private volatile boolean closing;
    private volatile Throwable failure;
    private volatile String failureText;
    private volatile Thread poller;
    private final Set<Unit> reportedStuck = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Creates the channel's consumer (it joins its group at once) and its lanes; polling starts with the first
     * subscription.
     *
     * @param settings the channel settings
     * @param registry the shared clients
     * @param clientConfig the connection settings
     * @throws IllegalArgumentException if the consumer settings are invalid (naming the channel)
     */
    public RustMQSource(IncomingSettings settings, ClientRegistry registry, ClientConfig clientConfig) {
        this.settings = settings;
        this.registry = registry;
        ConsumerConfig.Builder cb = ConsumerConfig.builder()
                .startPosition(settings.startPosition())
                .enableAutoCommit(settings.commitStrategy() == CommitStrategy.THROTTLED
                        || (settings.commitStrategy() == CommitStrategy.IGNORE && settings.enableAutoCommit()))
                .autoCommitInterval(settings.autoCommitInterval())
                .rebalanceListener(new Listener());
        int defaultFetch = ConsumerConfig.defaults().fetchSize();
        this.pollSize = Math.max(1, Math.min(settings.fetchSize() > 0 ? settings.fetchSize() : defaultFetch,
                settings.maxQueueSize()));
        cb.fetchSize(pollSize);
        if (settings.sessionTimeout() != null) {
            cb.sessionTimeout(settings.sessionTimeout());
        }
        switch (settings.failureStrategy()) {
            case DEAD_LETTER_QUEUE -> cb.maxRedeliveries(0).deadLetterTopic(settings.deadLetterTopic());
            case DELAYED_RETRY -> {
                cb.maxRedeliveries(settings.retryMaxAttempts()).redeliveryBackoff(settings.retryBackoff());
                if (settings.deadLetterTopic() != null) {
                    cb.deadLetterTopic(settings.deadLetterTopic());
                }
            }
            default -> cb.maxRedeliveries(0);
        }
        ConsumerConfig cc;
        try {
            cc = cb.build();
        } catch (RustMQException e) {
            throw new IllegalArgumentException("smallrye-rustmq channel '" + settings.channel() + "': "
                    + e.getMessage(), e);
        }
        this.client = registry.acquire(clientConfig);
        try {
            this.consumer = client.createConsumer(settings.topics(), settings.group(), cc);
        } catch (RuntimeException e) {
            registry.release(client);
            throw e;
        }
        this.reachability = new BrokerReachability(client, settings.healthCheckInterval());
        this.tracing = ChannelTracing.of(clientConfig);
        this.lanes = new Lane[settings.concurrency()];
        this.laneLoad = new AtomicInteger[lanes.length];
        for (int i = 0; i < lanes.length; i++) {
            laneLoad[i] = new AtomicInteger();
        }
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(this, lanes.length == 1 ? settings.channel() : settings.channel() + "$" + (i + 1));
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "channel " + settings.channel() + " reads " + settings.topics()
                + " as group " + settings.group());
    }

    /**
     * The publisher of one concurrent copy of the channel.
     *
     * @param index 0-based copy index
     * @return the lane
     * @throws IllegalArgumentException if the index exceeds {@code concurrency}
     */
    public Flow.Publisher<Message<?>> lane(int index) {
        if (index < 0 || index >= lanes.length) {
            throw new IllegalArgumentException("smallrye-rustmq channel '" + settings.channel() + "': copy "
                    + (index + 1) + " exceeds concurrency " + lanes.length);
        }
        return lanes[index];
    }

    void laneSubscribed() {
        if (started.compareAndSet(false, true)) {
            Thread t = new Thread(this::pollLoop, "rustmq-poll-" + settings.channel());
            t.setDaemon(true);
            poller = t;
            t.start();
        }
    }

    // ---------------------------------------------------------------- polling and backpressure

    private void pollLoop() {
        while (running) {
            try {
                applyBackpressure();
                reportStuck();
                int space = settings.maxQueueSize() - queued.get();
                if (space <= 0 || (queuedBytes.get() >= settings.maxQueueBytes() && queued.get() > 0)) {
                    synchronized (room) {
                        pollerWaiting = true;
                        try {
                            room.wait(100);
                        } finally {
                            pollerWaiting = false;
                        }
                    }
                    continue;
                }
                List<ConsumerMessage> got;
                if (space >= pollSize) {
                    got = consumer.poll(POLL_TIMEOUT);
                } else {
                    ConsumerMessage one = consumer.receive(POLL_TIMEOUT);
                    got = one == null ? List.of() : List.of(one);
                }
                if (!got.isEmpty() && running) {
                    dispatch(got);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ProtocolException e) {
                LOG.log(System.Logger.Level.WARNING, "channel " + settings.channel() + ": " + e.getMessage());
            } catch (RustMQException e) {
                if (!running) {
                    return;
                }
                if (e.isRetriable()) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "channel " + settings.channel() + ": " + e);
                } else {
                    fail(e, "the consumer failed: " + e);
                    return;
                }
            } catch (RuntimeException e) {
                if (running) {
                    fail(e, "the polling loop failed: " + e);
                }
                return;
            }
        }
    }

    private void dispatch(List<ConsumerMessage> got) {
        received.add(got.size());
        if (settings.batch()) {
            List<List<ConsumerMessage>> perLane = new ArrayList<>(lanes.length);
            for (int i = 0; i < lanes.length; i++) {
                perLane.add(new ArrayList<>());
            }
            for (ConsumerMessage m : got) {
                perLane.get(laneOf(m)).add(m);
            }
            for (int i = 0; i < lanes.length; i++) {
                if (!perLane.get(i).isEmpty()) {
                    enqueue(i, new Unit(List.copyOf(perLane.get(i))));
                }
            }
        } else {
            for (ConsumerMessage m : got) {
                Unit u = new Unit(List.of(m));
                enqueue(assignLane(u), u);
            }
        }
    }

    private void enqueue(int lane, Unit u) {
        u.lane = lane;
        int q = queued.addAndGet(u.records.size());
        queuedBytes.addAndGet(u.bytes);
        maxQueued.accumulateAndGet(q, Math::max);
        lanes[lane].offer(u);
    }

    /**
     * Chooses the lane of a single record. With one lane, lane 0. With {@code ordering=key} (or {@code partition}),
     * a key (partition) that still has a record queued or in processing stays on that record's lane, which keeps its
     * order; a key with nothing pending goes to the least loaded lane, so one slow key never holds back keys that
     * merely hash alike. With {@code none}, the least loaded lane.
     */
    private int assignLane(Unit u) {
        if (lanes.length == 1) {
            return 0;
        }
        if (settings.ordering() == Ordering.NONE) {
            return loadLane(leastBusyLane());
        }
        ConsumerMessage m = u.first();
        Object key = settings.ordering() == Ordering.KEY && m.key() != null
                ? java.nio.ByteBuffer.wrap(m.key()) : m.topicPartition();
        synchronized (affinity) {
            Affinity a = affinity.get(key);
            if (a == null) {
                a = new Affinity(leastBusyLane());
                affinity.put(key, a);
            }
            a.pending++;
            u.affinityKey = key;
            return loadLane(a.lane);
        }
    }

    private int loadLane(int lane) {
        laneLoad[lane].incrementAndGet();
        return lane;
    }

    /**
     * A single-record unit was settled or dropped: its lane has one record less, and its key may move.
     *
     * @param u the unit
     */
    void released(Unit u) {
        if (lanes.length == 1 || settings.batch() || !u.released.compareAndSet(false, true)) {
            return;
        }
        Object key = u.affinityKey;
        if (key != null) {
            synchronized (affinity) {
                Affinity a = affinity.get(key);
                if (a != null && --a.pending == 0) {
                    affinity.remove(key);
                }
            }
        }
        if (u.lane >= 0) {
            laneLoad[u.lane].decrementAndGet();
        }
    }

    /** The lane a key is bound to while it has records pending, and how many. */
    private static final class Affinity {
        final int lane;
        int pending;

        Affinity(int lane) {
            this.lane = lane;
        }
    }

    /** The lane of a record in batch mode, where a unit mixes keys: by key (or partition) hash. */
    private int laneOf(ConsumerMessage m) {
        int n = lanes.length;
        if (n == 1) {
            return 0;
        }
        return switch (settings.ordering()) {
            case KEY -> m.key() != null ? Math.floorMod(Arrays.hashCode(m.key()), n)
                    : Math.floorMod(m.topic().hashCode() * 31 + m.partition(), n);
            case PARTITION -> Math.floorMod(m.topic().hashCode() * 31 + m.partition(), n);
            case NONE -> leastBusyLane();
        };
    }

    private int leastBusyLane() {
        int start = Math.floorMod(nextLane.getAndIncrement(), lanes.length);
        int best = start;
        int bestSize = Integer.MAX_VALUE;
        for (int k = 0; k < lanes.length; k++) {
            int i = (start + k) % lanes.length;
            int s = laneLoad[i].get();
            if (s < bestSize) {
                best = i;
                bestSize = s;
            }
        }
        return best;
    }

    void dequeued(Unit u) {
        int q = queued.addAndGet(-u.records.size());
        long b = queuedBytes.addAndGet(-u.bytes);
        // Wake the poller only when it waits for room (not once per record): at the resume threshold if the
        // partitions are paused, else as soon as there is room.
        if (pollerWaiting && (pausedByBackpressure
                ? q <= settings.maxQueueSize() / 2 && b <= settings.maxQueueBytes() / 2
                : q < settings.maxQueueSize())) {
            synchronized (room) {
                room.notifyAll();
            }
        }
    }

    private boolean full() {
        return queued.get() >= settings.maxQueueSize()
                || (queuedBytes.get() >= settings.maxQueueBytes() && queued.get() > 0);
    }

    private void applyBackpressure() {
        try {
            if (full()) {
                Set<TopicPartition> assigned = consumer.assignment();
                if (!pausedByBackpressure || !consumer.paused().containsAll(assigned)) {
                    consumer.pause(assigned);
                    if (!pausedByBackpressure) {
                        pausedByBackpressure = true;
                        pauses.incrementAndGet();
                        LOG.log(System.Logger.Level.DEBUG, () -> "channel " + settings.channel() + ": paused "
                                + assigned + " with " + queued.get() + " records queued");
                    }
                }
            } else if (pausedByBackpressure && queued.get() <= settings.maxQueueSize() / 2
                    && queuedBytes.get() <= settings.maxQueueBytes() / 2) {
                consumer.resume(consumer.paused());
                pausedByBackpressure = false;
                resumes.incrementAndGet();
                LOG.log(System.Logger.Level.DEBUG, () -> "channel " + settings.channel() + ": resumed");
            }
        } catch (IllegalStateException e) {
            // A partition was revoked between reading the assignment and pausing it: the next round retries.
            LOG.log(System.Logger.Level.DEBUG, () -> "channel " + settings.channel() + ": " + e.getMessage());
        }
    }

    private void reportStuck() {
        Duration max = settings.unprocessedMaxAge();
        if (max.isZero()) {
            return;
        }
        Unit oldest = tracker.oldest();
        if (oldest != null && System.nanoTime() - oldest.startNanos > max.toNanos() && reportedStuck.add(oldest)) {
            LOG.log(System.Logger.Level.WARNING, "channel " + settings.channel() + ": " + stuckText(oldest));
        }
        reportedStuck.removeIf(u -> u.settled.get());
    }

    private String stuckText(Unit u) {
        long ageMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - u.startNanos);
        String key = u.first().keyAsString();
        return u.describe() + (key == null ? "" : " (key " + key + ")") + " has been processed for " + ageMillis
                + " ms without an ack or nack (unprocessed-record-max-age " + settings.unprocessedMaxAge().toMillis()
                + " ms); commits of its partition wait for it";
    }

    // ---------------------------------------------------------------- messages, acks and nacks

    Message<?> deliverable(Unit u, String laneName) {
        if (closing || failure != null) {
            return null;
        }
        u.startNanos = System.nanoTime();
        tracker.started(u);
        Metadata metadata;
        Object payload;
        if (settings.batch()) {
            List<IncomingRustMQMetadata> metas = new ArrayList<>(u.records.size());
            List<byte[]> payloads = new ArrayList<>(u.records.size());
            for (ConsumerMessage m : u.records) {
                metas.add(new IncomingRustMQMetadata(m, settings.group(), laneName));
                payloads.add(m.payload());
            }
            metadata = Metadata.of(new IncomingRustMQBatchMetadata(metas), metas.get(metas.size() - 1));
            payload = new io.rustmq.messaging.IncomingRustMQBatch(payloads);
        } else {
            ConsumerMessage m = u.first();
            metadata = tracing.incoming(Metadata.of(new IncomingRustMQMetadata(m, settings.group(), laneName)), m);
            payload = m.payload();
        }
        return new IncomingRustMQMessage<>(payload, metadata, this, u);
    }

    /**
     * Makes a message's trace context current while it is delivered (see {@link ChannelTracing#enter}).
     *
     * @param message a message of this channel
     * @return the scope to close after the delivery, on the same thread
     */
    ChannelTracing.Scope enterTrace(Message<?> message) {
        return tracing.enter(message);
    }

    CompletionStage<Void> ack(Unit u) {
        if (!u.settled.compareAndSet(false, true)) {
            return DONE;
        }
        tracker.finished(u);
        settleAsProcessed(u);
        released(u);
        acked.add(u.records.size());
        if (settings.commitStrategy() == CommitStrategy.LATEST) {
            commitSoon();
        }
        return DONE;
    }

    CompletionStage<Void> nack(Unit u, Throwable failure) {
        if (!u.settled.compareAndSet(false, true)) {
            return DONE;
        }
        Throwable reason = rootOf(failure);
        tracker.finished(u);
        released(u);
        nacked.add(u.records.size());
        if (closing) {
            LOG.log(System.Logger.Level.DEBUG, () -> "channel " + settings.channel() + ": " + u.describe()
                    + " nacked during shutdown; left unacknowledged, it is delivered again: " + reason);
            return DONE;
        }
        FailureStrategy strategy = settings.failureStrategy();
        switch (strategy) {
            case FAIL -> fail(reason, u.describe() + " was nacked and failure-strategy is fail: " + reason);
            case IGNORE -> {
                LOG.log(System.Logger.Level.WARNING, "channel " + settings.channel() + ": " + u.describe()
                        + " nacked, ignored (failure-strategy=ignore): " + reason);
                settleAsProcessed(u);
                if (settings.commitStrategy() == CommitStrategy.LATEST) {
                    commitSoon();
                }
            }
            case DEAD_LETTER_QUEUE -> {
                LOG.log(System.Logger.Level.INFO, () -> "channel " + settings.channel() + ": " + u.describe()
                        + " nacked, sent to " + settings.deadLetterTopic() + ": " + reason);
                for (ConsumerMessage m : u.records) {
                    m.nack(reason);
                }
            }
            case DELAYED_RETRY -> {
                for (ConsumerMessage m : u.records) {
                    if (m.deliveryCount() <= settings.retryMaxAttempts() || settings.deadLetterTopic() != null) {
                        m.nack(reason);
                    } else {
                        LOG.log(System.Logger.Level.WARNING, "channel " + settings.channel() + ": giving up on "
                                + m.topic() + "-" + m.partition() + "@" + m.offset() + " after "
                                + m.deliveryCount() + " deliveries (retry.max-attempts "
                                + settings.retryMaxAttempts() + "); acknowledged: " + reason);
                        m.ack();
                    }
                }
            }
            default -> throw new IllegalStateException("unknown failure strategy " + strategy);
        }
        return DONE;
    }

    /**
     * The application's own exception: SmallRye wraps what a method throws in its {@code ProcessingException} (and
     * reflection in an {@code InvocationTargetException}); those wrappers say nothing about the record.
     */
    static Throwable rootOf(Throwable t) {
        Throwable r = t;
        while (r != null && r.getCause() != null && r.getCause() != r
                && (r.getClass().getName().endsWith(".ProcessingException")
                || r instanceof java.lang.reflect.InvocationTargetException
                || r instanceof java.util.concurrent.CompletionException
                || r instanceof java.util.concurrent.ExecutionException)) {
            r = r.getCause();
        }
        return r;
    }

    /**
     * Marks the records processed in the consumer, which makes them committable, except with
     * {@code commit-strategy=ignore} and no {@code enable-auto-commit}: then nothing is ever committed, not even when
     * the consumer leaves its group, and a restart reads again from the group's last committed offset (or the start
     * position).
     */
    private void settleAsProcessed(Unit u) {
        if (settings.commitStrategy() == CommitStrategy.IGNORE && !settings.enableAutoCommit()) {
            return;
        }
        for (ConsumerMessage m : u.records) {
            m.ack();
        }
    }

    private void commitSoon() {
        if (!commitRunning.compareAndSet(false, true)) {
            commitAgain.set(true);
            return;
        }
        commitAgain.set(false);
        CompletableFuture<Void> f;
        try {
            f = consumer.commitAsync();
        } catch (RustMQException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((v, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.DEBUG, () -> "channel " + settings.channel() + ": commit failed, "
                        + "retried with the next acknowledgment: " + e);
            }
            commitRunning.set(false);
            if (commitAgain.get() && running) {
                commitSoon();
            }
        });
    }

    private void fail(Throwable cause, String text) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = cause == null ? new IllegalStateException(text) : cause;
            failureText = text;
        }
        running = false;
        LOG.log(System.Logger.Level.ERROR, "channel " + settings.channel() + " stopped: " + text, cause);
        for (Lane l : lanes) {
            l.fail(failure);
        }
        Thread t = new Thread(this::closeConsumer, "rustmq-close-" + settings.channel());
        t.setDaemon(true);
        t.start();
    }

    // ---------------------------------------------------------------- health, metrics, shutdown

    /**
     * The channel's health.
     *
     * @return the health view
     */
    public ChannelHealth health() {
        return new ChannelHealth() {
            @Override
            public boolean enabled() {
                return settings.healthEnabled();
            }

            @Override
            public HealthReport.ChannelInfo startup() {
                boolean ok = reachability.everReached();
                return new HealthReport.ChannelInfo(settings.channel(), ok, reachability.describe());
            }

            @Override
            public HealthReport.ChannelInfo readiness() {
                boolean reachable = reachability.reachable();
                boolean assigned = assignedOnce || !consumer.assignment().isEmpty();
                boolean ok = reachable && assigned && failure == null;
                IncomingChannelMetrics m = metrics();
                String text = reachability.describe() + (assigned ? "" : ", no partitions assigned yet")
                        + (failure == null ? "" : ", failed: " + failureText)
                        + "; queued " + m.queuedRecords() + " records / " + m.queuedBytes() + " bytes (max "
                        + settings.maxQueueSize() + " / " + settings.maxQueueBytes() + "), in processing "
                        + m.inProcessing() + ", paused " + m.pausedPartitions();
                return new HealthReport.ChannelInfo(settings.channel(), ok, text);
            }

            @Override
            public HealthReport.ChannelInfo liveness() {
                if (failure != null) {
                    return new HealthReport.ChannelInfo(settings.channel(), false, failureText);
                }
                Duration max = settings.unprocessedMaxAge();
                Unit oldest = tracker.oldest();
                if (!max.isZero() && oldest != null && System.nanoTime() - oldest.startNanos > max.toNanos()) {
                    return new HealthReport.ChannelInfo(settings.channel(), false, stuckText(oldest));
                }
                return new HealthReport.ChannelInfo(settings.channel(), true);
            }
        };
    }

    /**
     * A snapshot of the channel's queue and processing state.
     *
     * @return the metrics
     */
    public IncomingChannelMetrics metrics() {
        Set<TopicPartition> paused;
        Set<TopicPartition> assignment;
        try {
            paused = pausedByBackpressure ? consumer.paused() : Set.of();
            assignment = consumer.assignment();
        } catch (RustMQException e) {
            paused = Set.of();
            assignment = Set.of();
        }
        return new IncomingChannelMetrics(settings.channel(), queued.get(), queuedBytes.get(), maxQueued.get(),
                tracker.size(), paused, pauses.get(), resumes.get(), received.sum(), acked.sum(), nacked.sum(),
                assignment);
    }

    /**
     * Stops the channel within {@code close-timeout}: stops delivering and polling, waits up to half of it for the
     * records being processed, then gives the consumer the rest to commit what was acknowledged and leave the group;
     * queued and unfinished records are read again by the next owner. Never dead-letters on the way out.
     */
    public void close() {
        if (closing) {
            return;
        }
        long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
        // From now on nothing new is delivered, and a nack leaves its record unacknowledged for the next owner
        // instead of applying the failure strategy: nothing in flight is dead-lettered or retried on the way out.
        closing = true;
        running = false;
        synchronized (room) {
            room.notifyAll();
        }
        if (failure == null) {
            // After a failure the stream is gone and its in-flight messages will never be settled: do not wait.
            // Otherwise wait at most half the budget, so the consumer keeps the other half to commit and leave.
            tracker.awaitEmpty(System.nanoTime() + settings.closeTimeout().toNanos() / 2);
        }
        Thread t = poller;
        if (t != null) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Lane l : lanes) {
            l.complete();
        }
        CompletableFuture<Void> closed = CompletableFuture.runAsync(this::closeConsumer);
        try {
            closed.get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())),
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "channel " + settings.channel()
                    + ": the consumer did not close within " + settings.closeTimeout().toMillis() + " ms (close-timeout); continuing the shutdown");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "channel " + settings.channel() + ": closing the consumer failed",
                    e.getCause());
        }
        for (Lane l : lanes) {
            l.shutdown(100);
        }
        registry.release(client);
    }

    private final AtomicBoolean consumerClosed = new AtomicBoolean();

    private void closeConsumer() {
        if (consumerClosed.compareAndSet(false, true)) {
            try {
                consumer.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "channel " + settings.channel() + ": closing the consumer failed",
                        e);
            }
        }
    }

    private final class Listener implements RebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Set<TopicPartition> revoked = new HashSet<>(partitions);
            for (Lane l : lanes) {
                l.removeIf(u -> revoked.contains(u.first().topicPartition()));
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assignedOnce = true;
        }
    }
}
