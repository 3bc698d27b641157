package io.rustmq.messaging.impl;

import io.rustmq.client.RustMQException;
import io.rustmq.client.compression.Compression;
import io.rustmq.client.producer.AckLevel;
import io.rustmq.client.producer.ProducerConfig;
import io.rustmq.messaging.RustMQConnectorOutgoingConfiguration;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The validated settings of an outgoing channel.
 *
 * @param channel the channel
 * @param topic the default topic
 * @param key the static key, or null
 * @param partition the fixed partition, or -1
 * @param waitForWriteCompletion ack after the broker's acknowledgment
 * @param maxInflight most sends awaiting acknowledgment
 * @param propagateHeaders header names copied from the incoming record
 * @param producerConfig the producer settings
 * @param closeTimeout the longest flush on shutdown
 * @param healthEnabled whether health is reported
 * @param healthCheckInterval how long a reachability check is reused
 */
public record OutgoingSettings(String channel, String topic, String key, int partition,
                               boolean waitForWriteCompletion, int maxInflight, Set<String> propagateHeaders,
                               ProducerConfig producerConfig, Duration closeTimeout, boolean healthEnabled,
                               Duration healthCheckInterval) {

    /**
     * Reads and validates the attributes.
     *
     * @param c the generated configuration
     * @return the settings
     * @throws IllegalArgumentException naming the channel and attribute of a bad value
     */
    public static OutgoingSettings from(RustMQConnectorOutgoingConfiguration c) {
        String channel = c.getChannel();
        int inflight = c.getMaxInflightMessages();
        if (inflight < 1) {
            throw Problems.badAttribute(channel, "max-inflight-messages", inflight, "must be at least 1");
        }
        int partition = c.getPartition();
        if (partition < -1) {
            throw Problems.badAttribute(channel, "partition", partition, "must be -1 (any) or a partition number");
        }
        ProducerConfig.Builder pb = ProducerConfig.builder();
        try {
            c.getAcks().ifPresent(a -> pb.ackLevel(ackLevel(channel, a)));
            c.getCompression().ifPresent(v -> pb.compression(compression(channel, v)));
            c.getIdempotent().ifPresent(pb::idempotent);
            c.getBatchSize().ifPresent(pb::batchSize);
            c.getLinger().ifPresent(v -> pb.lingerTime(Durations.parse(channel, "linger", v)));
            ProducerConfig pc = pb.build();
            Set<String> propagate = c.getPropagateHeaders()
                    .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                            .collect(Collectors.toUnmodifiableSet()))
                    .orElse(Set.of());
            return new OutgoingSettings(channel, c.getTopic().orElse(channel), c.getKey().orElse(null), partition,
                    c.getWaitForWriteCompletion(), inflight, propagate, pc,
                    Durations.parse(channel, "close-timeout", c.getCloseTimeout()), c.getHealthEnabled(),
                    Durations.parse(channel, "health-check-interval", c.getHealthCheckInterval()));
        } catch (RustMQException e) {
            throw new IllegalArgumentException("smallrye-rustmq channel '" + channel + "': " + e.getMessage(), e);
        }
    }

    private static AckLevel ackLevel(String channel, String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "none", "0" -> AckLevel.NONE;
            case "leader", "1" -> AckLevel.LEADER;
            case "majority" -> AckLevel.MAJORITY;
            case "all", "-1" -> AckLevel.ALL;
            default -> throw Problems.badAttribute(channel, "acks", v, "must be none, leader, majority or all");
        };
    }

    private static Compression compression(String channel, String v) {
        for (Compression c : Compression.values()) {
            if (c.headerValue().equalsIgnoreCase(v.trim())) {
                return c;
            }
        }
        throw Problems.badAttribute(channel, "compression", v, "must be none, lz4, zstd or gzip");
    }
}
