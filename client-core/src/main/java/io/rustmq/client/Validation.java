package io.rustmq.client;

import java.time.Duration;

/** Shared checks for builders: each failure names the field and the value. */
final class Validation {
    private Validation() {
    }

    static Duration positive(String field, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new ConfigurationException(field, d, "must be a positive duration");
        }
        return d;
    }

    static Duration nonNegative(String field, Duration d) {
        if (d == null || d.isNegative()) {
            throw new ConfigurationException(field, d, "must be zero or a positive duration");
        }
        return d;
    }

    static int atLeast(String field, int value, int min) {
        if (value < min) {
            throw new ConfigurationException(field, value, "must be at least " + min);
        }
        return value;
    }

    static int between(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigurationException(field, value, "must be between " + min + " and " + max);
        }
        return value;
    }

    static String notBlank(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigurationException(field, value, "must not be blank");
        }
        return value;
    }
}
