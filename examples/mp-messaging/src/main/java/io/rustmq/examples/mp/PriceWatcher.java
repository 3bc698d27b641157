package io.rustmq.examples.mp;

import io.rustmq.messaging.IncomingRustMQMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;

/**
 * A processor: reads prices as {@link Price} objects (JSON converted by the connector) and writes one alert text per
 * price at or above {@link #THRESHOLD}; the others are acknowledged without output.
 */
@ApplicationScoped
public class PriceWatcher {
    /** Prices at or above this raise an alert. */
    public static final double THRESHOLD = 108;

    /**
     * Turns a price into an alert, or into nothing (an empty payload is filtered out by returning {@code null}).
     *
     * @param in the price with its RustMQ metadata
     * @return the alert message, or {@code null} to skip (the input is then acknowledged)
     */
    @Incoming("prices-in")
    @Outgoing("alerts-out")
    public Message<String> watch(Message<Price> in) {
        Price p = in.getPayload();
        if (p.price() < THRESHOLD) {
            in.ack();
            return null;
        }
        IncomingRustMQMetadata where = in.getMetadata(IncomingRustMQMetadata.class).orElseThrow();
        return in.withPayload(p.symbol() + " at " + p.price() + " (tick " + p.tick() + ", " + where.getTopic() + "-"
                + where.getPartition() + "@" + where.getOffset() + ")");
    }
}
