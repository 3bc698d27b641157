package io.rustmq.messaging.impl;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A message of an incoming channel: a record's payload ({@code byte[]}, or {@code List<byte[]>} in batch mode, until
 * a converter turns it into the method's type) with its metadata. Acknowledging or nacking it (or any message derived
 * from it with {@code withPayload}) settles the record through the channel's commit and failure strategies.
 *
 * @param <T> the payload type
 */
public final class IncomingRustMQMessage<T> implements Message<T> {
    private final T payload;
    private final Metadata metadata;
    private final RustMQSource source;
    private final Unit unit;

    IncomingRustMQMessage(T payload, Metadata metadata, RustMQSource source, Unit unit) {
        this.payload = payload;
        this.metadata = metadata;
        this.source = source;
        this.unit = unit;
    }

    @Override
    public T getPayload() {
        return payload;
    }

    @Override
    public Metadata getMetadata() {
        return metadata;
    }

    @Override
    public Supplier<CompletionStage<Void>> getAck() {
        return () -> source.ack(unit);
    }

    @Override
    public Function<Metadata, CompletionStage<Void>> getAckWithMetadata() {
        return m -> source.ack(unit);
    }

    @Override
    public Function<Throwable, CompletionStage<Void>> getNack() {
        return t -> source.nack(unit, t);
    }

    @Override
    public BiFunction<Throwable, Metadata, CompletionStage<Void>> getNackWithMetadata() {
        return (t, m) -> source.nack(unit, t);
    }

    @Override
    public CompletionStage<Void> ack() {
        return source.ack(unit);
    }

    @Override
    public CompletionStage<Void> ack(Metadata metadata) {
        return source.ack(unit);
    }

    @Override
    public CompletionStage<Void> nack(Throwable reason) {
        return source.nack(unit, reason);
    }

    @Override
    public CompletionStage<Void> nack(Throwable reason, Metadata metadata) {
        return source.nack(unit, reason);
    }

    @Override
    public <P> Message<P> withPayload(P newPayload) {
        return new IncomingRustMQMessage<>(newPayload, metadata, source, unit);
    }

    @Override
    public Message<T> withMetadata(Iterable<Object> newMetadata) {
        return new IncomingRustMQMessage<>(payload, Metadata.from(newMetadata), source, unit);
    }

    @Override
    public Message<T> withMetadata(Metadata newMetadata) {
        return new IncomingRustMQMessage<>(payload, newMetadata, source, unit);
    }

    @Override
    public Message<T> addMetadata(Object extra) {
        return new IncomingRustMQMessage<>(payload, metadata.with(extra), source, unit);
    }

    @Override
    public String toString() {
        return "IncomingRustMQMessage{" + unit.describe() + "}";
    }
}
