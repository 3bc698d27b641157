package io.rustmq.client.internal.transport;

import io.rustmq.client.TlsException;

import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks the broker's certificate in two steps and remembers why a check failed, so that the connect error can say
 * it: first the chain against the trusted CAs, then the host name (the {@code serverName} or the dialled host) with
 * the JDK's own HTTPS identity rules (subjectAltName DNS/IP entries, wildcards).
 *
 * <p>The incubator QUIC engine neither checks host names nor keeps an endpoint-identification algorithm set through
 * {@code setSSLParameters} (its {@code setEnabledCipherSuites} throws), so the host check is done here by handing the
 * JDK trust manager a stand-in engine whose parameters ask for {@code HTTPS} identification of the expected host.
 */
final class VerifyingTrustManager extends X509ExtendedTrustManager {
    /** What one handshake expects and, after a failed check, why it failed. */
    static final class Expectation {
        final String host;
        volatile TlsException failure;

        Expectation(String host) {
            this.host = host;
        }
    }

    private final X509ExtendedTrustManager base;
    private final Map<SSLEngine, Expectation> expectations = new ConcurrentHashMap<>();

    VerifyingTrustManager(X509ExtendedTrustManager base) {
        this.base = base;
    }

    /**
     * Registers the host name an engine's peer must prove; call {@link #forget(SSLEngine)} when the handshake ends.
     *
     * @param engine the engine of one connection attempt
     * @param host the name to verify
     * @return the expectation, which records a failure reason
     */
    Expectation expect(SSLEngine engine, String host) {
        Expectation e = new Expectation(host);
        expectations.put(engine, e);
        return e;
    }

    void forget(SSLEngine engine) {
        if (engine != null) {
            expectations.remove(engine);
        }
    }

    int pendingExpectations() {
        return expectations.size();
    }

    /** The opening of the message for a refused chain: whether a certificate in it is outside its validity. */
    private static String untrustedReason(X509Certificate[] chain) {
        java.util.Date now = new java.util.Date();
        for (X509Certificate c : chain == null ? new X509Certificate[0] : chain) {
            if (now.after(c.getNotAfter())) {
                return "server certificate not trusted: '" + c.getSubjectX500Principal().getName() + "' expired on "
                        + c.getNotAfter().toInstant() + ": ";
            }
            if (now.before(c.getNotBefore())) {
                return "server certificate not trusted: '" + c.getSubjectX500Principal().getName()
                        + "' is not valid before " + c.getNotBefore().toInstant() + ": ";
            }
        }
        return "server certificate not trusted: ";
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        Expectation expectation = engine == null ? null : expectations.get(engine);
        String host = expectation != null ? expectation.host : peerHost(engine);
        try {
            base.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            record(expectation, new TlsException(untrustedReason(chain) + e.getMessage()
                    + " (certificate " + describe(chain) + ")", e));
            throw e;
        }
        if (host == null) {
            CertificateException e = new CertificateException("no host name to verify the certificate against");
            record(expectation, new TlsException("cannot verify the server certificate: no host name is known"
                    + " (set tls.serverName)", e));
            throw e;
        }
        try {
            base.checkServerTrusted(chain, authType, new HostCheckEngine(host));
        } catch (CertificateException e) {
            record(expectation, new TlsException("host name '" + host + "' does not match the certificate: "
                    + e.getMessage() + " (the certificate is for " + names(chain) + "; set tls.serverName to one of"
                    + " them, or fix the broker certificate)", e));
            throw e;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("only QUIC engines are supported");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        // Without an engine the host name is unknown: refuse rather than accept any trusted certificate.
        throw new CertificateException("host name verification needs the SSLEngine");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("client-side trust manager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("client-side trust manager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client-side trust manager");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return base.getAcceptedIssuers();
    }

    private static void record(Expectation expectation, TlsException failure) {
        if (expectation != null && expectation.failure == null) {
            expectation.failure = failure;
        }
    }

    private static String peerHost(SSLEngine engine) {
        if (engine == null) {
            return null;
        }
        if (engine.getPeerHost() != null) {
            return engine.getPeerHost();
        }
        SSLSession s = engine.getHandshakeSession();
        return s == null ? null : s.getPeerHost();
    }

    private static String describe(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return "none sent";
        }
        return "'" + chain[0].getSubjectX500Principal().getName() + "' issued by '"
                + chain[0].getIssuerX500Principal().getName() + "'";
    }

    static String names(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return "[]";
        }
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = chain[0].getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    Object kind = san.get(0);
                    if (Integer.valueOf(2).equals(kind)) {
                        names.add("DNS:" + san.get(1));
                    } else if (Integer.valueOf(7).equals(kind)) {
                        names.add("IP:" + san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            names.add("<unparsable subjectAltName>");
        }
        if (names.isEmpty()) {
            names.add(chain[0].getSubjectX500Principal().getName());
        }
        return names.toString();
    }

    /**
     * A stand-in engine that only answers what the JDK trust manager asks during an HTTPS identity check.
     */
    private static final class HostCheckEngine extends SSLEngine {
        private final SSLSession session;

        HostCheckEngine(String host) {
            super(host, -1);
            this.session = new HostOnlySession(host);
        }

        @Override
        public SSLParameters getSSLParameters() {
            SSLParameters p = new SSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            return p;
        }

        @Override
        public SSLSession getHandshakeSession() {
            return session;
        }

        @Override
        public SSLSession getSession() {
            return session;
        }

        @Override
        public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Runnable getDelegatedTask() {
            return null;
        }

        @Override
        public void closeInbound() {
        }

        @Override
        public boolean isInboundDone() {
            return true;
        }

        @Override
        public void closeOutbound() {
        }

        @Override
        public boolean isOutboundDone() {
            return true;
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return new String[0];
        }

        @Override
        public String[] getEnabledCipherSuites() {
            return new String[0];
        }

        @Override
        public void setEnabledCipherSuites(String[] suites) {
        }

        @Override
        public String[] getSupportedProtocols() {
            return new String[] {"TLSv1.3"};
        }

        @Override
        public String[] getEnabledProtocols() {
            return new String[] {"TLSv1.3"};
        }

        @Override
        public void setEnabledProtocols(String[] protocols) {
        }

        @Override
        public void beginHandshake() {
        }

        @Override
        public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
            return SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
        }

        @Override
        public void setUseClientMode(boolean mode) {
        }

        @Override
        public boolean getUseClientMode() {
            return true;
        }

        @Override
        public void setNeedClientAuth(boolean need) {
        }

        @Override
        public boolean getNeedClientAuth() {
            return false;
        }

        @Override
        public void setWantClientAuth(boolean want) {
        }

        @Override
        public boolean getWantClientAuth() {
            return false;
        }

        @Override
        public void setEnableSessionCreation(boolean flag) {
        }

        @Override
        public boolean getEnableSessionCreation() {
            return false;
        }
    }

    /** The minimum of a session the JDK's identity check reads: the peer host. */
    private static final class HostOnlySession implements SSLSession {
        private final String host;

        HostOnlySession(String host) {
            this.host = host;
        }

        @Override
        public String getPeerHost() {
            return host;
        }

        @Override
        public int getPeerPort() {
            return -1;
        }

        @Override
        public String getProtocol() {
            return "TLSv1.3";
        }

        @Override
        public byte[] getId() {
            return new byte[0];
        }

        @Override
        public SSLSessionContext getSessionContext() {
            return null;
        }

        @Override
        public long getCreationTime() {
            return 0;
        }

        @Override
        public long getLastAccessedTime() {
            return 0;
        }

        @Override
        public void invalidate() {
        }

        @Override
        public boolean isValid() {
            return true;
        }

        @Override
        public void putValue(String name, Object value) {
        }

        @Override
        public Object getValue(String name) {
            return null;
        }

        @Override
        public void removeValue(String name) {
        }

        @Override
        public String[] getValueNames() {
            return new String[0];
        }

        @Override
        public Certificate[] getPeerCertificates() {
            return null;
        }

        @Override
        public Certificate[] getLocalCertificates() {
            return null;
        }

        @Override
        public Principal getPeerPrincipal() {
            return null;
        }

        @Override
        public Principal getLocalPrincipal() {
            return null;
        }

        @Override
        public String getCipherSuite() {
            return "TLS_AES_128_GCM_SHA256";
        }

        @Override
        public int getPacketBufferSize() {
            return 0;
        }

        @Override
        public int getApplicationBufferSize() {
            return 0;
        }
    }
}
