package io.rustmq.messaging.impl;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Parses the duration attributes: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, ISO-8601 or bare milliseconds. */
public final class Durations {
    private Durations() {
    }

    /**
     * Parses a duration attribute.
     *
     * @param channel the channel, for the error message
     * @param attribute the attribute name, for the error message
     * @param text the value
     * @return the duration, never negative
     * @throws IllegalArgumentException naming the channel and attribute if the text is not a duration
     */
    public static Duration parse(String channel, String attribute, String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            Duration d;
            if (t.startsWith("pt") || t.startsWith("p")) {
                d = Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            } else if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            } else if (t.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            } else if (t.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            } else if (t.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            } else {
                d = Duration.ofMillis(Long.parseLong(t));
            }
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative");
            }
            return d;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw Problems.badAttribute(channel, attribute, text,
                    "must be a duration such as 500ms, 5s, 2m, 1h, PT5S or a number of milliseconds");
        } catch (IllegalArgumentException e) {
            throw Problems.badAttribute(channel, attribute, text, "must not be negative");
        }
    }
}
