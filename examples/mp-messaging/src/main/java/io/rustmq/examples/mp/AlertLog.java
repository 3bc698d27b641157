package io.rustmq.examples.mp;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Prints the alerts and keeps them for {@link PriceAlerts#run}. */
@ApplicationScoped
public class AlertLog {
    private final List<String> alerts = new CopyOnWriteArrayList<>();

    /**
     * Receives one alert (the message is acknowledged when this returns).
     *
     * @param alert the alert text
     */
    @Incoming("alerts-in")
    public void log(String alert) {
        System.out.println("ALERT " + alert);
        alerts.add(alert);
    }

    /**
     * The alerts received so far.
     *
     * @return a snapshot
     */
    public List<String> alerts() {
        return List.copyOf(alerts);
    }
}
