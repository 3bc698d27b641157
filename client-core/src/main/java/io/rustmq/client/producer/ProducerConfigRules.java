package io.rustmq.client.producer;

import io.rustmq.client.ConfigurationException;
import io.rustmq.client.Header;
import io.rustmq.client.Headers;
import io.rustmq.client.compression.Compression;

import java.time.Duration;

/**
 * The validation rules of {@link ProducerConfig}: each check throws a {@link ConfigurationException} naming the
 * field and the rejected value, including the rules that tie fields together (in-flight requests and idempotence,
 * delivery timeout and linger time, the producer's own header names). It owns no state; it runs on the thread that
 * calls {@link ProducerConfig.Builder#build()}.
 */
final class ProducerConfigRules {
    private ProducerConfigRules() {
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
     * A zero or positive duration.
     *
     * @param field the field's name
     * @param d the value
     * @return d
     * @throws ConfigurationException if null or negative
     */
    static Duration notNegative(String field, Duration d) {
        require(d != null && !d.isNegative(), field, d, "must be zero or a positive duration");
        return d;
    }

    /**
     * The in-flight limit: at least 1, and at most {@link ProducerConfig#MAX_IN_FLIGHT_WITH_IDEMPOTENCE} when
     * idempotent.
     *
     * @param maxInFlight the value
     * @param idempotent whether idempotence is on
     * @return maxInFlight
     * @throws ConfigurationException naming {@code maxInFlightPerPartition}
     */
    static int maxInFlight(int maxInFlight, boolean idempotent) {
        require(maxInFlight >= 1, "maxInFlightPerPartition", maxInFlight, "must be at least 1");
        require(!idempotent || maxInFlight <= ProducerConfig.MAX_IN_FLIGHT_WITH_IDEMPOTENCE,
                "maxInFlightPerPartition", maxInFlight, "must be at most "
                        + ProducerConfig.MAX_IN_FLIGHT_WITH_IDEMPOTENCE + " when idempotent = true (the broker"
                        + " remembers the last 5 requests per producer and partition)");
        return maxInFlight;
    }

    /**
     * The delivery timeout: positive and not shorter than the linger time.
     *
     * @param d the value
     * @param lingerTime the valid linger time
     * @return d
     * @throws ConfigurationException naming {@code deliveryTimeout}
     */
    static Duration deliveryTimeout(Duration d, Duration lingerTime) {
        require(d != null && !d.isNegative() && !d.isZero(), "deliveryTimeout", d, "must be a positive duration");
        require(d.compareTo(lingerTime) >= 0, "deliveryTimeout", d,
                "must not be shorter than lingerTime = " + lingerTime);
        return d;
    }

    /**
     * Default headers: not null, and none named like a header the producer sets itself.
     *
     * @param headers the value
     * @return headers
     * @throws ConfigurationException naming {@code defaultHeaders}
     */
    static Headers defaultHeaders(Headers headers) {
        require(headers != null, "defaultHeaders", null, "must not be null (use Headers.empty())");
        for (Header h : headers) {
            require(!isReserved(h.key()), "defaultHeaders", h.key(), "is a header name the producer sets itself ("
                    + Compression.HEADER + ", " + Producer.PRODUCER_ID_HEADER + ", " + Producer.SEQUENCE_HEADER + ")");
        }
        return headers;
    }

    /**
     * Whether a header name is one the producer sets itself.
     *
     * @param headerName the name
     * @return true for the compression and idempotence headers
     */
    static boolean isReserved(String headerName) {
        return headerName.equals(Compression.HEADER) || headerName.equals(Producer.PRODUCER_ID_HEADER)
                || headerName.equals(Producer.SEQUENCE_HEADER);
    }
}
