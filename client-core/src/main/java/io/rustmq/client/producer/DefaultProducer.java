package io.rustmq.client.producer;

import io.rustmq.client.BrokerErrorException;
import io.rustmq.client.Header;
import io.rustmq.client.Message;
import io.rustmq.client.MessageTooLargeException;
import io.rustmq.client.RequestTimeoutException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.SendResult;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.ProduceResponse;
import io.rustmq.client.protocol.TopicPartition;
import io.rustmq.client.protocol.WireHeader;
import io.rustmq.client.protocol.WireRecord;
import io.rustmq.client.transport.Backoff;
import io.rustmq.client.transport.ConnectionPool;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The producer behind {@link Producer}: a per-partition accumulator that sends when a batch is full by count or
 * bytes, or when {@code lingerTime} has passed, with one request in flight per partition, retries of retriable
 * failures with backoff until the delivery timeout, and offsets of a batch reported as {@code base + i}.
 * Created by {@link io.rustmq.client.RustMQClient}.
 */
public final class DefaultProducer implements Producer {
    private static final System.Logger LOG = System.getLogger(DefaultProducer.class.getName());

    private final String topic;
    private final ProducerConfig config;
    private final ConnectionPool pool;
    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;
    private final Partitioner partitioner = new Partitioner();
    private final Map<TopicPartition, PartitionQueue> queues = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<SendResult>> outstanding = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Creates a producer; use {@link io.rustmq.client.RustMQClient#createProducer(String, ProducerConfig)}.
     *
     * @param topic the default topic
     * @param config the producer configuration
     * @param pool the client's connections
     * @param scheduler the client's timer thread for linger and retry delays
     */
    public DefaultProducer(String topic, ProducerConfig config, ConnectionPool pool, ScheduledExecutorService scheduler) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.config = Objects.requireNonNull(config, "config");
        this.pool = pool;
        this.scheduler = scheduler;
        this.backoff = new Backoff(pool.config().retry());
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public SendResult send(Message message) {
        return await(sendAsync(message), config.deliveryTimeout());
    }

    @Override
    public void send(Message message, SendCallback callback) {
        Objects.requireNonNull(callback, "callback");
        sendAsync(message).whenComplete((r, e) -> callback.onCompletion(r, e == null ? null : ConnectionPool.unwrap(e)));
    }

    @Override
    public List<SendResult> sendBatch(List<Message> messages) {
        List<CompletableFuture<SendResult>> futures = new ArrayList<>(messages.size());
        for (Message m : messages) {
            futures.add(sendAsync(m));
        }
        List<SendResult> results = new ArrayList<>(futures.size());
        RustMQException first = null;
        for (CompletableFuture<SendResult> f : futures) {
            try {
                results.add(await(f, config.deliveryTimeout()));
            } catch (RustMQException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return results;
    }

    @Override
    public CompletableFuture<SendResult> sendAsync(Message message) {
        if (closed) {
            return CompletableFuture.failedFuture(new RustMQException("producer for topic '" + topic + "' is closed"));
        }
        try {
            String t = message.topic() != null ? message.topic() : topic;
            WireRecord record = toWire(message);
            int size = record.encodedSize();
            if (size > config.maxMessageSize()) {
                throw new MessageTooLargeException("message", size, config.maxMessageSize(), "maxMessageSize");
            }
            int frame = 1 + ProduceRequest.encodedSize(t, List.of(record), config.ackLevel());
            if (frame > pool.config().maxRequestBytes()) {
                throw new MessageTooLargeException("request frame for one message", frame,
                        pool.config().maxRequestBytes(), "maxRequestBytes");
            }
            int partition;
            if (message.partition().isPresent()) {
                partition = message.partition().getAsInt();
            } else {
                int partitions = await(pool.partitionCount(t), pool.config().requestTimeout());
                partition = partitioner.partition(record.key(), partitions);
            }
            CompletableFuture<SendResult> future = new CompletableFuture<>();
            outstanding.add(future);
            future.whenComplete((r, e) -> outstanding.remove(future));
            TopicPartition tp = new TopicPartition(t, partition);
            PartitionQueue q = queues.computeIfAbsent(tp, PartitionQueue::new);
            q.append(new Pending(record, size, future, System.nanoTime() + config.deliveryTimeout().toNanos()));
            return future;
        } catch (RustMQException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static WireRecord toWire(Message m) {
        List<WireHeader> headers;
        if (m.headers().isEmpty()) {
            headers = List.of();
        } else {
            headers = new ArrayList<>(m.headers().size());
            for (Header h : m.headers()) {
                headers.add(new WireHeader(h.key(), h.value()));
            }
        }
        long ts = m.timestamp() != 0 ? m.timestamp() : System.currentTimeMillis();
        return new WireRecord(m.key(), m.payload(), headers, ts);
    }

    @Override
    public void flush() {
        for (PartitionQueue q : queues.values()) {
            q.sendNow();
        }
        CompletableFuture<?>[] pending = outstanding.toArray(new CompletableFuture<?>[0]);
        try {
            CompletableFuture.allOf(pending).get(config.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // each send reports its own failure through its future; flush only waits for completion
            LOG.log(System.Logger.Level.DEBUG, "flush: at least one send failed: {0}", e.getCause().toString());
        } catch (TimeoutException e) {
            throw new RequestTimeoutException("flush did not complete within deliveryTimeout = "
                    + config.deliveryTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RustMQException("interrupted while flushing", e, false);
        }
    }

    @Override
    public void close() {
        close(config.deliveryTimeout());
    }

    @Override
    public void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        for (PartitionQueue q : queues.values()) {
            q.sendNow();
        }
        CompletableFuture<?>[] pending = outstanding.toArray(new CompletableFuture<?>[0]);
        try {
            CompletableFuture.allOf(pending).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "close: at least one send failed: {0}", e.getCause().toString());
        } catch (TimeoutException e) {
            RustMQException failure = new RequestTimeoutException("producer closed before delivery within " + timeout);
            for (CompletableFuture<?> f : pending) {
                ((CompletableFuture<?>) f).completeExceptionally(failure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw ConnectionPool.unwrap(e.getCause());
        } catch (TimeoutException e) {
            throw new RequestTimeoutException("no result within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RustMQException("interrupted while waiting for the broker", e, false);
        }
    }

    /** A record waiting to be sent, with its future. */
    private record Pending(WireRecord record, int size, CompletableFuture<SendResult> future, long deadlineNanos) {
    }

    /** The accumulator and in-flight state of one partition. */
    private final class PartitionQueue {
        private final TopicPartition tp;
        private final int maxBatchBytes;
        private final ArrayDeque<Pending> queue = new ArrayDeque<>();
        private int queuedBytes;
        private boolean inFlight;
        private ScheduledFuture<?> lingerTimer;

        PartitionQueue(TopicPartition tp) {
            this.tp = tp;
            int overhead = 1 + ProduceRequest.encodedSize(tp.topic(), List.of(), config.ackLevel());
            this.maxBatchBytes = Math.min(config.batchBytes(), pool.config().maxRequestBytes() - overhead);
        }

        void append(Pending p) {
            boolean sendNow;
            synchronized (this) {
                queue.add(p);
                queuedBytes += p.size();
                if (inFlight) {
                    return;
                }
                boolean full = queue.size() >= config.batchSize() || queuedBytes >= maxBatchBytes;
                sendNow = full || config.lingerTime().isZero() || closed;
                if (!sendNow && lingerTimer == null) {
                    try {
                        lingerTimer = scheduler.schedule(this::sendNow, config.lingerTime().toNanos(),
                                TimeUnit.NANOSECONDS);
                    } catch (RejectedExecutionException e) {
                        sendNow = true; // the client is closing: send at once, the send will fail cleanly
                    }
                }
            }
            if (sendNow) {
                drain();
            }
        }

        void sendNow() {
            drain();
        }

        private void drain() {
            List<Pending> batch;
            synchronized (this) {
                if (lingerTimer != null) {
                    lingerTimer.cancel(false);
                    lingerTimer = null;
                }
                if (inFlight || queue.isEmpty()) {
                    return;
                }
                batch = new ArrayList<>(Math.min(queue.size(), config.batchSize()));
                int bytes = 0;
                while (!queue.isEmpty() && batch.size() < config.batchSize()) {
                    Pending next = queue.peek();
                    if (!batch.isEmpty() && bytes + next.size() > maxBatchBytes) {
                        break;
                    }
                    queue.poll();
                    queuedBytes -= next.size();
                    bytes += next.size();
                    batch.add(next);
                }
                inFlight = true;
            }
            if (batch.get(0).record().key() == null) {
                pool.partitionCount(tp.topic()).thenAccept(partitioner::nextBatch);
            }
            List<WireRecord> records = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                records.add(p.record());
            }
            ProduceRequest request = new ProduceRequest(tp.topic(), tp.partition(), records, config.ackLevel(),
                    (int) Math.min(Integer.MAX_VALUE, pool.config().requestTimeout().toMillis()));
            sendBatch(request, batch, 0);
        }

        private void sendBatch(ProduceRequest request, List<Pending> batch, int retries) {
            pool.send(request).whenComplete((response, error) -> {
                if (error == null && response instanceof ProduceResponse r && r.errorCode() == 0) {
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).future().complete(new SendResult(tp.topic(), tp.partition(), r.offset() + i));
                    }
                    finished();
                    return;
                }
                RustMQException failure = error != null ? ConnectionPool.unwrap(error)
                        : response instanceof ProduceResponse r
                        ? new BrokerErrorException("error code " + r.errorCode() + ": " + r.errorMessage())
                        : new RustMQException("unexpected response " + response);
                long now = System.nanoTime();
                long delay = backoff.delay(retries + 1).toNanos();
                boolean canRetry = failure.isRetriable() && retries < pool.config().retry().maxRetries()
                        && now + delay < batch.get(0).deadlineNanos();
                if (canRetry) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "retrying produce to " + tp + ": " + failure.getMessage());
                    try {
                        scheduler.schedule(() -> sendBatch(request, batch, retries + 1), delay, TimeUnit.NANOSECONDS);
                        return;
                    } catch (RejectedExecutionException e) {
                        LOG.log(System.Logger.Level.DEBUG, "client closed: no retry for " + tp);
                    }
                }
                for (Pending p : batch) {
                    p.future().completeExceptionally(failure);
                }
                finished();
            });
        }

        private void finished() {
            synchronized (this) {
                inFlight = false;
            }
            drain();
        }
    }
}
