package io.rustmq.broker.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificatesTest {
    @TempDir
    Path dir;

    static List<String> sans(X509Certificate c) throws Exception {
        List<String> out = new ArrayList<>();
        Collection<List<?>> names = c.getSubjectAlternativeNames();
        for (List<?> n : names) {
            out.add((n.get(0).equals(7) ? "IP:" : "DNS:") + n.get(1));
        }
        return out;
    }

    @Test
    void selfSignedServerCertificateIsEcdsaP256ForLocalhost() throws Exception {
        CertifiedKey k = Certificates.selfSignedServer(List.of("broker.example"));
        X509Certificate c = k.certificate();
        assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(c.getIssuerX500Principal()).isEqualTo(c.getSubjectX500Principal());
        assertThat(c.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(((ECPublicKey) c.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(sans(c)).contains("DNS:localhost", "IP:127.0.0.1", "DNS:broker.example");
        c.verify(c.getPublicKey());
        c.checkValidity();
        assertThat(c.getBasicConstraints()).as("end entity").isEqualTo(-1);
    }

    @Test
    void issuedCertificatesChainToTheirCa() throws Exception {
        CertifiedKey ca = Certificates.certificateAuthority("ca");
        assertThat(ca.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        CertifiedKey client = Certificates.issueClient(ca, "client");
        client.certificate().verify(ca.certificate().getPublicKey());
        assertThat(client.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        CertifiedKey server = Certificates.issueServer(ca, "srv", List.of("localhost", "::1"));
        assertThat(sans(server.certificate())).contains("DNS:localhost");
        assertThat(server.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    }

    @Test
    void pemRoundTripsCertificatesAndKeys() throws Exception {
        CertifiedKey k = Certificates.selfSignedServer(List.of());
        Path cert = k.writeCertificatePem(dir.resolve("c.pem"));
        Path key = k.writePrivateKeyPem(dir.resolve("k.pem"));
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Pem.readCertificates(cert)).containsExactly(k.certificate());
        assertThat(Pem.readPrivateKey(key).getEncoded()).isEqualTo(k.privateKey().getEncoded());
        assertThatThrownBy(() -> Pem.readPrivateKey(cert)).hasMessageContaining("no unencrypted PEM private key");
    }

    @Test
    void fingerprintIsColonSeparatedUpperCaseSha256() {
        CertifiedKey k = Certificates.selfSignedServer(List.of());
        assertThat(k.fingerprintSha256()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(Certificates.fingerprintSha256(k.certificate())).isEqualTo(k.fingerprintSha256());
    }
}
