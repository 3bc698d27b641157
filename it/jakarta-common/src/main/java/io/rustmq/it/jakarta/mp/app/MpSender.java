package io.rustmq.it.jakarta.mp.app;

import io.rustmq.messaging.OutgoingRustMQMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Sends numbered messages to the {@value #CHANNEL} channel through an {@link Emitter}, each with a key and a header. */
@ApplicationScoped
public class MpSender {
    /** The outgoing channel (configured in the war's microprofile-config.properties). */
    public static final String CHANNEL = "to-rustmq";
    /** The header set on every message. */
    public static final String HEADER = "it-header";

    @Inject
    @Channel(CHANNEL)
    Emitter<String> emitter;

    /**
     * Sends {@code count} messages {@code prefix-i} with key {@code k<i % keys>} and header {@code h<i>}, and waits
     * until the connector acknowledged every one (the broker accepted it).
     *
     * @param prefix payload prefix
     * @param count how many
     * @param keys distinct keys
     * @return how many were acknowledged
     * @throws Exception if a send was refused or not acknowledged within 60 seconds
     */
    public int send(String prefix, int count, int keys) throws Exception {
        List<CompletableFuture<Void>> acks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            OutgoingRustMQMetadata md = OutgoingRustMQMetadata.builder().key("k" + (i % keys))
                    .header(HEADER, "h" + i).build();
            emitter.send(Message.of(prefix + "-" + i, Metadata.of(md), () -> {
                ack.complete(null);
                return CompletableFuture.completedFuture(null);
            }, t -> {
                ack.completeExceptionally(t);
                return CompletableFuture.completedFuture(null);
            }));
            acks.add(ack);
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        return acks.size();
    }
}
