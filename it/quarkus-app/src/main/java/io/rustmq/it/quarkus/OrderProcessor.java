package io.rustmq.it.quarkus;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Outgoing;

/** Reads orders (JSON) from {@code orders} and writes a confirmation line (String) to {@code confirmations}. */
@ApplicationScoped
public class OrderProcessor {

    /**
     * Confirms one order.
     *
     * @param order the order read from the topic
     * @return the confirmation, {@code id:quantity}
     */
    @Incoming("orders-in")
    @Outgoing("confirmations-out")
    public String confirm(Order order) {
        return order.id() + ":" + order.quantity();
    }
}
