package io.rustmq.quarkus.deployment;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.deployment.builditem.Startable;
import io.rustmq.broker.EmbeddedBroker;

/** The embedded broker as a Dev Service: started on loopback inside the dev/test JVM, closed with it. */
final class EmbeddedBrokerService implements Startable {

    /**
     * What decides whether a running broker can be shared: equal settings share one broker.
     *
     * @param port the UDP port, 0 for a free one
     * @param defaultPartitions the partition count of topics created on first use
     * @param topics topics to create, name to partition count
     * @param retentionBytes the most bytes a partition keeps, -1 for unlimited, 0 for the broker's default
     * @param retentionMs the age past which records are dropped, -1 or 0 for none
     * @param logDir the log directory, or {@code null} for memory only
     * @param statsIntervalMillis how often the broker logs what it retains, 0 for once at start
     */
    record Settings(int port, int defaultPartitions, Map<String, Integer> topics, long retentionBytes,
                    long retentionMs, String logDir, long statsIntervalMillis) {
    }

    private final Settings settings;
    private volatile EmbeddedBroker broker;

    EmbeddedBrokerService(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void start() {
        EmbeddedBroker.Builder builder = EmbeddedBroker.builder()
                .brokerId("devservices")
                .host("127.0.0.1")
                .port(settings.port())
                .autoCreateTopics(true)
                .defaultPartitions(settings.defaultPartitions());
        settings.topics().forEach(builder::topic);
        if (settings.retentionBytes() != 0) {
            builder.retentionBytes(settings.retentionBytes());
        }
        if (settings.retentionMs() > 0) {
            builder.retentionMs(settings.retentionMs());
        }
        if (settings.logDir() != null) {
            builder.logDir(Path.of(settings.logDir()));
        }
        if (settings.statsIntervalMillis() > 0) {
            builder.statsInterval(java.time.Duration.ofMillis(settings.statsIntervalMillis()));
        }
        broker = builder.build().start();
    }

    /**
     * The broker's address.
     *
     * @return {@code 127.0.0.1:port}
     */
    @Override
    public String getConnectionInfo() {
        return broker.bootstrap();
    }

    /**
     * The broker's self-signed certificate, for clients to trust.
     *
     * @return a PEM file that exists while the broker runs
     */
    Path certificatePem() {
        return broker.certificatePem();
    }

    @Override
    public String getContainerId() {
        return null;
    }

    @Override
    public void close() {
        EmbeddedBroker b = broker;
        if (b != null) {
            b.close();
        }
    }
}
