package io.rustmq.examples.quarkus;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Reads greetings back from the {@code greetings} topic and keeps the last 20. */
@ApplicationScoped
public class GreetingListener {

    private static final Logger LOG = Logger.getLogger(GreetingListener.class);
    private final List<String> latest = new ArrayList<>();

    /**
     * Logs and keeps one greeting.
     *
     * @param greeting the greeting read from the topic
     */
    @Incoming("greetings-in")
    public synchronized void receive(Greeting greeting) {
        LOG.infof("received from RustMQ: %s", greeting.text());
        latest.add(greeting.text());
        if (latest.size() > 20) {
            latest.remove(0);
        }
    }

    /**
     * The last greetings received.
     *
     * @return a copy, oldest first
     */
    public synchronized List<String> latest() {
        return List.copyOf(latest);
    }
}
