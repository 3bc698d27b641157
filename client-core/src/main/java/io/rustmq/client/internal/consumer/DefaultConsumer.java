package io.rustmq.client.internal.consumer;

import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.ConfigurationException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.internal.consumer.Acknowledgments;
import io.rustmq.client.internal.consumer.BrokerChannel;
import io.rustmq.client.internal.consumer.ConsumerThreads;
import io.rustmq.client.internal.consumer.DeadLetterer;
import io.rustmq.client.internal.consumer.Delivery;
import io.rustmq.client.internal.consumer.Fetcher;
import io.rustmq.client.internal.consumer.GroupMembership;
import io.rustmq.client.internal.consumer.Positions;
import io.rustmq.client.internal.consumer.SubscriptionState;
import io.rustmq.client.metrics.ConsumerMetrics;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.TopicPartition;
import io.rustmq.client.internal.Partitions;
import io.rustmq.client.internal.transport.Backoff;
import io.rustmq.client.internal.transport.ConnectionPool;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The consumer behind {@link Consumer}: a facade over its parts in {@code io.rustmq.client.internal.consumer}, each
 * with one job. Created by {@link io.rustmq.client.RustMQClient#createConsumer}.
 *
 * <ul>
 *   <li>{@code GroupMembership}: join, rebalance and leave on the <b>member thread</b> (which also auto-commits,
 *       resolves start offsets and restarts idle fetches); heartbeats on their own <b>heartbeat thread</b>.</li>
 *   <li>{@code Fetcher}: positions, prefetch within the memory budget, decompression; fetch answers are handled on
 *       the transport's threads.</li>
 *   <li>{@code Delivery}: the queue handed to {@code receive}/{@code poll} on the application's threads,
 *       redeliveries, pause and resume.</li>
 *   <li>{@code Acknowledgments} and {@code OffsetCommitter}: ack tracking per partition and gap-free commits.</li>
 *   <li>{@code DeadLetterer}: dead-lettering on its own <b>dead-letter thread</b>.</li>
 * </ul>
 * Every thread comes from one {@code ConsumerThreads}, built from the {@link ThreadFactory} given here.
 */
public final class DefaultConsumer implements Consumer {
    private final ConsumerConfig config;
    private final String group;
    private final List<String> topics;
    private final ConnectionPool pool;
    private final ConsumerThreads threads;
    private final SubscriptionState state;
    private final Fetcher fetcher;
    private final Delivery delivery;
    private final Acknowledgments acks;
    private final DeadLetterer deadLetterer;
    private final GroupMembership membership;
    private final Positions positions;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final LongAdder received = new LongAdder();
    private volatile long lastReceiveMillis;
    /** The tracing hook (issue 16), or null when tracing is off or no tracing library is present. */
    private final io.rustmq.client.tracing.MessageTracer tracer;

    /**
     * Creates a consumer with named daemon threads and starts it. Use
     * {@link io.rustmq.client.RustMQClient#createConsumer(String, String, ConsumerConfig)}.
     *
     * @param config the configuration; its group and topics must be set
     * @param pool the client's connections
     * @param producerFactory creates the producer for the dead-letter topic, on first use (given the topic)
     * @throws ConfigurationException if the group or the topics are not set
     */
    public DefaultConsumer(ConsumerConfig config, ConnectionPool pool, Function<String, Producer> producerFactory) {
        this(config, pool, producerFactory, null);
    }

    /**
     * Creates a consumer whose threads come from a factory and starts it: the member thread joins the group at once.
     *
     * @param config the configuration; its group and topics must be set
     * @param pool the client's connections
     * @param producerFactory creates the producer for the dead-letter topic, on first use, on the dead-letter thread
     * @param threadFactory where every thread of this consumer comes from; {@code null} for named daemon threads
     * @throws ConfigurationException if the group or the topics are not set, or {@code maxFetchBytes} exceeds the
     *     client's {@code maxResponseBytes}
     */
    public DefaultConsumer(ConsumerConfig config, ConnectionPool pool, Function<String, Producer> producerFactory,
                           ThreadFactory threadFactory) {
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
        Objects.requireNonNull(producerFactory, "producerFactory");
        this.group = config.consumerGroup();
        this.topics = config.topics();
        this.pool = Objects.requireNonNull(pool, "pool");
        this.threads = new ConsumerThreads(threadFactory);
        BrokerChannel broker = BrokerChannel.of(pool);
        MessageAccess bridge = MessageAccess.create();
        this.state = new SubscriptionState(group, config.fetchSize(), config.maxFetchBytes(),
                config.maxBufferedBytes());
        this.deadLetterer = config.deadLetterTopic() == null ? null : new DeadLetterer(config.deadLetterTopic(),
                state, bridge, producerFactory, config.maxDeadLetterAttempts(), config.redeliveryBackoff(),
                config.deadLetterFailureListener(), threads);
        GroupMembership[] member = new GroupMembership[1];
        this.fetcher = new Fetcher(state, broker, config.startPosition(), config.fetchSize(), config.maxFetchBytes(),
                config.pollInterval().toNanos(), pool.config().maxResponseBytes(), () -> member[0].wake(),
                this::fail);
        this.delivery = new Delivery(state, fetcher, bridge, deadLetterer);
        this.acks = new Acknowledgments(bridge, delivery, deadLetterer, config.maxRedeliveries(),
                config.redeliveryBackoff());
        bridge.bind(acks);
        this.membership = new GroupMembership(state, broker, fetcher, deadLetterer, new GroupMembership.Settings(
                topics, config.sessionTimeout(), config.heartbeatInterval(), config.handoverDelay(),
                config.pollInterval(), config.enableAutoCommit(), config.autoCommitInterval(),
                new Backoff(pool.config().retry()), config.rebalanceListener()), threads);
        member[0] = membership;
        this.positions = new Positions(state, fetcher, membership::wake);
        this.tracer = io.rustmq.client.tracing.Tracing.forConfig(pool.config());
        membership.start();
    }

    private void fail(RustMQException e) {
        state.fail(e);
        membership.wake();
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public List<String> topics() {
        return topics;
    }

    @Override
    public ConsumerMessage receive(Duration timeout) {
        requireOpen();
        return take(timeout);
    }

    /** Takes one message; the publisher's path, which ends by itself when the consumer closes. */
    private ConsumerMessage take(Duration timeout) {
        List<ConsumerMessage> out = delivery.take(deadline(timeout), 1);
        if (out.isEmpty()) {
            return null;
        }
        received.increment();
        lastReceiveMillis = System.currentTimeMillis();
        traceReceived(out);
        return out.get(0);
    }

    @Override
    public List<ConsumerMessage> poll(Duration timeout) {
        requireOpen();
        List<ConsumerMessage> out = delivery.take(deadline(timeout), config.fetchSize());
        if (!out.isEmpty()) {
            received.add(out.size());
            lastReceiveMillis = System.currentTimeMillis();
            traceReceived(out);
        }
        return out;
    }

    /** Tracing hook (issue 16): a receive span per message handed to the application. */
    private void traceReceived(List<ConsumerMessage> out) {
        if (tracer != null) {
            for (ConsumerMessage m : out) {
                tracer.onReceive(m, group);
            }
        }
    }

    @Override
    public Flow.Publisher<ConsumerMessage> stream() {
        requireOpen();
        return new ConsumerPublisher(new ConsumerPublisher.MessageSource() {
            @Override
            public ConsumerMessage receive(Duration timeout) {
                return take(timeout);
            }

            @Override
            public void release(ConsumerMessage m) {
                received.decrement();
                acks.release(m);
            }

            @Override
            public boolean isClosed() {
                return closing.get();
            }

            @Override
            public String name() {
                return group;
            }

            @Override
            public Thread newThread(Runnable task) {
                return threads.newThread("consumer-stream", group, task);
            }
        }, Duration.ofMillis(100));
    }

    private static long deadline(Duration timeout) {
        long now = System.nanoTime();
        long nanos;
        if (Objects.requireNonNull(timeout, "timeout").isNegative()) {
            nanos = 0;
        } else {
            try {
                nanos = timeout.toNanos();
            } catch (ArithmeticException e) {
                nanos = Long.MAX_VALUE / 2;
            }
        }
        long d = now + nanos;
        return d - now < 0 ? now + Long.MAX_VALUE / 2 : d;
    }

    @Override
    public void commit() {
        BrokerChannel.await(commitAsync());
    }

    @Override
    public CompletableFuture<Void> commitAsync() {
        if (closing.get()) {
            return CompletableFuture.failedFuture(closedException());
        }
        return membership.committer().commitAll();
    }

    @Override
    public void seek(TopicPartition partition, long offset) {
        requireOpen();
        positions.seek(Partitions.toWire(partition), offset);
    }

    @Override
    public void seekToBeginning(Collection<TopicPartition> partitions) {
        requireOpen();
        positions.seekToBeginning(Partitions.toWire(partitions));
    }

    @Override
    public void seekToEnd(Collection<TopicPartition> partitions) {
        requireOpen();
        positions.seekToEnd(Partitions.toWire(partitions));
    }

    @Override
    public void seekToTimestamp(Collection<TopicPartition> partitions, Instant timestamp) {
        requireOpen();
        positions.seekToTimestamp(Partitions.toWire(partitions), Objects.requireNonNull(timestamp, "timestamp"));
    }

    @Override
    public void pause(Collection<TopicPartition> partitions) {
        requireOpen();
        delivery.pause(Partitions.toWire(partitions));
    }

    @Override
    public void resume(Collection<TopicPartition> partitions) {
        requireOpen();
        delivery.resume(Partitions.toWire(partitions));
        membership.wake();
    }

    @Override
    public Set<TopicPartition> paused() {
        return Partitions.toPublicSet(delivery.paused());
    }

    @Override
    public Set<TopicPartition> assignment() {
        return Partitions.toPublicSet(state.assignment());
    }

    @Override
    public OptionalLong position(TopicPartition partition) {
        return positions.position(Partitions.toWire(partition));
    }

    @Override
    public OptionalLong committed(TopicPartition partition) {
        return membership.committer().committed(Partitions.toWire(partition));
    }

    @Override
    public ConsumerMetrics metrics() {
        Positions.Lag lag = positions.lag();
        long last = lastReceiveMillis;
        return new ConsumerMetrics(group, received.sum(), acks.processed(), acks.nacked() + delivery.corruptRecords(),
                deadLetterer == null ? 0 : deadLetterer.stored(), Partitions.toPublicKeys(lag.perPartition()), lag.total(),
                last == 0 ? null : Instant.ofEpochMilli(last), fetcher.positionResets(),
                deadLetterer == null ? 0 : deadLetterer.failures());
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        state.close();
        if (Thread.currentThread() == membership.memberThread()) {
            membership.wake(); // closed from a rebalance listener: the member thread finishes after it returns
            return;
        }
        membership.close(3 * pool.config().requestTimeout().toMillis()
                + TimeUnit.NANOSECONDS.toMillis(membership.graceNanos()));
        if (deadLetterer != null) {
            deadLetterer.close(pool.config().requestTimeout());
        }
        fetcher.closeCompressionContexts();
    }

    private RustMQException closedException() {
        return new RustMQException(this + " is closed");
    }

    /** Every operation but the accessors fails once the consumer is closed, saying so. */
    private void requireOpen() {
        if (closing.get()) {
            throw closedException();
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
        return "DefaultConsumer{group=" + group + ", topics=" + topics + ", member=" + membership.memberId()
                + ", generation=" + membership.generation() + "}";
    }
}
