package io.rustmq.it.jakarta.app;

import io.rustmq.client.Message;
import io.rustmq.jca.api.RustMQConnection;
import io.rustmq.jca.api.RustMQConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.resource.ResourceException;

import java.util.ArrayList;
import java.util.List;

/** Sends through the injected connection factory (its lookup name is set by each server's ejb-jar.xml). */
@Stateless
public class Sender {
    @Resource(name = "rustmq/cf")
    private RustMQConnectionFactory factory;

    /**
     * Sends {@code count} messages: key {@code k-(i % keys)}, payload {@code prefix-i} (or {@code poison-i} for
     * every {@code poisonEvery}-th), header {@value Records#HEADER} {@code v-i}.
     *
     * @param topic the topic
     * @param prefix the payload prefix
     * @param count how many
     * @param keys how many distinct keys
     * @param poisonEvery every how many messages one is poison, 0 for none
     * @return how many were acknowledged
     * @throws ResourceException if no connection can be had
     */
    public int send(String topic, String prefix, int count, int keys, int poisonEvery) throws ResourceException {
        try (RustMQConnection c = factory.createConnection()) {
            List<Message> batch = new ArrayList<>();
            int sent = 0;
            for (int i = 0; i < count; i++) {
                boolean poison = poisonEvery > 0 && i % poisonEvery == 0;
                batch.add(Message.builder().topic(topic).key("k-" + (i % keys))
                        .payload((poison ? "poison" : prefix) + "-" + i).header(Records.HEADER, "v-" + i).build());
                if (batch.size() == 500 || i == count - 1) {
                    sent += c.sendBatch(batch).size();
                    batch.clear();
                }
            }
            return sent;
        }
    }

    /**
     * Checks the brokers through a connection.
     *
     * @return the health-check result and the topic list
     * @throws ResourceException if no connection can be had
     */
    public String health() throws ResourceException {
        try (RustMQConnection c = factory.createConnection()) {
            return c.healthCheck() + " topics=" + c.topics();
        }
    }
}
