package io.rustmq.it.quarkus;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** Sends orders to the {@code orders} topic through an {@link Emitter}, and reports how many were confirmed. */
@Path("/orders")
public class OrderResource {

    @Inject
    @Channel("orders-out")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    Emitter<Order> orders;

    @Inject
    Confirmations confirmations;

    /**
     * Sends one order; completes when the broker has acknowledged it.
     *
     * @param order the order, as JSON
     * @return completes with the order id
     */
    @POST
    public CompletionStage<String> send(Order order) {
        return orders.send(order).thenApply(ignored -> order.id());
    }

    /**
     * Sends {@code count} generated orders and completes when the broker has acknowledged all of them.
     *
     * @param count how many, at least 1
     * @return completes with the count sent
     */
    @POST
    @Path("/generate/{count}")
    public CompletionStage<Integer> generate(@PathParam("count") int count) {
        CompletableFuture<?>[] sends = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++) {
            sends[i] = orders.send(new Order("order-" + i, "widget", 1 + i % 5)).toCompletableFuture();
        }
        return CompletableFuture.allOf(sends).thenApply(ignored -> count);
    }

    /**
     * How many distinct generated orders ({@code order-N}) came back on the confirmations topic.
     *
     * @return the count
     */
    @GET
    @Path("/confirmed")
    public int confirmed() {
        return confirmations.count("order-");
    }
}
