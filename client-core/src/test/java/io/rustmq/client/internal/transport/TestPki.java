package io.rustmq.client.internal.transport;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test certificates made with BouncyCastle and written as PEM files: a CA, a server certificate for
 * {@code localhost}/127.0.0.1 signed by it, a client certificate signed by it, and an unrelated second CA with its
 * own {@code localhost} server certificate.
 */
final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /**
     * Writes the certificates as PEM files into {@code dir}. The keys and certificates are made once per JVM and
     * reused, so every test class gets the same PKI in its own {@code @TempDir}.
     *
     * @param dir where to write the PEM files
     * @return the certificates
     */
    static TestPki in(Path dir) {
        return create(dir);
    }

    /** A key and its certificate, in memory and as PEM files. */
    record Identity(PrivateKey key, X509Certificate cert, Path certPem, Path keyPem) {
    }

    final Identity ca;
    final Identity server;
    final Identity client;
    final Identity otherCa;
    final Identity otherServer;
    final Identity otherClient;
    final Identity rsaClient;

    private TestPki(Path dir) throws Exception {
        ca = selfSignedCa(dir, "ca", "CN=RustMQ Test CA");
        server = issue(dir, "server", ca, "CN=localhost", true);
        client = issue(dir, "client", ca, "CN=test-client", false);
        otherCa = selfSignedCa(dir, "other-ca", "CN=Unrelated Test CA");
        otherServer = issue(dir, "other-server", otherCa, "CN=localhost", true);
        otherClient = issue(dir, "other-client", otherCa, "CN=stranger", false);
        rsaClient = MADE.containsKey("rsa-client") ? issue(dir, "rsa-client", ca, "CN=rsa-client", false)
                : issue(dir, "rsa-client", ca, "CN=rsa-client", false, rsaKeyPair());
    }

    /** Keys and certificates already made in this JVM, by name: key generation is the slow part. */
    private static final Map<String, Identity> MADE = new ConcurrentHashMap<>();

    private static TestPki create(Path dir) {
        try {
            return new TestPki(dir);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create test certificates", e);
        }
    }

    private static KeyPair newKeyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static Identity selfSignedCa(Path dir, String name, String dn) throws Exception {
        Identity made = MADE.get(name);
        if (made != null) {
            return write(dir, name, made.key(), made.cert());
        }
        KeyPair kp = newKeyPair();
        X500Name subject = new X500Name(dn);
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), subject,
                kp.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
        X509Certificate cert = sign(b, kp.getPrivate());
        return remember(name, write(dir, name, kp.getPrivate(), cert));
    }

    private static KeyPair rsaKeyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static Identity issue(Path dir, String name, Identity issuer, String dn, boolean serverCert)
            throws Exception {
        Identity made = MADE.get(name);
        if (made != null) {
            return write(dir, name, made.key(), made.cert());
        }
        return issue(dir, name, issuer, dn, serverCert, newKeyPair());
    }

    private static Identity issue(Path dir, String name, Identity issuer, String dn, boolean serverCert,
                                  KeyPair kp) throws Exception {
        Identity made = MADE.get(name);
        if (made != null) {
            return write(dir, name, made.key(), made.cert());
        }
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer.cert(),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(30))), new X500Name(dn), kp.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer.cert()));
        if (serverCert) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        } else {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        }
        X509Certificate cert = sign(b, issuer.key());
        return remember(name, write(dir, name, kp.getPrivate(), cert));
    }

    private static Identity remember(String name, Identity identity) {
        MADE.putIfAbsent(name, identity);
        return identity;
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

    private static Identity write(Path dir, String name, PrivateKey key, X509Certificate cert) throws IOException {
        Path certPem = dir.resolve(name + ".pem");
        Path keyPem = dir.resolve(name + ".key");
        Files.writeString(certPem, pem(cert), StandardCharsets.US_ASCII);
        Files.writeString(keyPem, pem(new JcaPKCS8Generator(key, null)), StandardCharsets.US_ASCII);
        return new Identity(key, cert, certPem, keyPem);
    }

    private static String pem(Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            if (o instanceof PemObjectGenerator g) {
                w.writeObject(g);
            } else {
                w.writeObject(o);
            }
        }
        return sw.toString();
    }
}
