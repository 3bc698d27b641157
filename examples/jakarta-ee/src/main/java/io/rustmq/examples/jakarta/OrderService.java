package io.rustmq.examples.jakarta;

import io.rustmq.client.Message;
import io.rustmq.client.SendResult;
import io.rustmq.jca.api.RustMQConnection;
import io.rustmq.jca.api.RustMQConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.resource.ResourceException;

/** Publishes orders to the {@value #TOPIC} topic through the server's pooled RustMQ connections. */
@Stateless
public class OrderService {
    /** The topic orders go to. */
    public static final String TOPIC = "orders";

    // WildFly binds the factory at java:/eis/rustmq, Liberty at eis/rustmq (see server/): WEB-INF/web.xml maps it
    @Resource(name = "rustmq/orders")
    private RustMQConnectionFactory factory;

    /**
     * Sends one order, keyed by customer so that one customer's orders stay in order.
     *
     * @param customer the customer id
     * @param order the order text
     * @return where the broker stored it
     * @throws ResourceException if no connection to the brokers can be had (the message names them)
     */
    public SendResult place(String customer, String order) throws ResourceException {
        try (RustMQConnection connection = factory.createConnection()) {
            return connection.send(Message.builder().topic(TOPIC).key(customer).payload(order)
                    .header("source", "rustmq-orders").build());
        }
    }
}
