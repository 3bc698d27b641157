package io.rustmq.client.internal.transport;

import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;

import java.net.InetAddress;

/**
 * The QUIC datagram sizes the client uses, and the embedded broker with it: what an endpoint tells its peer it can
 * receive, what it reads with, and the largest datagram it sends.
 *
 * <p>QUIC's {@code max_udp_payload_size} transport parameter announces the largest datagram an endpoint accepts; a
 * sender never exceeds it. The client announces {@link #MAX_RECEIVE} and reads every datagram into a buffer of that
 * size, so whatever it announced arrives whole (Netty's datagram channels otherwise read 2,048 bytes and cut a larger
 * datagram, which then fails to decrypt and is sent again and again). It sends datagrams of up to
 * {@link #LOOPBACK_SEND} bytes to a broker on a loopback address, where the path's MTU is 64 KiB and one system call
 * and one packet decryption then carry a whole request instead of a 1,350-byte slice of it; to any other address it
 * sends at most {@link #NETWORK_SEND}, the codec's default, which fits common Ethernet paths without fragmentation.
 * The broker's own announcement still bounds both: against a broker that announces 1,472 bytes, 1,472 is the most.
 */
public final class UdpPayload {

    /** Largest datagram payload announced and read, in bytes: the most a UDP datagram can carry over IPv6. */
    public static final int MAX_RECEIVE = 65_527;
    /**
     * Largest datagram payload sent to a loopback address, in bytes: below IPv4's 65,507-byte UDP limit, so the
     * kernel never refuses it.
     */
    public static final int LOOPBACK_SEND = 65_000;
    /** Largest datagram payload sent to any other address, in bytes (the QUIC codec's default). */
    public static final int NETWORK_SEND = 1_350;

    private UdpPayload() {
    }

    /**
     * The largest datagram payload to send to a peer.
     *
     * @param peer the peer's address, or {@code null} when it is not known
     * @return {@link #LOOPBACK_SEND} for a loopback address, else {@link #NETWORK_SEND}
     */
    public static int sendLimit(InetAddress peer) {
        return peer != null && peer.isLoopbackAddress() ? LOOPBACK_SEND : NETWORK_SEND;
    }

    /**
     * A receive-buffer allocator for the UDP channel that reads every datagram whole, up to {@link #MAX_RECEIVE}.
     *
     * @return a new allocator (it keeps per-channel state, so each channel gets its own)
     */
    public static RecvByteBufAllocator receiveAllocator() {
        return new FixedRecvByteBufAllocator(MAX_RECEIVE);
    }
}
