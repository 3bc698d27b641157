package io.rustmq.messaging;

import java.util.List;

/**
 * The raw payload of a batch message ({@code batch=true}) before conversion: the records' payload bytes in order.
 * A method declaring {@code List<T>} (or {@code Message<List<T>>}) receives the converted list instead, through
 * {@link RustMQPayloadConverter}. Immutable.
 *
 * @param payloads one payload per record, in order (not copied: do not modify the arrays)
 */
public record IncomingRustMQBatch(List<byte[]> payloads) {
    /**
     * Copies the list.
     */
    public IncomingRustMQBatch {
        payloads = List.copyOf(payloads);
    }

    /**
     * The number of records.
     *
     * @return the size
     */
    public int size() {
        return payloads.size();
    }
}
