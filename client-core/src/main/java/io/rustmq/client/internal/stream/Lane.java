package io.rustmq.client.internal.stream;

import io.rustmq.client.Message;
import io.rustmq.client.RequestTimeoutException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.SendResult;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.internal.consumer.ConsumerThreads;
import io.rustmq.client.internal.consumer.DeadLetterRecords;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.stream.ErrorAction;
import io.rustmq.client.stream.ErrorStrategy;
import io.rustmq.client.stream.MessageProcessor;
import io.rustmq.client.stream.StreamConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One ordered lane of a stream: runs on its own worker thread, hands the messages of its keys (or partitions) to the
 * processor in arrival order, sends the outputs, and acknowledges an input once its outputs are stored. Sends are
 * pipelined: the lane goes on with the next input while earlier outputs are in flight. When an output send fails
 * (after the producer's own retries), the lane stops taking new inputs, waits until everything it has in flight has
 * completed, and then retries the failed inputs in their original order, one at a time, before it takes new inputs,
 * so a key's outputs are never stored behind later outputs of the same key. Send completions run on the producer's
 * threads and only record outcomes.
 */
public final class Lane {
    private static final System.Logger LOG = System.getLogger(Lane.class.getName());
    private static final long POLL_MILLIS = 50;

    /** Inputs processed together (one message in INDIVIDUAL mode), the attempt about to be made and their order. */
    private record Task(List<ConsumerMessage> messages, int attempt, long seq) {
        Task next() {
            return new Task(messages, attempt + 1, seq);
        }
    }

    private final StreamConfig config;
    private final MessageProcessor processor;
    private final Producer producer;
    private final ExecutorService calls;
    private final Semaphore permits;
    private final StreamCounters counters;
    private final Consumer<Throwable> fail;
    private final BooleanSupplier running;
    private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    /** Failed inputs to retry in order; guarded by this lane's monitor, as are the two fields below. */
    private final PriorityQueue<Task> retries = new PriorityQueue<>(Comparator.comparingLong(Task::seq));
    private int inFlight;
    private boolean recovering;
    private long nextSeq;

    /**
     * Creates a lane; {@link #start()} starts its thread.
     *
     * @param index the lane number, for the thread name
     * @param config the stream configuration
     * @param processor the processor
     * @param producer where outputs and dead letters go
     * @param calls the executor that runs processor calls (so that they can time out)
     * @param permits released as inputs settle
     * @param counters the stream's counters
     * @param fail stops the stream with an error
     * @param running whether the stream is consuming
     * @param threads where the worker thread comes from
     */
    public Lane(int index, StreamConfig config, MessageProcessor processor, Producer producer, ExecutorService calls,
                Semaphore permits, StreamCounters counters, Consumer<Throwable> fail, BooleanSupplier running,
                ConsumerThreads threads) {
        this.config = config;
        this.processor = processor;
        this.producer = producer;
        this.calls = calls;
        this.permits = permits;
        this.counters = counters;
        this.fail = fail;
        this.running = running;
        this.thread = threads.newThread("stream-worker-" + index, config.consumerGroup(), this::run);
    }

    /** Starts the worker thread. */
    public void start() {
        thread.start();
    }

    /** Interrupts the worker thread (on shutdown). */
    public void interrupt() {
        thread.interrupt();
    }

    /**
     * Queues an input; called by the dispatcher thread.
     *
     * @param m the input
     */
    public void submit(ConsumerMessage m) {
        long seq;
        synchronized (this) {
            seq = nextSeq++;
        }
        queue.add(new Task(List.of(m), 1, seq));
    }

    private void run() {
        Task held = null;
        try {
            while (running.getAsBoolean() || !queue.isEmpty() || held != null) {
                Task retry = nextRetry();
                if (retry != null) {
                    Thread.sleep(config.errorStrategy().backoffBefore(retry.attempt()).toMillis());
                    handle(retry);
                    continue;
                }
                Task task = held != null ? held : queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                held = null;
                if (task == null) {
                    continue;
                }
                synchronized (this) {
                    if (recovering) {
                        // a send failed while this input waited: the failed inputs go first
                        held = task;
                        continue;
                    }
                }
                if (config.mode() == StreamConfig.Mode.BATCH) {
                    task = fillBatch(task);
                }
                handle(task);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fail.accept(e);
        }
    }

    /** While recovering: waits until nothing is in flight, then returns the oldest failed input, or ends recovery. */
    private synchronized Task nextRetry() throws InterruptedException {
        if (!recovering) {
            return null;
        }
        while (inFlight > 0) {
            wait(POLL_MILLIS);
        }
        Task r = retries.poll();
        if (r == null) {
            recovering = false;
        }
        return r;
    }

    private Task fillBatch(Task first) throws InterruptedException {
        List<ConsumerMessage> batch = new ArrayList<>(first.messages());
        long deadline = System.nanoTime() + config.batchTimeout().toNanos();
        while (batch.size() < config.batchSize()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Task next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.addAll(next.messages());
        }
        return new Task(batch, 1, first.seq());
    }

    private void handle(Task task) throws InterruptedException {
        List<Message> outputs;
        long start = System.nanoTime();
        try {
            outputs = invoke(task);
            counters.processingNanos.add(System.nanoTime() - start);
            counters.processingCalls.increment();
        } catch (ExecutionException e) {
            failed(task, e.getCause());
            return;
        } catch (TimeoutException e) {
            failed(task, new RequestTimeoutException("processing took longer than processingTimeout = "
                    + config.processingTimeout()));
            return;
        }
        List<CompletableFuture<SendResult>> sends = new ArrayList<>(outputs.size());
        try {
            for (Message out : outputs) {
                sends.add(producer.sendAsync(routed(out)));
            }
        } catch (RuntimeException e) {
            failed(task, e);
            return;
        }
        if (sends.isEmpty()) {
            succeeded(task);
            return;
        }
        synchronized (this) {
            inFlight++;
        }
        CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).whenComplete((v, error) -> {
            if (error == null) {
                succeeded(task);
            } else {
                onFailure(task, error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error, true);
            }
            synchronized (this) {
                inFlight--;
                notifyAll();
            }
        });
    }

    private List<Message> invoke(Task task) throws InterruptedException, ExecutionException, TimeoutException {
        Future<List<Message>> call = calls.submit(() -> config.mode() == StreamConfig.Mode.BATCH
                ? processor.processBatch(task.messages()) : processor.processAll(task.messages().get(0)));
        try {
            List<Message> out = call.get(config.processingTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return out == null ? List.of() : out;
        } catch (TimeoutException | InterruptedException e) {
            call.cancel(true);
            throw e;
        }
    }

    private void failed(Task task, Throwable error) throws InterruptedException {
        Task retry = onFailure(task, error, false);
        if (retry != null) {
            Thread.sleep(config.errorStrategy().backoffBefore(retry.attempt()).toMillis());
            handle(retry);
        }
    }

    /**
     * Applies the error strategy. Returns the next attempt to run now on this lane, or {@code null} when the
     * outcome was settled or the retry was queued behind the lane's earlier failed inputs.
     */
    private Task onFailure(Task task, Throwable error, boolean async) {
        counters.failed.increment();
        ErrorStrategy strategy = config.errorStrategy();
        ErrorAction action = ErrorAction.DEFAULT;
        try {
            action = processor.onError(task.messages().get(0), error, task.attempt());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "processor.onError threw; following the error strategy", e);
        }
        if (action == ErrorAction.DEFAULT) {
            action = defaultAction(strategy, task.attempt());
        }
        if (action == ErrorAction.DEAD_LETTER && strategy.deadLetterTopic() == null) {
            fail.accept(new IllegalStateException("onError chose DEAD_LETTER but the error strategy has no"
                    + " dead-letter topic", error));
            release(task);
            return null;
        }
        switch (action) {
            case RETRY: {
                counters.retried.increment();
                Task next = task.next();
                synchronized (this) {
                    if (async || recovering) {
                        // keep the key's order: retried before anything later, once the lane's sends completed
                        retries.add(next);
                        recovering = true;
                        notifyAll();
                        return null;
                    }
                }
                return next;
            }
            case SKIP:
                counters.skipped.add(task.messages().size());
                LOG.log(System.Logger.Level.DEBUG, () -> "skipping " + task.messages().size()
                        + " message(s) after: " + error);
                acknowledge(task);
                return null;
            case DEAD_LETTER:
                deadLetter(task, error);
                return null;
            default:
                fail.accept(error);
                release(task);
                return null;
        }
    }

    private static ErrorAction defaultAction(ErrorStrategy strategy, int attempt) {
        switch (strategy.kind()) {
            case SKIP:
                return ErrorAction.SKIP;
            case STOP:
                return ErrorAction.STOP;
            case DEAD_LETTER:
                return ErrorAction.DEAD_LETTER;
            default:
                if (attempt < strategy.maxAttempts()) {
                    return ErrorAction.RETRY;
                }
                return strategy.deadLetterTopic() != null ? ErrorAction.DEAD_LETTER : ErrorAction.STOP;
        }
    }

    private void deadLetter(Task task, Throwable error) {
        String topic = config.errorStrategy().deadLetterTopic();
        List<CompletableFuture<SendResult>> sends = new ArrayList<>();
        for (ConsumerMessage m : task.messages()) {
            sends.add(producer.sendAsync(DeadLetterRecords.build(topic, m, error, config.consumerGroup(),
                    task.attempt())));
        }
        CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).whenComplete((v, e) -> {
            if (e == null) {
                counters.deadLettered.add(task.messages().size());
                acknowledge(task);
            } else {
                fail.accept(new RustMQException("could not send to dead-letter topic '" + topic + "': "
                        + e.getMessage(), e, false));
                release(task);
            }
        });
    }

    private Message routed(Message out) {
        if (out.topic() != null) {
            return out;
        }
        if (config.outputTopic() == null) {
            throw new IllegalStateException("an output has no topic and the stream has no outputTopic");
        }
        return out.toBuilder().topic(config.outputTopic()).build();
    }

    private void succeeded(Task task) {
        counters.processed.add(task.messages().size());
        acknowledge(task);
    }

    private void acknowledge(Task task) {
        for (ConsumerMessage m : task.messages()) {
            m.ack();
        }
        release(task);
    }

    private void release(Task task) {
        permits.release(task.messages().size());
    }

}
