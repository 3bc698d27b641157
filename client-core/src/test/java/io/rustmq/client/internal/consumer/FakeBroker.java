package io.rustmq.client.internal.consumer;

import io.rustmq.client.ProtocolException;
import io.rustmq.client.protocol.Request;
import io.rustmq.client.protocol.Response;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A broker for single-class tests: answers each request with what a function returns, and records the requests. */
final class FakeBroker implements BrokerChannel {
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Function<Request, CompletableFuture<? extends Response>> answer;

    FakeBroker(Function<Request, CompletableFuture<? extends Response>> answer) {
        this.answer = answer;
    }

    @Override
    public <R extends Response> CompletableFuture<R> send(Request request, Class<R> type) {
        requests.add(request);
        return answer.apply(request).thenApply(r -> {
            if (!type.isInstance(r)) {
                throw new ProtocolException("expected " + type.getSimpleName() + ", got " + r);
            }
            return type.cast(r);
        });
    }

    @Override
    public <R extends Response> CompletableFuture<R> sendWithRetry(Request request, Class<R> type) {
        return send(request, type);
    }

    <T extends Request> List<T> sent(Class<T> type) {
        return requests.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
