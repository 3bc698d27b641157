package io.rustmq.broker.tls;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes PEM files: X.509 certificates and private keys (PKCS#8 {@code PRIVATE KEY}, and the OpenSSL
 * {@code EC PRIVATE KEY} / {@code RSA PRIVATE KEY} forms). Encrypted keys are not supported. Thread-safe
 * (stateless).
 */
public final class Pem {
    private Pem() {
    }

    /**
     * Reads every certificate in a PEM file, in file order.
     *
     * @param file the PEM file
     * @return the certificates, at least one
     * @throws IOException if the file cannot be read, holds no certificate, or a certificate is malformed
     */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(in)) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CertificateHolder holder) {
                    out.add(converter.getCertificate(holder));
                }
            }
        } catch (CertificateException e) {
            throw new IOException("malformed certificate in " + file + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IOException("no PEM certificate (BEGIN CERTIFICATE) found in " + file);
        }
        return List.copyOf(out);
    }

    /**
     * Reads the first private key in a PEM file.
     *
     * @param file the PEM file
     * @return the key
     * @throws IOException if the file cannot be read or holds no supported unencrypted private key
     */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(in)) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
            }
        }
        throw new IOException("no unencrypted PEM private key (BEGIN PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)"
                + " found in " + file);
    }

    /**
     * Encodes certificates (or other objects BouncyCastle can write) as PEM text.
     *
     * @param objects certificates, in order
     * @return the PEM text
     * @throws IOException if an object cannot be encoded
     */
    public static String toPem(Object... objects) throws IOException {
        StringWriter sw = new StringWriter();
        writeTo(sw, objects);
        return sw.toString();
    }

    /**
     * Writes certificates as PEM.
     *
     * @param file the file; replaced if it exists
     * @param objects certificates, in order
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, Object... objects) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            writeTo(w, objects);
        }
    }

    /**
     * Writes a private key as unencrypted PKCS#8 PEM.
     *
     * @param file the file; replaced if it exists
     * @param key the key
     * @throws IOException if the file cannot be written
     */
    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
             JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(new JcaPKCS8Generator(key, null));
        }
    }

    private static void writeTo(Writer w, Object... objects) throws IOException {
        JcaPEMWriter pw = new JcaPEMWriter(w);
        for (Object o : objects) {
            pw.writeObject(o);
        }
        pw.flush();
    }
}
