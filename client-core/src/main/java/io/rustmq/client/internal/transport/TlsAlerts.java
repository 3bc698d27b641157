package io.rustmq.client.internal.transport;

/** Names of the TLS alerts (RFC 8446 §6) a QUIC peer may close a connection with, for error messages. */
final class TlsAlerts {
    static final int HANDSHAKE_FAILURE = 40;
    static final int BAD_CERTIFICATE = 42;
    static final int UNSUPPORTED_CERTIFICATE = 43;
    static final int CERTIFICATE_REVOKED = 44;
    static final int CERTIFICATE_EXPIRED = 45;
    static final int CERTIFICATE_UNKNOWN = 46;
    static final int UNKNOWN_CA = 48;
    static final int ACCESS_DENIED = 49;
    static final int CERTIFICATE_REQUIRED = 116;
    static final int NO_APPLICATION_PROTOCOL = 120;

    private TlsAlerts() {
    }

    static String name(int alert) {
        switch (alert) {
            case 0: return "close_notify";
            case 10: return "unexpected_message";
            case 20: return "bad_record_mac";
            case 22: return "record_overflow";
            case HANDSHAKE_FAILURE: return "handshake_failure";
            case BAD_CERTIFICATE: return "bad_certificate";
            case UNSUPPORTED_CERTIFICATE: return "unsupported_certificate";
            case CERTIFICATE_REVOKED: return "certificate_revoked";
            case CERTIFICATE_EXPIRED: return "certificate_expired";
            case CERTIFICATE_UNKNOWN: return "certificate_unknown";
            case 47: return "illegal_parameter";
            case UNKNOWN_CA: return "unknown_ca";
            case ACCESS_DENIED: return "access_denied";
            case 50: return "decode_error";
            case 51: return "decrypt_error";
            case 70: return "protocol_version";
            case 71: return "insufficient_security";
            case 80: return "internal_error";
            case 86: return "inappropriate_fallback";
            case 90: return "user_canceled";
            case 109: return "missing_extension";
            case 110: return "unsupported_extension";
            case 112: return "unrecognized_name";
            case 113: return "bad_certificate_status_response";
            case 115: return "unknown_psk_identity";
            case CERTIFICATE_REQUIRED: return "certificate_required";
            case NO_APPLICATION_PROTOCOL: return "no_application_protocol";
            default: return "(unknown alert)";
        }
    }

    /** Alerts a server sends when it does not accept the client's certificate (or the lack of one). */
    static boolean isCertificateProblem(int alert) {
        switch (alert) {
            case BAD_CERTIFICATE:
            case UNSUPPORTED_CERTIFICATE:
            case CERTIFICATE_REVOKED:
            case CERTIFICATE_EXPIRED:
            case CERTIFICATE_UNKNOWN:
            case UNKNOWN_CA:
            case ACCESS_DENIED:
            case CERTIFICATE_REQUIRED:
                return true;
            default:
                return false;
        }
    }
}
