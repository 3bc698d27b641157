package io.rustmq.client.metrics;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * An immutable snapshot of one producer's counters, taken by
 * {@link io.rustmq.client.producer.Producer#metrics()}.
 *
 * @param messagesSent messages the broker acknowledged
 * @param messagesFailed messages whose send failed (refused before sending, or failed after retries and timeouts)
 * @param bytesSent record bytes acknowledged, as encoded on the wire (after compression, with headers)
 * @param batchesSent Produce requests acknowledged
 * @param averageBatchSize acknowledged messages per acknowledged request ({@code messagesSent / batchesSent}), or 0
 * @param lastSendTime when the last Produce request was sent, or {@code null} if none was
 * @param retries Produce requests sent again after a retriable failure
 * @param requestLatencyP50Micros the median time from sending a Produce request to its outcome, in microseconds
 *     (0 if none completed)
 * @param requestLatencyP99Micros the 99th percentile of that time, in microseconds (0 if none completed)
 */
public record ProducerMetrics(long messagesSent, long messagesFailed, long bytesSent, long batchesSent,
                              double averageBatchSize, Instant lastSendTime, long retries,
                              long requestLatencyP50Micros, long requestLatencyP99Micros) {

    /**
     * This snapshot as a JSON object (field names as the record components; {@code lastSendTime} as ISO-8601 or
     * null).
     *
     * @return compact JSON text
     */
    public String toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("messagesSent", messagesSent);
        n.put("messagesFailed", messagesFailed);
        n.put("bytesSent", bytesSent);
        n.put("batchesSent", batchesSent);
        n.put("averageBatchSize", averageBatchSize);
        if (lastSendTime == null) {
            n.putNull("lastSendTime");
        } else {
            n.put("lastSendTime", lastSendTime.toString());
        }
        n.put("retries", retries);
        n.put("requestLatencyP50Micros", requestLatencyP50Micros);
        n.put("requestLatencyP99Micros", requestLatencyP99Micros);
        return n.toString();
    }
}
