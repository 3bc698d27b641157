package io.rustmq.client.internal.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.incubator.codec.quic.QuicConnectionCloseEvent;
import io.rustmq.client.ConnectionException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.TlsException;

import java.net.PortUnreachableException;
import java.nio.charset.StandardCharsets;

/**
 * What the network said about why one connection failed or ended, and the exception a caller sees for it: a server
 * certificate we refused, the broker's CONNECTION_CLOSE (TLS alerts named, the usual causes spelled out), ICMP port
 * unreachable (heard by {@link #udpErrorHandler}), or a local TLS failure. Written on the connection's event loop,
 * read from any thread (volatile fields).
 */
final class CloseReasons {
    private static final System.Logger LOG = System.getLogger(CloseReasons.class.getName());

    private final String remoteText;
    private final TlsConfig tls;
    private volatile VerifyingTrustManager.Expectation expectation;
    private volatile QuicConnectionCloseEvent peerClose;
    private volatile Throwable handshakeFailure;
    private volatile boolean portUnreachable;

    CloseReasons(String remoteText, TlsConfig tls) {
        this.remoteText = remoteText;
        this.tls = tls;
    }

    void expectation(VerifyingTrustManager.Expectation expectation) {
        this.expectation = expectation;
    }

    void peerClosed(QuicConnectionCloseEvent e) {
        peerClose = e;
    }

    /** Records the first local TLS failure. */
    void handshakeFailed(Throwable cause) {
        if (handshakeFailure == null) {
            handshakeFailure = cause;
        }
    }

    /** A handler for the UDP channel, after the QUIC codec: notices ICMP port-unreachable errors. */
    ChannelHandler udpErrorHandler(Runnable onUnreachable) {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                if (cause instanceof PortUnreachableException) {
                    portUnreachable = true;
                    onUnreachable.run();
                } else {
                    LOG.log(System.Logger.Level.DEBUG, () -> "UDP channel to " + remoteText + ": " + cause);
                }
            }
        };
    }

    /**
     * Why the connection is (being) closed: the specific reason if one is known ({@link #ifKnown}), else an idle
     * timeout, a close by the client, or a loss.
     *
     * @param opened whether the connection had been usable
     * @param timedOut whether QUIC reports an idle timeout
     * @param closedByUs whether the client (or its transport) closed it
     * @return the reason, never null
     */
    RustMQException reason(boolean opened, boolean timedOut, boolean closedByUs) {
        RustMQException known = ifKnown(opened);
        if (known != null) {
            return known;
        }
        if (timedOut) {
            return new ConnectionException("the connection to " + remoteText + " timed out: no packet from the"
                    + " broker within the QUIC idle timeout" + (portUnreachable ? " (its UDP port answers ICMP port"
                    + " unreachable: the broker is gone)" : ""), null);
        }
        if (closedByUs) {
            return new ConnectionException("the connection to " + remoteText + " was closed by the client", null);
        }
        return new ConnectionException("the connection to " + remoteText + " was lost", null);
    }

    /**
     * The specific reason the connection failed or ended, if one is known: a rejected server certificate, the
     * broker's CONNECTION_CLOSE (TLS alerts explained), ICMP port unreachable, or a local TLS failure.
     *
     * @param opened whether the connection had been usable
     * @return the reason, or null
     */
    RustMQException ifKnown(boolean opened) {
        VerifyingTrustManager.Expectation exp = expectation;
        if (exp != null && exp.failure != null) {
            return exp.failure;
        }
        QuicConnectionCloseEvent e = peerClose;
        if (e != null) {
            return fromCloseEvent(e, remoteText, tls, opened);
        }
        if (portUnreachable && !opened) {
            return new ConnectionException("nothing is listening on UDP " + remoteText
                    + " (ICMP port unreachable)", null);
        }
        Throwable hs = handshakeFailure;
        if (hs != null) {
            return new TlsException("TLS handshake with " + remoteText + " failed: " + hs.getMessage(), hs);
        }
        return null;
    }

    /**
     * The exception for the peer's CONNECTION_CLOSE: TLS alerts explained (missing or refused client certificate,
     * ALPN mismatch), else the error code and reason.
     *
     * @param e the close event
     * @param remoteText the broker, for messages
     * @param tls the client's TLS settings, for advice
     * @param opened whether the connection had been usable
     * @return the exception
     */
    private static RustMQException fromCloseEvent(QuicConnectionCloseEvent e, String remoteText, TlsConfig tls,
                                                  boolean opened) {
        byte[] reasonBytes = reasonOf(e);
        String reason = reasonBytes.length == 0 ? ""
                : ", reason '" + new String(reasonBytes, StandardCharsets.UTF_8) + "'";
        if (e.isTlsError()) {
            int alert = QuicConnectionCloseEvent.extractTlsError(e.error());
            String alertText = "TLS alert " + alert + " " + TlsAlerts.name(alert) + " from " + remoteText;
            boolean haveCert = tls.clientCert() != null;
            if (!haveCert && TlsAlerts.isCertificateProblem(alert)) {
                return new TlsException("the broker requires a client certificate and none is configured: set"
                        + " tls.clientCert and tls.clientKey (" + alertText + ")", null);
            }
            if (alert == TlsAlerts.CERTIFICATE_REQUIRED) {
                // BoringSSL sends a client certificate only if its issuer is among the CAs the server names, so a
                // certificate from a CA the broker does not trust is not even sent.
                return new TlsException("the broker refused our client certificate " + tls.clientCert()
                        + ": it requires a client certificate issued by a CA it trusts, and ours was not accepted"
                        + " (" + alertText + ")", null);
            }
            if (TlsAlerts.isCertificateProblem(alert)) {
                return new TlsException("the broker refused our client certificate " + tls.clientCert()
                        + " (" + alertText + ")", null);
            }
            if (alert == TlsAlerts.NO_APPLICATION_PROTOCOL) {
                return new TlsException("the broker accepts none of the ALPN protocols " + tls.alpn()
                        + " (" + alertText + "); note that the shipped broker's plain server offers no ALPN at all",
                        null);
            }
            return new TlsException("the broker aborted the TLS handshake (" + alertText + ")", null);
        }
        return new ConnectionException("the broker closed the connection (" + (e.isApplicationClose()
                ? "application" : "transport") + " error code " + e.error() + reason + ")"
                + (opened ? "" : " before it could be used"), null);
    }

    private static byte[] reasonOf(QuicConnectionCloseEvent e) {
        try {
            byte[] r = e.reason();
            return r == null ? new byte[0] : r;
        } catch (NullPointerException npe) {
            // QuicConnectionCloseEvent.reason() clones a null array when the peer sent no reason phrase.
            return new byte[0];
        }
    }
}
