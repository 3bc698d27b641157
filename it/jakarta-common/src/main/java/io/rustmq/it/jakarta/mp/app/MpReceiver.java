package io.rustmq.it.jakarta.mp.app;

import io.rustmq.messaging.IncomingRustMQMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Records what the {@value #CHANNEL} channel delivers as key, payload, header and topic, tab-separated. */
@ApplicationScoped
public class MpReceiver {
    /** The incoming channel (configured in the war's microprofile-config.properties). */
    public static final String CHANNEL = "from-rustmq";

    private final List<String> lines = new ArrayList<>();

    /**
     * Records one message, then acknowledges it.
     *
     * @param m the message with its RustMQ metadata
     * @return the acknowledgement
     */
    @Incoming(CHANNEL)
    public CompletionStage<Void> receive(Message<String> m) {
        IncomingRustMQMetadata md = m.getMetadata(IncomingRustMQMetadata.class)
                .orElseThrow(() -> new IllegalStateException("no RustMQ metadata on " + m));
        String line = md.getKey() + "\t" + m.getPayload() + "\t" + md.getHeaders().lastString(MpSender.HEADER)
                + "\t" + md.getTopic();
        synchronized (lines) {
            lines.add(line);
        }
        return m.ack();
    }

    /**
     * What was received so far.
     *
     * @return a copy, in arrival order
     */
    public List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }
}
