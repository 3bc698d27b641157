package io.rustmq.jca.outbound;

import io.rustmq.client.ConnectionException;
import io.rustmq.client.HealthCheckResult;
import io.rustmq.client.Message;
import io.rustmq.client.RequestTimeoutException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.SendResult;
import io.rustmq.client.TopicInfo;
import io.rustmq.jca.api.RustMQConnection;
import io.rustmq.jca.api.RustMQConnectionClosedException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The application's handle on a pooled {@link RustMQManagedConnection}: sends through the shared client's producer
 * for the message's topic. A connection failure is reported to the pool, which replaces the connection.
 */
public class RustMQConnectionHandle implements RustMQConnection {
    private volatile RustMQManagedConnection owner;
    private volatile boolean closed;

    RustMQConnectionHandle(RustMQManagedConnection owner) {
        this.owner = owner;
    }

    RustMQManagedConnection owner() {
        return owner;
    }

    void associate(RustMQManagedConnection mc) {
        this.owner = mc;
    }

    void invalidate() {
        closed = true;
    }

    private RustMQManagedConnection open(String what) {
        RustMQManagedConnection mc = owner;
        if (closed || mc == null) {
            throw new RustMQConnectionClosedException("cannot " + what + ": the RustMQ connection is closed");
        }
        return mc;
    }

    private static String topicOf(Message message) {
        if (message == null) {
            throw new IllegalArgumentException("message must not be null");
        }
        if (message.topic() == null) {
            throw new IllegalArgumentException("the message must name its topic (Message.builder().topic(...))");
        }
        return message.topic();
    }

    private <T> T call(String what, Supplier<T> action) {
        RustMQManagedConnection mc = open(what);
        try {
            return action.get();
        } catch (RustMQException e) {
            if (isConnectionFailure(e)) {
                mc.connectionError(this, e);
            }
            throw e;
        }
    }

    static boolean isConnectionFailure(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof ConnectionException || t instanceof RequestTimeoutException;
    }

    @Override
    public SendResult send(Message message) {
        String topic = topicOf(message);
        return call("send", () -> owner.client().producer(topic).send(message));
    }

    @Override
    public CompletableFuture<SendResult> sendAsync(Message message) {
        String topic = topicOf(message);
        RustMQManagedConnection mc = open("send");
        CompletableFuture<SendResult> f = call("send", () -> mc.client().producer(topic).sendAsync(message));
        return f.whenComplete((r, e) -> {
            if (e != null && isConnectionFailure(e)) {
                mc.connectionError(this, e instanceof Exception ex ? ex : new RuntimeException(e));
            }
        });
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
                results.add(f.join());
            } catch (CompletionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RustMQException r ? r
                            : new RustMQException("send failed: " + e.getCause(), e.getCause(), false);
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return results;
    }

    @Override
    public void flush() {
        call("flush", () -> {
            owner.client().flush();
            return null;
        });
    }

    @Override
    public List<String> topics() {
        return metadata().stream().map(TopicInfo::name).sorted().toList();
    }

    @Override
    public List<TopicInfo> metadata() {
        return call("read metadata", () -> owner.client().client().topicMetadata());
    }

    @Override
    public HealthCheckResult healthCheck() {
        return call("check health", () -> owner.client().client().healthCheck());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RustMQManagedConnection mc = owner;
        if (mc != null) {
            mc.handleClosed(this);
        }
    }
}
