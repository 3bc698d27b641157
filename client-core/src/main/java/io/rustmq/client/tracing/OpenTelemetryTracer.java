package io.rustmq.client.tracing;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.rustmq.client.Header;
import io.rustmq.client.Headers;
import io.rustmq.client.Message;
import io.rustmq.client.SendResult;
import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.client.stream.ErrorAction;
import io.rustmq.client.stream.MessageProcessor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Traces RustMQ messaging with OpenTelemetry, after its messaging semantic conventions: a {@code publish} span
 * (kind PRODUCER) per send, whose context goes into the message headers through the configured propagators (W3C
 * {@code traceparent}/{@code tracestate} by default); a {@code receive} span (CONSUMER) per message a consumer hands
 * out and a {@code process} span (CONSUMER) per stream processing call, both children of the context found in the
 * message headers. Attributes: {@code messaging.system=rustmq}, {@code messaging.destination.name},
 * {@code messaging.destination.partition.id}, {@code messaging.rustmq.message.offset},
 * {@code messaging.consumer.group.name}, {@code messaging.message.body.size}, {@code messaging.operation.name} and
 * {@code messaging.operation.type}. Loaded only when an application with {@code opentelemetry-api} uses it.
 */
public final class OpenTelemetryTracer implements MessageTracer {
    /** The instrumentation scope name of the spans. */
    public static final String INSTRUMENTATION_NAME = "io.rustmq.client";

    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
    static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.rustmq.message.offset");
    static final AttributeKey<String> GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    static final AttributeKey<Long> BODY_SIZE = AttributeKey.longKey("messaging.message.body.size");
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<Long> BATCH_COUNT = AttributeKey.longKey("messaging.batch.message_count");
    static final AttributeKey<Long> DELIVERY_COUNT = AttributeKey.longKey("messaging.rustmq.delivery.count");

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            List<String> keys = new ArrayList<>(carrier.size());
            for (Header h : carrier) {
                keys.add(h.key());
            }
            return keys;
        }

        @Override
        public String get(Headers carrier, String key) {
            return carrier == null ? null : carrier.lastString(key);
        }
    };

    private final Supplier<OpenTelemetry> openTelemetry;
    private volatile Cached cached;

    private OpenTelemetryTracer(Supplier<OpenTelemetry> openTelemetry) {
        this.openTelemetry = openTelemetry;
    }

    /**
     * A tracer on {@link GlobalOpenTelemetry}, read at each use (so an instance registered after the client was
     * created is used, and an unset one is never frozen to no-op).
     *
     * @return the tracer
     */
    public static OpenTelemetryTracer global() {
        return new OpenTelemetryTracer(globalSupplier());
    }

    /**
     * {@code GlobalOpenTelemetry.getOrNoop()} where the API has it (1.52 and later); an older API on the class path
     * (WildFly 39 gives deployments 1.48) has only {@code get()}, which falls back to no-op as well.
     */
    private static Supplier<OpenTelemetry> globalSupplier() {
        try {
            GlobalOpenTelemetry.class.getMethod("getOrNoop");
            return GlobalOpenTelemetry::getOrNoop;
        } catch (NoSuchMethodException e) {
            return GlobalOpenTelemetry::get;
        }
    }

    /**
     * A tracer on a given OpenTelemetry instance (its tracer provider and propagators).
     *
     * @param openTelemetry the instance
     * @return the tracer
     * @throws NullPointerException if {@code openTelemetry} is null
     */
    public static OpenTelemetryTracer create(OpenTelemetry openTelemetry) {
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        return new OpenTelemetryTracer(() -> openTelemetry);
    }

    /**
     * The trace context a message carries in its headers, on top of the current context: make it current (or use it
     * as a parent) to put the application's work for a message into the producer's trace.
     *
     * @param message a received message
     * @return the extracted context (the current one if the message carries none)
     */
    public Context extract(ConsumerMessage message) {
        return extract(message.headers());
    }

    private Context extract(Headers headers) {
        return propagator().extract(Context.current(), headers, GETTER);
    }

    private Tracer tracer() {
        return tracer(openTelemetry.get());
    }

    private Tracer tracer(OpenTelemetry current) {
        Cached c = cached;
        if (c == null || c.openTelemetry != current) {
            c = new Cached(current, current.getTracer(INSTRUMENTATION_NAME));
            cached = c;
        }
        return c.tracer;
    }

    /** The publish of a message when tracing has no effect: the message as it is, nothing to end. */
    private record Untraced(Message message) implements Publish {
        @Override
        public void end(SendResult result, Throwable failure) {
            // nothing was started
        }

        @Override
        public boolean needsEnd() {
            return false;
        }
    }

    /** The tracer of the OpenTelemetry instance last seen (the global one may be replaced). */
    private record Cached(OpenTelemetry openTelemetry, Tracer tracer) {
    }

    /**
     * Whether spans and propagation through this instance would have no effect: it is {@link OpenTelemetry#noop()},
     * which is also the global instance while none is registered. Checked per message, so one identity test.
     */
    private static boolean isNoop(OpenTelemetry instance) {
        return instance == OpenTelemetry.noop();
    }

    private TextMapPropagator propagator() {
        return openTelemetry.get().getPropagators().getTextMapPropagator();
    }

    /**
     * {@inheritDoc} When the instance is {@link OpenTelemetry#noop()} (the global one while none is registered), the
     * span and propagation would have no effect: the message goes as it is and nothing is recorded, at no cost per
     * message beyond this check.
     */
    @Override
    public Publish startPublish(String topic, Message message) {
        OpenTelemetry current = openTelemetry.get();
        if (isNoop(current)) {
            return new Untraced(message);
        }
        TextMapPropagator propagator = current.getPropagators().getTextMapPropagator();
        Context parent = Context.current();
        if (!Span.fromContext(parent).getSpanContext().isValid() && !message.headers().isEmpty()) {
            // no span is current (e.g. a stream's output sent from its worker): keep the trace the message carries
            parent = propagator.extract(parent, message.headers(), GETTER);
        }
        SpanBuilder b = tracer(current).spanBuilder("publish " + topic).setSpanKind(SpanKind.PRODUCER).setParent(parent)
                .setAttribute(SYSTEM, "rustmq").setAttribute(DESTINATION, topic)
                .setAttribute(OPERATION_NAME, "publish").setAttribute(OPERATION_TYPE, "send")
                .setAttribute(BODY_SIZE, (long) message.payload().length);
        if (message.partition().isPresent()) {
            b.setAttribute(PARTITION, Integer.toString(message.partition().getAsInt()));
        }
        Span span = b.startSpan();
        Message traced = inject(propagator, parent.with(span), message);
        return new Publish() {
            @Override
            public Message message() {
                return traced;
            }

            @Override
            public void end(SendResult result, Throwable failure) {
                if (failure != null) {
                    span.recordException(failure);
                    span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
                } else if (result != null) {
                    span.setAttribute(PARTITION, Integer.toString(result.partition()));
                    span.setAttribute(OFFSET, result.offset());
                }
                span.end();
            }
        };
    }

    /** The message with the context's propagation headers, replacing any it had; itself if there are none. */
    private static Message inject(TextMapPropagator propagator, Context context, Message message) {
        Map<String, String> fields = new LinkedHashMap<>();
        propagator.inject(context, fields, (carrier, key, value) -> carrier.put(key, value));
        if (fields.isEmpty()) {
            return message;
        }
        Set<String> replaced = new HashSet<>(propagator.fields());
        replaced.addAll(fields.keySet());
        List<Header> headers = new ArrayList<>(message.headers().size() + fields.size());
        for (Header h : message.headers()) {
            if (!replaced.contains(h.key())) {
                headers.add(h);
            }
        }
        Headers out = Headers.of(headers);
        for (Map.Entry<String, String> f : fields.entrySet()) {
            out = out.with(f.getKey(), f.getValue());
        }
        return message.toBuilder().headers(out).build();
    }

    @Override
    public void onReceive(ConsumerMessage message, String group) {
        if (isNoop(openTelemetry.get())) {
            return; // a no-op span changes nothing: skip building it
        }
        consumerSpan("receive", message, group).startSpan().end();
    }

    private SpanBuilder consumerSpan(String operation, ConsumerMessage message, String group) {
        return tracer().spanBuilder(operation + " " + message.topic()).setSpanKind(SpanKind.CONSUMER)
                .setParent(extract(message.headers()))
                .setAttribute(SYSTEM, "rustmq").setAttribute(DESTINATION, message.topic())
                .setAttribute(PARTITION, Integer.toString(message.partition()))
                .setAttribute(OFFSET, message.offset()).setAttribute(GROUP, group)
                .setAttribute(BODY_SIZE, (long) message.payload().length)
                .setAttribute(DELIVERY_COUNT, (long) message.deliveryCount())
                .setAttribute(OPERATION_NAME, operation)
                .setAttribute(OPERATION_TYPE, operation.equals("receive") ? "receive" : "process");
    }

    @Override
    public MessageProcessor wrap(MessageProcessor processor, String group) {
        Objects.requireNonNull(processor, "processor");
        return new TracingProcessor(processor, group);
    }

    /** Runs each processing call in a {@code process} span and puts that span's context into the outputs. */
    private final class TracingProcessor implements MessageProcessor {
        private final MessageProcessor delegate;
        private final String group;

        TracingProcessor(MessageProcessor delegate, String group) {
            this.delegate = delegate;
            this.group = group;
        }

        @Override
        public Message process(ConsumerMessage message) throws Exception {
            List<Message> out = processAll(message);
            return out == null || out.isEmpty() ? null : out.get(0);
        }

        @Override
        public List<Message> processAll(ConsumerMessage message) throws Exception {
            return traced(consumerSpan("process", message, group).startSpan(),
                    () -> delegate.processAll(message));
        }

        @Override
        public List<Message> processBatch(List<ConsumerMessage> batch) throws Exception {
            if (batch.isEmpty()) {
                return delegate.processBatch(batch);
            }
            ConsumerMessage first = batch.get(0);
            SpanBuilder b = tracer().spanBuilder("process " + first.topic()).setSpanKind(SpanKind.CONSUMER)
                    .setAttribute(SYSTEM, "rustmq").setAttribute(DESTINATION, first.topic())
                    .setAttribute(GROUP, group).setAttribute(OPERATION_NAME, "process")
                    .setAttribute(OPERATION_TYPE, "process").setAttribute(BATCH_COUNT, (long) batch.size());
            for (ConsumerMessage m : batch) {
                io.opentelemetry.api.trace.SpanContext producer = Span.fromContext(extract(m.headers()))
                        .getSpanContext();
                if (producer.isValid()) {
                    b.addLink(producer);
                }
            }
            return traced(b.startSpan(), () -> delegate.processBatch(batch));
        }

        private List<Message> traced(Span span, Call call) throws Exception {
            List<Message> out;
            try (Scope ignored = span.makeCurrent()) {
                out = call.run();
            } catch (Exception | Error e) {
                span.recordException(e);
                span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
                span.end();
                throw e;
            }
            span.end();
            if (out == null || out.isEmpty()) {
                return out;
            }
            Context context = Context.current().with(span);
            List<Message> traced = new ArrayList<>(out.size());
            for (Message m : out) {
                traced.add(m == null ? null : inject(propagator(), context, m));
            }
            return traced;
        }

        @Override
        public void onStart() {
            delegate.onStart();
        }

        @Override
        public void onStop() {
            delegate.onStop();
        }

        @Override
        public ErrorAction onError(ConsumerMessage message, Throwable error, int attempt) {
            return delegate.onError(message, error, attempt);
        }

        @Override
        public String toString() {
            return "traced(" + delegate + ")";
        }
    }

    @FunctionalInterface
    private interface Call {
        List<Message> run() throws Exception;
    }
}
