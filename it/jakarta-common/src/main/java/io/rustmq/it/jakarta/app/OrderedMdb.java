package io.rustmq.it.jakarta.app;

import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.jca.api.RustMQMessageListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;

/** Four parallel deliveries ordered by key. */
@MessageDriven(messageListenerInterface = RustMQMessageListener.class, activationConfig = {
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "jca-ordered"),
        @ActivationConfigProperty(propertyName = "consumerGroup", propertyValue = "jca-ordered-group"),
        @ActivationConfigProperty(propertyName = "concurrency", propertyValue = "4"),
        @ActivationConfigProperty(propertyName = "ordering", propertyValue = "key")
})
public class OrderedMdb implements RustMQMessageListener {
    /** The topic this bean consumes. */
    public static final String TOPIC = "jca-ordered";

    @EJB
    private Recorder recorder;

    @Override
    public void onMessage(ConsumerMessage message) {
        recorder.record(TOPIC, Records.line(message));

    }
}
