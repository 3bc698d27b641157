package io.rustmq.client.protocol;

import java.util.List;
import java.util.Objects;

/**
 * Type 1 request (spec §6.1): append {@code records} to one partition.
 *
 * @param topic the topic
 * @param partitionId the partition ({@code u32}); the broker never chooses one
 * @param records the records, in order
 * @param acks the acknowledgment level
 * @param timeoutMs a timeout in milliseconds ({@code u32}); the shipped broker ignores it
 */
public record ProduceRequest(String topic, int partitionId, List<WireRecord> records, AcknowledgmentLevel acks,
                             int timeoutMs) implements Request {
    /**
     * Checks the fields.
     *
     * @throws NullPointerException if a field is null
     */
    public ProduceRequest {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(acks, "acks");
    }

    @Override
    public RequestType type() {
        return RequestType.PRODUCE;
    }

    @Override
    public void encode(BincodeWriter w) {
        w.string(topic).u32(partitionId);
        Lists.write(w, records, WireRecord::encode);
        acks.encode(w);
        w.u32(timeoutMs);
    }

    /**
     * The encoded payload size in bytes for a topic and records, without encoding them (spec §3.4).
     *
     * @param topic the topic
     * @param records the records
     * @param acks the acknowledgment level
     * @return payload bytes (add 1 for the frame's type byte)
     */
    public static int encodedSize(String topic, List<WireRecord> records, AcknowledgmentLevel acks) {
        int size = 8 + Frames.utf8Length(topic) + 4 + 8 + 4 + (acks.kind() == AcknowledgmentLevel.Kind.CUSTOM ? 8 : 0) + 4;
        for (WireRecord r : records) {
            size += r.encodedSize();
        }
        return size;
    }

    /**
     * Reads one value.
     *
     * @param r the reader
     * @return the value
     */
    public static ProduceRequest decode(BincodeReader r) {
        return new ProduceRequest(r.string(), r.u32(), Lists.read(r, WireRecord.MIN_SIZE, "records", WireRecord::decode),
                AcknowledgmentLevel.decode(r), r.u32());
    }
}
