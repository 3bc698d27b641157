package io.rustmq.messaging;

import java.util.List;

/**
 * Attached to a batch message ({@code batch=true}): the metadata of each record of the {@code List} payload, in the
 * same order. Immutable.
 *
 * @param records one entry per payload element
 */
public record IncomingRustMQBatchMetadata(List<IncomingRustMQMetadata> records) {
    /**
     * Copies the list.
     *
     * @param records one entry per payload element
     */
    public IncomingRustMQBatchMetadata {
        records = List.copyOf(records);
    }

    /**
     * The number of records in the batch.
     *
     * @return the size
     */
    public int size() {
        return records.size();
    }
}
