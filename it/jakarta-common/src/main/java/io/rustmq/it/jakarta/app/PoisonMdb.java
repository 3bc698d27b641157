package io.rustmq.it.jakarta.app;

import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.jca.api.RustMQMessageListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;

/** Throws on poison messages: they are redelivered twice, then dead-lettered. */
@MessageDriven(messageListenerInterface = RustMQMessageListener.class, activationConfig = {
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "jca-poison"),
        @ActivationConfigProperty(propertyName = "consumerGroup", propertyValue = "jca-poison-group"),
        @ActivationConfigProperty(propertyName = "maxRedeliveries", propertyValue = "2"),
        @ActivationConfigProperty(propertyName = "redeliveryBackoff", propertyValue = "100"),
        @ActivationConfigProperty(propertyName = "deadLetterTopic", propertyValue = "jca-poison-dlq")
})
public class PoisonMdb implements RustMQMessageListener {
    /** The topic this bean consumes. */
    public static final String TOPIC = "jca-poison";

    @EJB
    private Recorder recorder;

    @Override
    public void onMessage(ConsumerMessage message) {
        recorder.record(TOPIC, Records.line(message));
        if (message.payloadAsString().startsWith("poison")) {
            throw new IllegalStateException("refusing " + message.payloadAsString());
        }
    }
}
