package io.rustmq.client.protocol;

import java.util.Objects;

/**
 * A broker as listed in Metadata (spec §5.4).
 *
 * @param id the broker id
 * @param host the host clients connect to
 * @param portQuic the QUIC client port, 0 to 65535
 * @param portRpc the inter-broker RPC port, 0 to 65535
 * @param rackId the rack, possibly empty
 */
public record BrokerInfo(String id, String host, int portQuic, int portRpc, String rackId) {
    static final int MIN_SIZE = 8 + 8 + 2 + 2 + 8;

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if a string is null
     */
    public BrokerInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(rackId, "rackId");
    }

    /**
     * Appends the bincode encoding.
     *
     * @param w the writer
     */
    public void encode(BincodeWriter w) {
        w.string(id).string(host).u16(portQuic).u16(portRpc).string(rackId);
    }

    /**
     * Reads one value.
     *
     * @param r the reader
     * @return the value
     */
    public static BrokerInfo decode(BincodeReader r) {
        return new BrokerInfo(r.string(), r.string(), r.u16(), r.u16(), r.string());
    }
}
