package io.rustmq.broker;

import io.rustmq.broker.network.QuicTestClient;
import io.rustmq.broker.tls.Certificates;
import io.rustmq.broker.tls.CertifiedKey;
import io.rustmq.client.protocol.MetadataRequest;
import io.rustmq.client.protocol.MetadataResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void parsesEveryOption() throws Exception {
        CertifiedKey k = Certificates.selfSignedServer(List.of());
        Path cert = k.writeCertificatePem(dir.resolve("c.pem"));
        Path key = k.writePrivateKeyPem(dir.resolve("k.pem"));
        Main.Options o = Main.parse(new String[] {"--port", "0", "--host", "127.0.0.1", "--topic", "orders:3",
                "--topic=events:1", "--auto-create-topics", "--default-partitions", "4", "--broker-id", "b1",
                "--cert", cert.toString(), "--key", key.toString(), "--client-ca", cert.toString(),
                "--max-request-bytes", "2048"});
        assertThat(o.help()).isFalse();
        EmbeddedBroker b = o.builder().build();
        assertThat(b.topics()).containsEntry("orders", 3).containsEntry("events", 1);
        assertThat(b.brokerId()).isEqualTo("b1");
        b.close();
    }

    @Test
    void helpIsRecognisedAnywhere() throws Exception {
        assertThat(Main.parse(new String[] {"--port", "1", "--help"}).help()).isTrue();
        assertThat(Main.run(new String[] {"--help"}, out, err, false)).isZero();
        assertThat(out()).contains("Usage:").contains("--topic NAME:PARTITIONS");
        assertThat(err()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "--port", "--port x", "--port 70000", "--topic orders", "--topic orders:0",
            "--topic :3", "--cert /nonexistent.pem --key /nonexistent.pem", "--default-partitions 0",
            "--auto-create-topics=yes", "positional"})
    void badArgumentsAreUsageErrors(String args) {
        assertThatThrownBy(() -> Main.parse(args.split(" "))).isInstanceOf(Main.UsageException.class);
        assertThat(Main.run(args.split(" "), out, err, false)).isEqualTo(Main.EXIT_USAGE);
        assertThat(err()).startsWith("error: ").contains("Usage:");
        assertThat(out()).isEmpty();
    }

    @Test
    void certWithoutKeyIsAUsageError() throws Exception {
        Path cert = Certificates.selfSignedServer(List.of()).writeCertificatePem(dir.resolve("c.pem"));
        assertThatThrownBy(() -> Main.parse(new String[] {"--cert", cert.toString()}))
                .hasMessageContaining("--cert needs --key");
    }

    @Test
    void startsOnPortZeroAndPrintsTheReadyLineWithTheRealPort() throws Exception {
        EmbeddedBroker broker = Main.launch(Main.parse(new String[] {"--port", "0", "--topic", "orders:2"}), out);
        try {
            List<String> lines = out().lines().toList();
            assertThat(lines.stream().filter(l -> l.startsWith(Main.READY_PREFIX))).hasSize(1);
            assertThat(lines.get(lines.size() - 1)).isEqualTo(Main.READY_PREFIX + "127.0.0.1:"
                    + broker.address().getPort());
            Matcher pem = Pattern.compile("PEM \\(trust it as a CA\\): (.+)").matcher(out());
            assertThat(pem.find()).isTrue();
            assertThat(Path.of(pem.group(1))).isEqualTo(broker.certificatePem()).exists();
            assertThat(out()).contains(broker.fingerprintSha256());
            try (QuicTestClient c = QuicTestClient.connect(broker.address(), Path.of(pem.group(1)), null)) {
                MetadataResponse m = (MetadataResponse) c.request(new MetadataRequest(List.of()));
                assertThat(m.topicsMetadata()).hasSize(1);
            }
        } finally {
            broker.close();
        }
    }

    @Test
    void aStartFailureExitsWithCodeOne() {
        try (EmbeddedBroker taken = EmbeddedBroker.builder().port(0).build().start()) {
            String port = Integer.toString(taken.address().getPort());
            assertThat(Main.run(new String[] {"--port", port}, out, err, false)).isEqualTo(Main.EXIT_START_FAILED);
            assertThat(err()).startsWith("error: ").contains(port);
        }
    }
}
