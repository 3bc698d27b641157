package io.rustmq.it.jakarta.app;

import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.jca.api.RustMQMessageListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;

/** Records every message of its topic (the 500-message round trip and the redeploy cycles). */
@MessageDriven(messageListenerInterface = RustMQMessageListener.class, activationConfig = {
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "jca-roundtrip"),
        @ActivationConfigProperty(propertyName = "consumerGroup", propertyValue = "jca-roundtrip-group"),
        @ActivationConfigProperty(propertyName = "concurrency", propertyValue = "2")
})
public class RoundTripMdb implements RustMQMessageListener {
    /** The topic this bean consumes. */
    public static final String TOPIC = "jca-roundtrip";

    @EJB
    private Recorder recorder;

    @Override
    public void onMessage(ConsumerMessage message) {
        recorder.record(TOPIC, Records.line(message));

    }
}
