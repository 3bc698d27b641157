package io.rustmq.examples.mp;

import io.rustmq.broker.EmbeddedBroker;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;

import java.time.Duration;
import java.util.List;

/**
 * Starts an embedded broker and a CDI (Weld SE) application whose {@code @Incoming}/{@code @Outgoing} beans talk
 * through it with the {@code smallrye-rustmq} connector: {@link PriceFeed} → topic {@code prices} →
 * {@link PriceWatcher} → topic {@code alerts} → {@link AlertLog}. The channels are configured in
 * {@code META-INF/microprofile-config.properties}.
 */
public final class PriceAlerts {
    private PriceAlerts() {
    }

    /**
     * Runs the example and prints the alerts.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        List<String> alerts = run(Duration.ofSeconds(60));
        System.out.println(alerts.size() + " alerts for " + PriceFeed.TICKS * PriceFeed.SYMBOLS.size() + " prices");
        if (alerts.size() != expectedAlerts()) {
            System.exit(1);
        }
    }

    /**
     * How many prices reach the threshold.
     *
     * @return the number of alerts the example produces
     */
    public static int expectedAlerts() {
        int n = 0;
        for (int i = 0; i < PriceFeed.TICKS * PriceFeed.SYMBOLS.size(); i++) {
            int tick = i / PriceFeed.SYMBOLS.size();
            double price = 100 + (tick % 5) * 2.5 + PriceFeed.SYMBOLS.indexOf(PriceFeed.SYMBOLS.get(i % 3));
            if (price >= PriceWatcher.THRESHOLD) {
                n++;
            }
        }
        return n;
    }

    /**
     * Starts the broker and the application, waits for every alert (or the timeout) and stops both.
     *
     * @param timeout the longest wait for the alerts
     * @return the alerts received
     */
    public static List<String> run(Duration timeout) {
        try (EmbeddedBroker broker = EmbeddedBroker.builder().host("127.0.0.1").port(0)
                .topic("prices", 3).topic("alerts", 1).topic("prices-dead", 1).build().start()) {
            System.setProperty("mp.messaging.connector.smallrye-rustmq.brokers", broker.bootstrap());
            System.setProperty("mp.messaging.connector.smallrye-rustmq.tls.ca-cert",
                    broker.certificatePem().toString());
            try (SeContainer app = SeContainerInitializer.newInstance().initialize()) {
                AlertLog log = app.select(AlertLog.class).get();
                long deadline = System.nanoTime() + timeout.toNanos();
                while (log.alerts().size() < expectedAlerts() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                return log.alerts();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            } finally {
                System.clearProperty("mp.messaging.connector.smallrye-rustmq.brokers");
                System.clearProperty("mp.messaging.connector.smallrye-rustmq.tls.ca-cert");
            }
        }
    }
}
