package io.rustmq.messaging.impl;

import java.util.Locale;

/** Which order concurrent processing ({@code concurrency} > 1) keeps. */
public enum Ordering {
    /** Records with equal keys are processed one at a time, in offset order. */
    KEY,
    /** Records of one partition are processed one at a time, in offset order. */
    PARTITION,
    /** No order: a record goes to the least busy lane. */
    NONE;

    /**
     * Parses the {@code ordering} attribute.
     *
     * @param channel the channel, for errors
     * @param value the value
     * @return the ordering
     * @throws IllegalArgumentException naming the channel and attribute for an unknown value
     */
    public static Ordering parse(String channel, String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Problems.badAttribute(channel, "ordering", value, "must be key, partition or none");
        }
    }
}
