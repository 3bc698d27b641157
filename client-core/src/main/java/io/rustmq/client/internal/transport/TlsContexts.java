package io.rustmq.client.internal.transport;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.incubator.codec.quic.QuicSslContext;
import io.netty.incubator.codec.quic.QuicSslContextBuilder;
import io.rustmq.client.ConfigurationException;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.TlsException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds the client-side TLS material from a {@link TlsConfig}: trust (a PEM CA file, the JDK trust store, or
 * nothing when {@code insecureSkipVerify}), the optional client certificate (PEM chain + PKCS#8 PEM key, RSA or EC)
 * and the ALPN list. Everything is read and checked eagerly, so that a bad file fails at startup and names its field.
 */
final class TlsContexts {
    private static final System.Logger LOG = System.getLogger(TlsContexts.class.getName());
    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private final QuicSslContext context;
    private final VerifyingTrustManager verifier;
    private final TlsConfig config;

    private TlsContexts(QuicSslContext context, VerifyingTrustManager verifier, TlsConfig config) {
        this.context = context;
        this.verifier = verifier;
        this.config = config;
    }

    /**
     * Reads every file the configuration names and builds the QUIC client TLS context.
     *
     * @param tls the TLS configuration
     * @return the contexts
     * @throws ConfigurationException naming the field whose file is unreadable or malformed
     * @throws TlsException if the TLS library refuses the material
     */
    static TlsContexts create(TlsConfig tls) {
        QuicSslContextBuilder builder = QuicSslContextBuilder.forClient()
                .applicationProtocols(tls.alpn().toArray(new String[0]))
                .earlyData(false);
        VerifyingTrustManager verifier = null;
        if (tls.insecureSkipVerify()) {
            LOG.log(System.Logger.Level.WARNING, "TLS server-certificate verification is OFF (tls.insecureSkipVerify):"
                    + " any broker, or anyone in between, is accepted" + (tls.caCert() == null ? ""
                    : "; tls.caCert " + tls.caCert() + " is ignored"));
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else {
            X509ExtendedTrustManager base = tls.caCert() == null
                    ? jdkTrustManager()
                    : trustManagerFor(readCertificates("tls.caCert", tls.caCert()));
            verifier = new VerifyingTrustManager(base);
            builder.trustManager(verifier);
        }
        if (tls.clientCert() != null) {
            List<X509Certificate> chain = readCertificates("tls.clientCert", tls.clientCert());
            PrivateKey key = readPrivateKey("tls.clientKey", tls.clientKey());
            checkKeyMatches(key, chain.get(0), tls);
            builder.keyManager(key, null, chain.toArray(new X509Certificate[0]));
        }
        try {
            return new TlsContexts(builder.build(), verifier, tls);
        } catch (RuntimeException e) {
            throw new TlsException("cannot build the QUIC TLS context from " + tls + ": " + e.getMessage(), e);
        }
    }

    QuicSslContext context() {
        return context;
    }

    /**
     * The trust manager that checks the server's chain and host name, or {@code null} when verification is off.
     *
     * @return the verifier or null
     */
    VerifyingTrustManager verifier() {
        return verifier;
    }

    TlsConfig config() {
        return config;
    }

    static X509ExtendedTrustManager jdkTrustManager() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            return extended(tmf.getTrustManagers());
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot load the JDK default trust store: " + e.getMessage(), e);
        }
    }

    static X509ExtendedTrustManager trustManagerFor(List<X509Certificate> cas) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (X509Certificate ca : cas) {
                ks.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks);
            return extended(tmf.getTrustManagers());
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException("cannot build a trust manager from the CA certificates: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager extended(TrustManager[] managers) {
        for (TrustManager m : managers) {
            if (m instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new TlsException("the JDK provided no X509ExtendedTrustManager (needed for host-name checks)", null);
    }

    /**
     * Reads one or more X.509 certificates from a PEM file.
     *
     * @param field the configuration field, for error messages
     * @param path the file
     * @return the certificates in file order, at least one
     */
    static List<X509Certificate> readCertificates(String field, Path path) {
        byte[] bytes = readFile(field, path);
        Collection<? extends Certificate> certs;
        try {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
        } catch (CertificateException e) {
            throw new ConfigurationException(field, path, "is not a PEM X.509 certificate file: " + e.getMessage(), e);
        }
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : certs) {
            out.add((X509Certificate) c);
        }
        if (out.isEmpty()) {
            throw new ConfigurationException(field, path, "contains no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    /**
     * Reads an unencrypted PKCS#8 PEM private key ({@code -----BEGIN PRIVATE KEY-----}), RSA or EC.
     *
     * @param field the configuration field, for error messages
     * @param path the file
     * @return the key
     */
    static PrivateKey readPrivateKey(String field, Path path) {
        String text = new String(readFile(field, path), StandardCharsets.US_ASCII);
        Matcher m = PEM_KEY.matcher(text);
        while (m.find()) {
            String label = m.group(1);
            switch (label) {
                case "PRIVATE KEY":
                    return decodePkcs8(field, path, m.group(2));
                case "RSA PRIVATE KEY":
                case "EC PRIVATE KEY":
                    throw new ConfigurationException(field, path, "holds a " + label + " (PKCS#1/SEC1); a PKCS#8 key"
                            + " is required: convert it with 'openssl pkcs8 -topk8 -nocrypt -in key.pem'");
                case "ENCRYPTED PRIVATE KEY":
                    throw new ConfigurationException(field, path, "is encrypted; an unencrypted PKCS#8 key is"
                            + " required (openssl pkcs8 -topk8 -nocrypt)");
                default:
                    // skip other blocks (for example EC PARAMETERS)
            }
        }
        throw new ConfigurationException(field, path, "contains no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    private static PrivateKey decodePkcs8(String field, Path path, String base64) {
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(field, path, "has invalid base64 in its PEM block", e);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException e) {
                // try the next algorithm
            } catch (GeneralSecurityException e) {
                throw new TlsException("cannot decode " + field + " " + path + ": " + e.getMessage(), e);
            }
        }
        throw new ConfigurationException(field, path, "is not an RSA or EC PKCS#8 private key");
    }

    private static void checkKeyMatches(PrivateKey key, X509Certificate cert, TlsConfig tls) {
        String algorithm = "RSA".equals(key.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // fall through: a key of another type than the certificate's also ends here
        }
        throw new ConfigurationException("tls.clientKey", tls.clientKey(), "does not match the public key of the"
                + " first certificate in tls.clientCert = " + tls.clientCert() + " (" + cert.getSubjectX500Principal()
                + ")");
    }

    private static byte[] readFile(String field, Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new ConfigurationException(field, path, "cannot be read: " + e, e);
        }
    }
}
