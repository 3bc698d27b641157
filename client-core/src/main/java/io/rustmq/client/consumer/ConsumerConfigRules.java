package io.rustmq.client.consumer;

import io.rustmq.client.ConfigurationException;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The validation rules and computed defaults of {@link ConsumerConfig}: each check throws a
 * {@link ConfigurationException} naming the field and the rejected value, and the defaults that depend on other
 * fields (heartbeat interval, hand-over delay) are computed here. It owns no state; it runs on the thread that calls
 * {@link ConsumerConfig.Builder#build()}.
 */
final class ConsumerConfigRules {
    /** Largest session timeout: the wire field is an unsigned 32-bit count of milliseconds. */
    static final long MAX_SESSION_MILLIS = 0xFFFF_FFFFL;
    /** The longest default heartbeat interval (Kafka's default heartbeat). */
    static final Duration MAX_DEFAULT_HEARTBEAT = Duration.ofSeconds(3);

    private ConsumerConfigRules() {
    }

    /**
     * Fails unless a rule holds.
     *
     * @param ok whether the value is valid
     * @param field the field's name
     * @param value the value, for the message
     * @param rule what the field must be, e.g. "must be at least 1 byte"
     * @throws ConfigurationException if not ok
     */
    static void require(boolean ok, String field, Object value, String rule) {
        if (!ok) {
            throw new ConfigurationException(field, value, rule);
        }
    }

    /**
     * A positive duration.
     *
     * @param field the field's name
     * @param d the value
     * @return d
     * @throws ConfigurationException if null, zero or negative
     */
    static Duration positive(String field, Duration d) {
        require(d != null && !d.isNegative() && !d.isZero(), field, d, "must be a positive duration");
        return d;
    }

    /**
     * One or more distinct, non-blank topics.
     *
     * @param topics the topics
     * @return an immutable copy
     * @throws ConfigurationException naming {@code topics}
     */
    static List<String> topics(List<String> topics) {
        require(!topics.isEmpty(), "topics", topics, "must name at least one topic");
        Set<String> seen = new HashSet<>();
        for (String t : topics) {
            require(t != null && !t.isBlank(), "topics", topics, "must not contain a null or blank topic");
            require(seen.add(t), "topics", topics, "names '" + t + "' more than once");
        }
        return List.copyOf(topics);
    }

    /**
     * A session timeout the wire can carry.
     *
     * @param d the value
     * @return d
     * @throws ConfigurationException naming {@code sessionTimeout}
     */
    static Duration sessionTimeout(Duration d) {
        positive("sessionTimeout", d);
        require(d.toMillis() >= 1 && d.compareTo(Duration.ofMillis(MAX_SESSION_MILLIS)) <= 0, "sessionTimeout", d,
                "must be between 1 ms and 2^32 - 1 ms (an unsigned 32-bit count of milliseconds on the wire)");
        return d;
    }

    /**
     * The heartbeat interval: the one set, or a third of the session timeout capped at 3 s.
     *
     * @param set the interval set, or null
     * @param sessionTimeout the valid session timeout
     * @return the interval, shorter than the session timeout
     * @throws ConfigurationException naming {@code heartbeatInterval}
     */
    static Duration heartbeatInterval(Duration set, Duration sessionTimeout) {
        Duration third = sessionTimeout.dividedBy(3);
        Duration hb = set != null ? set : third.compareTo(MAX_DEFAULT_HEARTBEAT) < 0 ? third : MAX_DEFAULT_HEARTBEAT;
        if (set == null && hb.isZero()) {
            hb = Duration.ofNanos(1);
        }
        positive("heartbeatInterval", hb);
        require(hb.compareTo(sessionTimeout) < 0, "heartbeatInterval", hb,
                "must be shorter than sessionTimeout = " + sessionTimeout);
        return hb;
    }

    /**
     * The hand-over delay: the one set, or twice the heartbeat interval capped at the session timeout.
     *
     * @param set the delay set, or null
     * @param heartbeatInterval the valid heartbeat interval
     * @param sessionTimeout the valid session timeout
     * @return the delay
     * @throws ConfigurationException naming {@code handoverDelay}
     */
    static Duration handoverDelay(Duration set, Duration heartbeatInterval, Duration sessionTimeout) {
        if (set == null) {
            Duration twice = heartbeatInterval.multipliedBy(2);
            return twice.compareTo(sessionTimeout) < 0 ? twice : sessionTimeout;
        }
        require(!set.isNegative() && set.compareTo(sessionTimeout) <= 0, "handoverDelay", set,
                "must be zero or positive and at most sessionTimeout = " + sessionTimeout);
        return set;
    }

    /**
     * A dead-letter topic: none, or a non-blank topic that is not subscribed.
     *
     * @param topic the topic or null
     * @param topics the subscribed topics, or null when not known yet
     * @return topic
     * @throws ConfigurationException naming {@code deadLetterTopic}
     */
    static String deadLetterTopic(String topic, List<String> topics) {
        if (topic != null) {
            require(!topic.isBlank(), "deadLetterTopic", topic,
                    "must not be blank (leave it unset for no dead-letter topic)");
            require(topics == null || !topics.contains(topic), "deadLetterTopic", topic,
                    "must not be one of the subscribed topics " + topics);
        }
        return topic;
    }
}
