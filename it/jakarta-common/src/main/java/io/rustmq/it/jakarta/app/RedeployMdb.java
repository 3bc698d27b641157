package io.rustmq.it.jakarta.app;

import io.rustmq.client.consumer.ConsumerMessage;
import io.rustmq.jca.api.RustMQMessageListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;

/** Records its topic; the test undeploys and redeploys the application around it. */
@MessageDriven(messageListenerInterface = RustMQMessageListener.class, activationConfig = {
        @ActivationConfigProperty(propertyName = "topics", propertyValue = "jca-redeploy"),
        @ActivationConfigProperty(propertyName = "consumerGroup", propertyValue = "jca-redeploy-group")
})
public class RedeployMdb implements RustMQMessageListener {
    /** The topic this bean consumes. */
    public static final String TOPIC = "jca-redeploy";

    @EJB
    private Recorder recorder;

    @Override
    public void onMessage(ConsumerMessage message) {
        recorder.record(TOPIC, Records.line(message));

    }
}
