package io.rustmq.broker.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key with its certificate chain, leaf first. Immutable.
 *
 * @param privateKey the private key of the leaf certificate
 * @param chain the certificate chain, leaf first, at least one certificate
 */
public record CertifiedKey(PrivateKey privateKey, List<X509Certificate> chain) {
    /**
     * Checks and copies the fields.
     *
     * @throws NullPointerException if a field is null
     * @throws IllegalArgumentException if the chain is empty
     */
    public CertifiedKey {
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain must hold at least one certificate");
        }
    }

    /**
     * A key with a single certificate.
     *
     * @param privateKey the key
     * @param certificate its certificate
     */
    public CertifiedKey(PrivateKey privateKey, X509Certificate certificate) {
        this(privateKey, List.of(certificate));
    }

    /**
     * The leaf certificate.
     *
     * @return the first certificate of the chain
     */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /**
     * The SHA-256 fingerprint of the leaf certificate.
     *
     * @return upper-case hex pairs separated by colons, e.g. {@code "AB:01:…"}
     */
    public String fingerprintSha256() {
        return Certificates.fingerprintSha256(certificate());
    }

    /**
     * Writes the certificate chain as PEM (leaf first).
     *
     * @param file the file to write; replaced if it exists
     * @return {@code file}
     * @throws IOException if the file cannot be written
     */
    public Path writeCertificatePem(Path file) throws IOException {
        Pem.write(file, chain.toArray());
        return file;
    }

    /**
     * Writes the private key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}).
     *
     * @param file the file to write; replaced if it exists
     * @return {@code file}
     * @throws IOException if the file cannot be written
     */
    public Path writePrivateKeyPem(Path file) throws IOException {
        Pem.writePrivateKey(file, privateKey);
        return file;
    }
}
