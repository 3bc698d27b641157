package io.rustmq.client.metrics;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;

/**
 * An immutable snapshot of a message stream's counters.
 *
 * @param processed inputs whose processing succeeded and whose outputs were stored (then acknowledged)
 * @param failed processing attempts that failed (exceptions, timeouts, failed output sends)
 * @param retried attempts made again after a failure
 * @param deadLettered inputs sent to the dead-letter topic
 * @param skipped inputs acknowledged without output after a failure
 * @param inFlight inputs taken from the consumer and not yet acknowledged
 * @param averageProcessingTime mean time of one successful processor call
 */
public record StreamMetrics(long processed, long failed, long retried, long deadLettered, long skipped, long inFlight,
                            Duration averageProcessingTime) {

    /**
     * This snapshot as JSON; {@code averageProcessingTime} in microseconds as {@code averageProcessingTimeMicros}.
     *
     * @return compact JSON text
     */
    public String toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("processed", processed);
        n.put("failed", failed);
        n.put("retried", retried);
        n.put("deadLettered", deadLettered);
        n.put("skipped", skipped);
        n.put("inFlight", inFlight);
        n.put("averageProcessingTimeMicros", averageProcessingTime.toNanos() / 1000.0);
        return n.toString();
    }
}
