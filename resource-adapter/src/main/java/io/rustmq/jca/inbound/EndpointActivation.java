package io.rustmq.jca.inbound;

import io.rustmq.client.RustMQClient;
import io.rustmq.client.RustMQException;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.jca.RustMQResourceAdapter;
import io.rustmq.jca.api.RustMQMessageListener;
import io.rustmq.jca.api.RustMQResourceException;
import io.rustmq.jca.internal.ClientRegistry;
import io.rustmq.jca.internal.InboundTracing;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkEvent;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One message-driven bean's consumption: a consumer in the spec's group, a dispatcher that polls it and routes each
 * message to one of {@code concurrency} delivery lanes (by key, by partition, or to any), and the lanes that deliver.
 * Everything runs on the container's {@link WorkManager} as short work items that schedule their successor (a poll of
 * at most {@value #POLL_MILLIS} ms; a lane's run of at most {@value #LANE_BATCH} messages), so the container's
 * threads are never held for the activation's lifetime and its other tasks (application start among them) are not
 * starved. A lane runs on one thread at a time and delivers one message at a time: {@code beforeDelivery},
 * {@code onMessage}, {@code afterDelivery}, then ack, or nack if anything threw (the consumer redelivers after the
 * backoff and dead-letters after {@code maxRedeliveries}).
 */
public final class EndpointActivation {
    private static final System.Logger LOG = System.getLogger(EndpointActivation.class.getName());
    static final long POLL_MILLIS = 100;
    static final int LANE_BATCH = 100;
    private static final int MAX_QUEUED_PER_LANE = 256;
    static final Method ON_MESSAGE;

    static {
        try {
            ON_MESSAGE = RustMQMessageListener.class.getMethod("onMessage", ConsumerMessage.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MessageEndpointFactory endpointFactory;
    private final RustMQActivationSpec spec;
    private final WorkManager workManager;
    private final ClientRegistry registry;
    private final RustMQActivationSpec.Ordering ordering;
    private final List<Lane> lanes;
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final Object monitor = new Object();
    private int inFlightWork;
    private volatile boolean stopping;
    private volatile boolean abort;
    private RustMQClient client;
    private Consumer consumer;
    private InboundTracing tracing = InboundTracing.NONE;

    /** One delivery lane: its queue, and whether a work item is scheduled to drain it. */
    private static final class Lane {
        final int index;
        final Queue<ConsumerMessage> queue = new ConcurrentLinkedQueue<>();
        final AtomicBoolean scheduled = new AtomicBoolean();

        Lane(int index) {
            this.index = index;
        }
    }

    /**
     * Prepares an activation; {@link #start()} starts it.
     *
     * @param adapter the adapter (for its defaults)
     * @param endpointFactory the container's endpoint factory
     * @param spec the validated spec
     * @param workManager the container's work manager
     * @param registry where the activation's client is tracked
     */
    public EndpointActivation(RustMQResourceAdapter adapter, MessageEndpointFactory endpointFactory,
                              RustMQActivationSpec spec, WorkManager workManager, ClientRegistry registry) {
        this.endpointFactory = endpointFactory;
        this.spec = spec;
        this.workManager = workManager;
        this.registry = registry;
        this.ordering = spec.orderingMode();
        List<Lane> l = new ArrayList<>();
        for (int i = 0; i < spec.getConcurrency(); i++) {
            l.add(new Lane(i));
        }
        this.lanes = List.copyOf(l);
    }

    /**
     * Creates the client and consumer and schedules the first poll.
     *
     * @throws ResourceException if the consumer cannot be created or the work manager refuses the work
     */
    public void start() throws ResourceException {
        try {
            client = RustMQClient.create(spec.clientConfig());
            registry.track(client);
            consumer = client.createConsumer(spec.consumerConfig());
            tracing = InboundTracing.of(client.config());
        } catch (RustMQException e) {
            closeClient();
            throw new RustMQResourceException("cannot start RustMQ consumer for " + spec + ": " + e.getMessage(), e);
        }
        try {
            schedule("rustmq-dispatch-" + spec.getConsumerGroup(), this::dispatchOnce, null);
        } catch (ResourceException e) {
            stop();
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "RustMQ endpoint activated: {0}", spec);
    }

    private void schedule(String name, Runnable body, Runnable onRejected) throws ResourceException {
        synchronized (monitor) {
            inFlightWork++;
        }
        try {
            workManager.scheduleWork(new NamedWork(name, body), WorkManager.INDEFINITE, null, new WorkListener() {
                @Override
                public void workAccepted(WorkEvent e) {
                }

                @Override
                public void workRejected(WorkEvent e) {
                    LOG.log(System.Logger.Level.ERROR, "the container rejected " + name, e.getException());
                    if (onRejected != null) {
                        onRejected.run();
                    }
                    workDone();
                }

                @Override
                public void workStarted(WorkEvent e) {
                }

                @Override
                public void workCompleted(WorkEvent e) {
                    workDone();
                }
            });
        } catch (ResourceException | RuntimeException e) {
            workDone();
            throw e;
        }
    }

    private void workDone() {
        synchronized (monitor) {
            inFlightWork--;
            monitor.notifyAll();
        }
    }

    /** One poll: routes what arrived to the lanes, starts idle lanes, schedules the next poll unless stopping. */
    private void dispatchOnce() {
        if (stopping) {
            return;
        }
        try {
            if (queued.get() < MAX_QUEUED_PER_LANE * lanes.size()) {
                for (ConsumerMessage m : consumer.poll(Duration.ofMillis(POLL_MILLIS))) {
                    Lane lane = lanes.get(route(m));
                    queued.incrementAndGet();
                    lane.queue.add(m);
                    startLane(lane);
                }
            } else {
                synchronized (monitor) {
                    monitor.wait(POLL_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RustMQException e) {
            if (!stopping) {
                LOG.log(System.Logger.Level.WARNING, "RustMQ poll failed for " + spec.getConsumerGroup()
                        + "; polling again", e);
                synchronized (monitor) {
                    try {
                        monitor.wait(1000);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
        if (!stopping) {
            try {
                schedule("rustmq-dispatch-" + spec.getConsumerGroup(), this::dispatchOnce, null);
            } catch (ResourceException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "cannot schedule the next RustMQ poll for "
                        + spec.getConsumerGroup() + "; delivery stopped", e);
            }
        }
    }

    private void startLane(Lane lane) {
        if (lane.scheduled.compareAndSet(false, true)) {
            try {
                schedule("rustmq-delivery-" + spec.getConsumerGroup() + "-" + lane.index, () -> runLane(lane),
                        () -> lane.scheduled.set(false));
            } catch (ResourceException | RuntimeException e) {
                lane.scheduled.set(false);
                LOG.log(System.Logger.Level.WARNING, "cannot schedule RustMQ delivery for " + spec.getConsumerGroup()
                        + "; retrying at the next poll", e);
            }
        }
    }

    private int route(ConsumerMessage m) {
        int n = lanes.size();
        if (n == 1) {
            return 0;
        }
        switch (ordering) {
            case KEY:
                if (m.key() != null) {
                    return Math.floorMod(Arrays.hashCode(m.key()), n);
                }
                return Math.floorMod(m.topic().hashCode() * 31 + m.partition(), n);
            case PARTITION:
                return Math.floorMod(m.topic().hashCode() * 31 + m.partition(), n);
            default:
                return Math.floorMod(roundRobin.getAndIncrement(), n);
        }
    }

    /** Delivers up to {@link #LANE_BATCH} messages of a lane, then hands the lane on (or marks it idle). */
    private void runLane(Lane lane) {
        MessageEndpoint endpoint = null;
        int delivered = 0;
        try {
            while (!abort && delivered < LANE_BATCH) {
                ConsumerMessage m = lane.queue.poll();
                if (m == null) {
                    break;
                }
                queued.decrementAndGet();
                delivered++;
                if (endpoint == null) {
                    try {
                        endpoint = endpointFactory.createEndpoint(null);
                    } catch (ResourceException | RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "no endpoint available for " + spec.getConsumerGroup(), e);
                        m.nack(e);
                        continue;
                    }
                }
                if (!deliver(endpoint, m, tracing)) {
                    endpoint.release();
                    endpoint = null;
                }
            }
        } finally {
            if (endpoint != null) {
                endpoint.release();
            }
            lane.scheduled.set(false);
            synchronized (monitor) {
                monitor.notifyAll();
            }
            if (!abort && !lane.queue.isEmpty()) {
                startLane(lane);
            }
        }
    }

    /**
     * Delivers one message to an endpoint ({@code beforeDelivery}, {@code onMessage}, {@code afterDelivery}) with the
     * producer's trace context current throughout, then acks it, or nacks it if anything threw.
     *
     * @param endpoint the endpoint, which implements {@link RustMQMessageListener}
     * @param m the message
     * @param tracing makes the message's trace context current
     * @return false if the endpoint should be replaced (it threw)
     */
    static boolean deliver(MessageEndpoint endpoint, ConsumerMessage m, InboundTracing tracing) {
        Throwable failure;
        try (InboundTracing.Scope ignored = tracing.enter(m)) {
            failure = invoke(endpoint, m);
        }
        if (failure == null) {
            m.ack();
            return true;
        }
        Throwable reason = unwrap(failure);
        LOG.log(System.Logger.Level.DEBUG, "delivery failed, giving the message back: " + m, reason);
        m.nack(reason);
        return false;
    }

    /** Runs one delivery; returns what the endpoint threw, or {@code null}. */
    private static Throwable invoke(MessageEndpoint endpoint, ConsumerMessage m) {
        Throwable failure = null;
        boolean began = false;
        try {
            endpoint.beforeDelivery(ON_MESSAGE);
            began = true;
            ((RustMQMessageListener) endpoint).onMessage(m);
        } catch (Throwable t) {
            failure = t;
        } finally {
            if (began) {
                try {
                    endpoint.afterDelivery();
                } catch (Throwable t) {
                    if (failure == null) {
                        failure = t;
                    }
                }
            }
        }
        return failure;
    }

    /** The application's exception, without the container's wrappers. */
    static Throwable unwrap(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r && (r instanceof InvocationTargetException
                || r instanceof UndeclaredThrowableException || r.getClass().getName().startsWith("jakarta.ejb.")
                || r.getClass().getName().startsWith("javax.ejb."))) {
            r = r.getCause();
        }
        return r;
    }

    /**
     * Stops: no more polling; lanes deliver what was handed to them within the spec's {@code shutdownTimeout} (what
     * is left then is not acknowledged and will be delivered again); then the acknowledged offsets are committed,
     * the consumer leaves its group and the client closes.
     */
    public void stop() {
        stopping = true;
        long deadline = System.nanoTime() + spec.shutdownDuration().toNanos();
        try {
            synchronized (monitor) {
                monitor.notifyAll();
                while (inFlightWork > 0 && System.nanoTime() < deadline) {
                    monitor.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                }
                if (inFlightWork > 0) {
                    LOG.log(System.Logger.Level.WARNING, "RustMQ deliveries of {0} still running after {1}; stopping"
                            + " them (their messages will be delivered again)", spec.getConsumerGroup(),
                            spec.shutdownDuration());
                    abort = true;
                    long hard = System.nanoTime() + 5_000_000_000L;
                    while (inFlightWork > 0 && System.nanoTime() < hard) {
                        monitor.wait(100);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort = true;
        }
        if (consumer != null) {
            try {
                consumer.commit();
            } catch (RustMQException e) {
                LOG.log(System.Logger.Level.WARNING, "RustMQ commit at deactivation failed for "
                        + spec.getConsumerGroup() + ": " + e.getMessage());
            }
            try {
                consumer.close();
            } catch (RustMQException e) {
                LOG.log(System.Logger.Level.WARNING, "closing RustMQ consumer failed", e);
            }
        }
        closeClient();
        LOG.log(System.Logger.Level.INFO, "RustMQ endpoint deactivated: {0}", spec.getConsumerGroup());
    }

    private void closeClient() {
        if (client != null) {
            client.close();
            registry.untrack(client);
        }
    }

    /**
     * A work item with a name for logs. {@link #release()} while it runs (the container shutting down) stops the
     * activation's work; after it has run it does nothing (IronJacamar calls it when every work item completes).
     */
    private final class NamedWork implements Work {
        private final String name;
        private final Runnable body;
        private volatile boolean running;

        NamedWork(String name, Runnable body) {
            this.name = name;
            this.body = body;
        }

        @Override
        public void run() {
            running = true;
            String old = Thread.currentThread().getName();
            Thread.currentThread().setName(old + " " + name);
            try {
                body.run();
            } finally {
                Thread.currentThread().setName(old);
                running = false;
            }
        }

        @Override
        public void release() {
            if (running) {
                abort = true;
                stopping = true;
            }
        }
    }
}
