package io.rustmq.broker.network;

import io.rustmq.client.internal.transport.UdpPayload;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker's datagram size follows the address it is bound to. */
class QuicBrokerServerTest {

    @Test
    void aBrokerBoundToLoopbackSendsLargeDatagramsAndOneReachableFromTheNetworkDoesNot() {
        assertThat(QuicBrokerServer.sendPayloadLimit("127.0.0.1")).isEqualTo(UdpPayload.LOOPBACK_SEND);
        assertThat(QuicBrokerServer.sendPayloadLimit("::1")).isEqualTo(UdpPayload.LOOPBACK_SEND);
        assertThat(QuicBrokerServer.sendPayloadLimit("0.0.0.0")).isEqualTo(UdpPayload.NETWORK_SEND);
        assertThat(QuicBrokerServer.sendPayloadLimit("192.0.2.7")).isEqualTo(UdpPayload.NETWORK_SEND);
        assertThat(QuicBrokerServer.sendPayloadLimit("no-such-host.invalid")).isEqualTo(UdpPayload.NETWORK_SEND);
    }
}
