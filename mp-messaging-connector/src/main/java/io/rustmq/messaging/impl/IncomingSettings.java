package io.rustmq.messaging.impl;

import io.rustmq.client.consumer.StartPosition;
import io.rustmq.messaging.RustMQConnectorIncomingConfiguration;
import io.rustmq.messaging.commit.CommitStrategy;
import io.rustmq.messaging.fault.FailureStrategy;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The validated settings of an incoming channel.
 *
 * @param channel the channel name (without a {@code $n} suffix)
 * @param topics the topics
 * @param group the consumer group
 * @param startPosition where a group without a committed offset starts
 * @param enableAutoCommit whether the consumer commits on its own
 * @param autoCommitInterval commit interval of {@code throttled}
 * @param commitStrategy the commit strategy
 * @param unprocessedMaxAge age after which an unsettled record is reported; zero disables
 * @param failureStrategy the failure strategy
 * @param deadLetterTopic the dead-letter topic, or null
 * @param retryMaxAttempts redeliveries for {@code delayed-retry}
 * @param retryBackoff delay before a redelivery
 * @param batch whether payloads are lists
 * @param fetchSize records per poll, or 0 for the consumer's default
 * @param sessionTimeout the group session timeout, or null for the default
 * @param maxQueueSize most queued records
 * @param maxQueueBytes most queued bytes
 * @param concurrency number of lanes
 * @param ordering the order kept across lanes
 * @param closeTimeout the longest shutdown
 * @param healthEnabled whether health is reported
 * @param healthCheckInterval how long a reachability check is reused
 */
public record IncomingSettings(String channel, List<String> topics, String group, StartPosition startPosition,
                               boolean enableAutoCommit, Duration autoCommitInterval, CommitStrategy commitStrategy,
                               Duration unprocessedMaxAge, FailureStrategy failureStrategy, String deadLetterTopic,
                               int retryMaxAttempts, Duration retryBackoff, boolean batch, int fetchSize,
                               Duration sessionTimeout, int maxQueueSize, long maxQueueBytes, int concurrency,
                               Ordering ordering, Duration closeTimeout, boolean healthEnabled,
                               Duration healthCheckInterval) {

    /**
     * Reads and validates the attributes.
     *
     * @param c the generated configuration
     * @param channel the channel name without a {@code $n} suffix
     * @return the settings
     * @throws IllegalArgumentException naming the channel and attribute of a bad value
     */
    public static IncomingSettings from(RustMQConnectorIncomingConfiguration c, String channel) {
        List<String> topics = c.getTopics()
                .map(t -> Arrays.stream(t.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElseGet(() -> List.of(c.getTopic().orElse(channel)));
        if (topics.isEmpty()) {
            throw Problems.badAttribute(channel, "topics", c.getTopics().orElse(""), "must name at least one topic");
        }
        String group = c.getConsumerGroup().orElse(channel);
        StartPosition start = startPosition(channel, c.getStartPosition());
        boolean auto = c.getEnableAutoCommit();
        CommitStrategy commit = c.getCommitStrategy().map(v -> CommitStrategy.parse(channel, v))
                .orElse(auto ? CommitStrategy.IGNORE : CommitStrategy.THROTTLED);
        FailureStrategy failure = FailureStrategy.parse(channel, c.getFailureStrategy());
        String dlq = c.getDeadLetterQueueTopic().orElse(
                failure == FailureStrategy.DEAD_LETTER_QUEUE ? "dead-letter-topic-" + channel : null);
        if (dlq != null && topics.contains(dlq)) {
            throw Problems.badAttribute(channel, "dead-letter-queue.topic", dlq,
                    "must not be a topic the channel reads");
        }
        int attempts = c.getRetryMaxAttempts();
        if (attempts < 0) {
            throw Problems.badAttribute(channel, "retry.max-attempts", attempts, "must be at least 0");
        }
        int fetch = c.getFetchSize().orElse(0);
        if (c.getFetchSize().isPresent() && fetch < 1) {
            throw Problems.badAttribute(channel, "fetch-size", fetch, "must be at least 1");
        }
        int maxQueue = c.getMaxQueueSize();
        if (maxQueue < 1) {
            throw Problems.badAttribute(channel, "max-queue-size", maxQueue, "must be at least 1 record");
        }
        long maxBytes = c.getMaxQueueBytes();
        if (maxBytes < 1) {
            throw Problems.badAttribute(channel, "max-queue-bytes", maxBytes, "must be at least 1 byte");
        }
        int concurrency = c.getConcurrency();
        if (concurrency < 1) {
            throw Problems.badAttribute(channel, "concurrency", concurrency, "must be at least 1");
        }
        Duration session = c.getSessionTimeout().map(v -> Durations.parse(channel, "session-timeout", v)).orElse(null);
        return new IncomingSettings(channel, topics, group, start, auto,
                positive(channel, "auto-commit-interval", c.getAutoCommitInterval()), commit,
                Durations.parse(channel, "unprocessed-record-max-age", c.getUnprocessedRecordMaxAge()), failure, dlq,
                attempts, Durations.parse(channel, "retry.backoff", c.getRetryBackoff()), c.getBatch(), fetch,
                session, maxQueue, maxBytes, concurrency, Ordering.parse(channel, c.getOrdering()),
                Durations.parse(channel, "close-timeout", c.getCloseTimeout()), c.getHealthEnabled(),
                Durations.parse(channel, "health-check-interval", c.getHealthCheckInterval()));
    }

    private static Duration positive(String channel, String attribute, String value) {
        Duration d = Durations.parse(channel, attribute, value);
        if (d.isZero()) {
            throw Problems.badAttribute(channel, attribute, value, "must be positive");
        }
        return d;
    }

    static StartPosition startPosition(String channel, String value) {
        String v = value.trim();
        String lower = v.toLowerCase(Locale.ROOT);
        try {
            if (lower.equals("earliest")) {
                return StartPosition.earliest();
            }
            if (lower.equals("latest")) {
                return StartPosition.latest();
            }
            if (lower.startsWith("offset:")) {
                return StartPosition.offset(Long.parseLong(v.substring("offset:".length()).trim()));
            }
            if (lower.startsWith("timestamp:")) {
                return StartPosition.timestamp(Instant.parse(v.substring("timestamp:".length()).trim()));
            }
        } catch (NumberFormatException | DateTimeParseException | io.rustmq.client.ConfigurationException e) {
            // reported below with the accepted forms
        }
        throw Problems.badAttribute(channel, "start-position", value,
                "must be earliest, latest, offset:N (N >= 0) or timestamp:ISO-8601-instant");
    }
}
