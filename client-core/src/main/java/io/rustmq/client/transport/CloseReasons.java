package io.rustmq.client.transport;

import io.netty.incubator.codec.quic.QuicConnectionCloseEvent;
import io.rustmq.client.ConnectionException;
import io.rustmq.client.RustMQException;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.TlsException;

import java.nio.charset.StandardCharsets;

/**
 * Explains why a broker closed a connection: turns the peer's CONNECTION_CLOSE into the exception a caller sees,
 * with TLS alerts named and the usual causes spelled out. Stateless; called on the connection's event loop or a
 * callback thread.
 */
final class CloseReasons {
    private CloseReasons() {
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
    static RustMQException fromCloseEvent(QuicConnectionCloseEvent e, String remoteText, TlsConfig tls,
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
