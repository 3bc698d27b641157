package io.rustmq.jca.inbound;

import io.rustmq.client.RustMQClient;
import io.rustmq.client.RustMQException;
import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.jca.RustMQResourceAdapter;
import io.rustmq.jca.api.RustMQMessageListener;
import io.rustmq.jca.api.RustMQResourceException;
import io.rustmq.jca.internal.ClientRegistry;
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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One message-driven bean's consumption: a consumer in the spec's group, one dispatcher {@link Work} that polls it and
 * routes each message to one of {@code concurrency} delivery lanes (by key, by partition, or to any), and one
 * delivery {@link Work} per lane. Everything runs on the container's {@link WorkManager}. A lane delivers one message
 * at a time: {@code beforeDelivery}, {@code onMessage}, {@code afterDelivery}, then ack, or nack if anything threw
 * (the consumer redelivers after the backoff and dead-letters after {@code maxRedeliveries}).
 */
public final class EndpointActivation {
    private static final System.Logger LOG = System.getLogger(EndpointActivation.class.getName());
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int LANE_CAPACITY = 64;
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
    private final List<BlockingQueue<ConsumerMessage>> lanes;
    private final CountDownLatch finished;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final AtomicInteger roundRobin = new AtomicInteger();
    private volatile boolean stopping;
    private volatile boolean dispatcherDone;
    private volatile boolean abort;
    private RustMQClient client;
    private Consumer consumer;

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
        int n = spec.getConcurrency();
        this.lanes = Arrays.asList(new BlockingQueue[n]).stream()
                .map(x -> (BlockingQueue<ConsumerMessage>) new ArrayBlockingQueue<ConsumerMessage>(LANE_CAPACITY))
                .toList();
        this.finished = new CountDownLatch(n + 1);
    }

    /**
     * Creates the client and consumer and schedules the dispatcher and lanes.
     *
     * @throws ResourceException if the consumer cannot be created or the work manager refuses the work
     */
    public void start() throws ResourceException {
        try {
            client = RustMQClient.create(spec.clientConfig());
            registry.track(client);
            consumer = client.createConsumer(spec.consumerConfig());
        } catch (RustMQException e) {
            closeClient();
            throw new RustMQResourceException("cannot start RustMQ consumer for " + spec + ": " + e.getMessage(), e);
        }
        try {
            for (int i = 0; i < lanes.size(); i++) {
                int lane = i;
                schedule(new NamedWork("rustmq-delivery-" + spec.getConsumerGroup() + "-" + lane,
                        () -> runLane(lane)));
            }
            schedule(new NamedWork("rustmq-dispatch-" + spec.getConsumerGroup(), this::runDispatcher));
        } catch (ResourceException e) {
            stop();
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "RustMQ endpoint activated: {0}", spec);
    }

    private void schedule(NamedWork work) throws ResourceException {
        workManager.scheduleWork(work, WorkManager.INDEFINITE, null, new WorkListener() {
            @Override
            public void workAccepted(WorkEvent e) {
            }

            @Override
            public void workRejected(WorkEvent e) {
                LOG.log(System.Logger.Level.ERROR, "the container rejected " + work.name, e.getException());
                finished.countDown();
            }

            @Override
            public void workStarted(WorkEvent e) {
            }

            @Override
            public void workCompleted(WorkEvent e) {
                finished.countDown();
            }
        });
    }

    private void runDispatcher() {
        try {
            while (!stopping) {
                List<ConsumerMessage> batch;
                try {
                    batch = consumer.poll(POLL);
                } catch (RustMQException e) {
                    if (stopping) {
                        break;
                    }
                    LOG.log(System.Logger.Level.WARNING, "RustMQ poll failed for " + spec.getConsumerGroup()
                            + "; retrying in 1 s", e);
                    stopSignal.await(1, TimeUnit.SECONDS);
                    continue;
                }
                for (ConsumerMessage m : batch) {
                    BlockingQueue<ConsumerMessage> q = lanes.get(route(m));
                    while (!q.offer(m, 100, TimeUnit.MILLISECONDS)) {
                        if (abort) {
                            return;
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            dispatcherDone = true;
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

    private void runLane(int lane) {
        BlockingQueue<ConsumerMessage> q = lanes.get(lane);
        MessageEndpoint endpoint = null;
        try {
            while (!abort) {
                ConsumerMessage m = q.poll(100, TimeUnit.MILLISECONDS);
                if (m == null) {
                    if (dispatcherDone) {
                        break;
                    }
                    continue;
                }
                if (endpoint == null) {
                    try {
                        endpoint = endpointFactory.createEndpoint(null);
                    } catch (ResourceException | RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "no endpoint available for " + spec.getConsumerGroup(), e);
                        m.nack(e);
                        continue;
                    }
                }
                if (!deliver(endpoint, m)) {
                    endpoint.release();
                    endpoint = null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (endpoint != null) {
                endpoint.release();
            }
        }
    }

    /** @return false if the endpoint should be replaced (it threw) */
    private boolean deliver(MessageEndpoint endpoint, ConsumerMessage m) {
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
        if (failure == null) {
            m.ack();
            return true;
        }
        Throwable reason = unwrap(failure);
        LOG.log(System.Logger.Level.DEBUG, "delivery failed, giving the message back: " + m, reason);
        m.nack(reason);
        return false;
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
     * Stops: no more fetching, lanes finish what was handed to them within the spec's {@code shutdownTimeout}, then
     * the acknowledged offsets are committed, the consumer leaves its group and the client closes.
     */
    public void stop() {
        stopping = true;
        stopSignal.countDown();
        try {
            if (!finished.await(spec.shutdownDuration().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "RustMQ deliveries of {0} still running after {1}; stopping"
                        + " them (their messages will be delivered again)", spec.getConsumerGroup(),
                        spec.shutdownDuration());
                abort = true;
                finished.await(5, TimeUnit.SECONDS);
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
                        + spec.getConsumerGroup(), e);
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

    /** A work item with a name for logs; {@link #release()} asks the lanes to stop. */
    private final class NamedWork implements Work {
        private final String name;
        private final Runnable body;

        NamedWork(String name, Runnable body) {
            this.name = name;
            this.body = body;
        }

        @Override
        public void run() {
            String old = Thread.currentThread().getName();
            Thread.currentThread().setName(old + " " + name);
            try {
                body.run();
            } finally {
                Thread.currentThread().setName(old);
            }
        }

        @Override
        public void release() {
            abort = true;
            stopping = true;
        }
    }
}
