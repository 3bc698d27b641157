package io.rustmq.broker.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Generates ECDSA P-256 certificates with BouncyCastle: the broker's self-signed server certificate, and small test
 * PKIs (a CA and the server or client certificates it issues). Keys come from the JDK's {@code SunEC} provider;
 * signatures are {@code SHA256withECDSA}. Thread-safe (stateless).
 */
public final class Certificates {
    /** How long generated certificates are valid, from one hour before creation. */
    public static final Duration VALIDITY = Duration.ofDays(3650);

    private static final SecureRandom RANDOM = new SecureRandom();

    private Certificates() {
    }

    /**
     * The broker's self-signed server certificate: {@code CN=localhost}, SANs {@code DNS:localhost},
     * {@code IP:127.0.0.1}, {@code IP:::1} and any extra names given. An end-entity certificate (no CA flag) that
     * clients can trust directly as a trust anchor.
     *
     * @param extraNames further host names or IP literals to list as SANs (e.g. the bind host), possibly empty
     * @return the key and certificate
     * @throws IllegalStateException if the JDK cannot generate EC keys or sign (does not happen on a standard JDK)
     */
    public static CertifiedKey selfSignedServer(List<String> extraNames) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        names.addAll(extraNames);
        KeyPair kp = newKeyPair();
        X500Name subject = new X500Name("CN=localhost");
        return new CertifiedKey(kp.getPrivate(),
                build(subject, kp, subject, kp, List.copyOf(names), false, KeyPurposeId.id_kp_serverAuth));
    }

    /**
     * A new self-signed certificate authority.
     *
     * @param commonName the CA's common name
     * @return the CA's key and certificate ({@code basicConstraints CA:true}, {@code keyCertSign})
     */
    public static CertifiedKey certificateAuthority(String commonName) {
        KeyPair kp = newKeyPair();
        X500Name subject = new X500Name("CN=" + commonName);
        return new CertifiedKey(kp.getPrivate(), build(subject, kp, subject, kp, List.of(), true, null));
    }

    /**
     * Issues a server certificate signed by a CA.
     *
     * @param ca the issuing CA (from {@link #certificateAuthority})
     * @param commonName the subject's common name
     * @param names SANs: host names or IP literals
     * @return the key and certificate (chain: the leaf only)
     */
    public static CertifiedKey issueServer(CertifiedKey ca, String commonName, List<String> names) {
        return issue(ca, commonName, names, KeyPurposeId.id_kp_serverAuth);
    }

    /**
     * Issues a server certificate signed by a CA with a chosen validity, for tests of expired or not yet valid
     * certificates.
     *
     * @param ca the issuing CA (from {@link #certificateAuthority})
     * @param commonName the subject's common name
     * @param names SANs: host names or IP literals
     * @param notBefore the start of validity
     * @param notAfter the end of validity
     * @return the key and certificate (chain: the leaf only)
     * @throws IllegalArgumentException if {@code notAfter} is before {@code notBefore}
     */
    public static CertifiedKey issueServer(CertifiedKey ca, String commonName, List<String> names, Instant notBefore,
                                           Instant notAfter) {
        if (notAfter.isBefore(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " is before notBefore " + notBefore);
        }
        KeyPair kp = newKeyPair();
        X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        KeyPair issuerPair = new KeyPair(ca.certificate().getPublicKey(), ca.privateKey());
        return new CertifiedKey(kp.getPrivate(), build(new X500Name("CN=" + commonName), kp, issuer, issuerPair,
                names, false, KeyPurposeId.id_kp_serverAuth, notBefore, notAfter));
    }

    /**
     * Issues a client certificate signed by a CA, for mutual TLS.
     *
     * @param ca the issuing CA (from {@link #certificateAuthority})
     * @param commonName the client's common name
     * @return the key and certificate (chain: the leaf only)
     */
    public static CertifiedKey issueClient(CertifiedKey ca, String commonName) {
        return issue(ca, commonName, List.of(), KeyPurposeId.id_kp_clientAuth);
    }

    /**
     * The SHA-256 fingerprint of a certificate's DER encoding.
     *
     * @param certificate the certificate
     * @return 32 upper-case hex pairs separated by colons, e.g. {@code "AB:01:…"}
     * @throws IllegalArgumentException if the certificate cannot be encoded
     */
    public static String fingerprintSha256(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot fingerprint certificate: " + e.getMessage(), e);
        }
    }

    private static CertifiedKey issue(CertifiedKey ca, String commonName, List<String> names, KeyPurposeId purpose) {
        KeyPair kp = newKeyPair();
        X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        KeyPair issuerPair = new KeyPair(ca.certificate().getPublicKey(), ca.privateKey());
        return new CertifiedKey(kp.getPrivate(),
                build(new X500Name("CN=" + commonName), kp, issuer, issuerPair, names, false, purpose));
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key: " + e.getMessage(), e);
        }
    }

    private static X509Certificate build(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
                                         List<String> names, boolean ca, KeyPurposeId purpose) {
        Instant now = Instant.now();
        return build(subject, subjectKeys, issuer, issuerKeys, names, ca, purpose, now.minus(Duration.ofHours(1)),
                now.plus(VALIDITY));
    }

    private static X509Certificate build(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
                                         List<String> names, boolean ca, KeyPurposeId purpose, Instant validFrom,
                                         Instant validUntil) {
        Date notBefore = Date.from(validFrom);
        Date notAfter = Date.from(validUntil);
        BigInteger serial = new BigInteger(127, RANDOM).add(BigInteger.ONE);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial, notBefore, notAfter, subject,
                    subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(Extension.subjectKeyIdentifier, false,
                    ext.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            if (issuerKeys != subjectKeys) {
                b.addExtension(Extension.authorityKeyIdentifier, false,
                        ext.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
            }
            if (ca) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign
                        | KeyUsage.digitalSignature));
            } else {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                if (purpose != null) {
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
                }
            }
            if (!names.isEmpty()) {
                List<GeneralName> sans = new ArrayList<>();
                for (String n : names) {
                    String name = n.startsWith("[") && n.endsWith("]") ? n.substring(1, n.length() - 1) : n;
                    boolean ip = IPAddress.isValid(name);
                    sans.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName,
                            ip ? name : name.toLowerCase(Locale.ROOT)));
                }
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(sans.toArray(new GeneralName[0])));
            }
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build certificate for " + subject + ": " + e.getMessage(), e);
        }
    }
}
