package io.rustmq.examples.jakarta;

import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.jca.api.RustMQMessageListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;

/**
 * Receives orders: four parallel deliveries, one customer's orders in order; three redeliveries, then the
 * {@code orders-dead} topic. Brokers and TLS come from the resource adapter's configuration.
 */
@MessageDriven(messageListenerInterface = RustMQMessageListener.class, activationConfig = {
        @ActivationConfigProperty(propertyName = "topics", propertyValue = OrderService.TOPIC),
        @ActivationConfigProperty(propertyName = "consumerGroup", propertyValue = "order-fulfilment"),
        @ActivationConfigProperty(propertyName = "concurrency", propertyValue = "4"),
        @ActivationConfigProperty(propertyName = "ordering", propertyValue = "key"),
        @ActivationConfigProperty(propertyName = "maxRedeliveries", propertyValue = "3"),
        @ActivationConfigProperty(propertyName = "deadLetterTopic", propertyValue = "orders-dead")
})
public class OrderListener implements RustMQMessageListener {
    @EJB
    private OrderLog log;

    @Override
    public void onMessage(ConsumerMessage message) {
        if (message.payloadAsString().isBlank()) {
            throw new IllegalArgumentException("empty order from " + message.keyAsString());
        }
        log.add(message.keyAsString() + ": " + message.payloadAsString() + " (partition " + message.partition()
                + ", offset " + message.offset() + ")");
    }
}
