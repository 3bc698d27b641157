package io.rustmq.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * An immutable snapshot of a client's connection counters, taken by {@link RustMQClient#stats()}.
 *
 * @param activeConnections QUIC connections open now
 * @param totalConnections connections opened since the client was created
 * @param brokers brokers the client knows of (configured or discovered)
 * @param bytesSent request-frame bytes written
 * @param bytesReceived response bytes read
 * @param requestsSent requests written
 * @param responsesReceived responses read to completion
 * @param errors requests that failed (timeouts, broker errors, lost connections, protocol violations)
 * @param healthChecks health checks run
 * @param healthCheckErrors health checks that failed
 * @param lastHeartbeat when the last successful health check or group heartbeat happened, or {@code null}
 * @param reconnectAttempts reconnection attempts made after a connection was lost
 */
public record ClientStats(long activeConnections, long totalConnections, int brokers, long bytesSent,
                          long bytesReceived, long requestsSent, long responsesReceived, long errors,
                          long healthChecks, long healthCheckErrors, Instant lastHeartbeat, long reconnectAttempts) {

    /**
     * This snapshot as a JSON object (field names as the record components; {@code lastHeartbeat} as ISO-8601).
     *
     * @return compact JSON text
     */
    public String toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("activeConnections", activeConnections);
        n.put("totalConnections", totalConnections);
        n.put("brokers", brokers);
        n.put("bytesSent", bytesSent);
        n.put("bytesReceived", bytesReceived);
        n.put("requestsSent", requestsSent);
        n.put("responsesReceived", responsesReceived);
        n.put("errors", errors);
        n.put("healthChecks", healthChecks);
        n.put("healthCheckErrors", healthCheckErrors);
        if (lastHeartbeat == null) {
            n.putNull("lastHeartbeat");
        } else {
            n.put("lastHeartbeat", lastHeartbeat.toString());
        }
        n.put("reconnectAttempts", reconnectAttempts);
        return n.toString();
    }
}
