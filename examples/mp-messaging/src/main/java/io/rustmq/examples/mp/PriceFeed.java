package io.rustmq.examples.mp;

import io.rustmq.messaging.OutgoingRustMQMetadata;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;

import java.util.List;

/** Produces {@link #TICKS} ticks for each of three symbols to the {@code prices-out} channel, keyed by symbol. */
@ApplicationScoped
public class PriceFeed {
    /** Ticks per symbol. */
    public static final int TICKS = 20;
    /** The symbols. */
    public static final List<String> SYMBOLS = List.of("ACME", "GLOBEX", "INITECH");

    /**
     * The price stream: a deterministic zig-zag per symbol.
     *
     * @return the messages
     */
    @Outgoing("prices-out")
    public Multi<Message<Price>> prices() {
        return Multi.createFrom().range(0, TICKS * SYMBOLS.size()).map(i -> {
            String symbol = SYMBOLS.get(i % SYMBOLS.size());
            int tick = i / SYMBOLS.size();
            double price = 100 + (tick % 5) * 2.5 + SYMBOLS.indexOf(symbol);
            return Message.of(new Price(symbol, tick, price))
                    .addMetadata(OutgoingRustMQMetadata.builder().key(symbol).build());
        });
    }
}
