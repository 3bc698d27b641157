package io.rustmq.broker;

import io.rustmq.broker.network.QuicTestClient;
import io.rustmq.client.protocol.MetadataRequest;
import io.rustmq.client.protocol.MetadataResponse;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the shaded jar as its own process: ready line, a request, clean stop on SIGTERM, usage errors. */
class MainJarIT {
    static Path jar() {
        Path jar = Path.of(System.getProperty("broker.jar", "target/rustmq-embedded-broker.jar"));
        assertThat(jar).exists();
        return jar;
    }

    static ProcessBuilder java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    @Test
    void theJarStartsServesAndStopsCleanlyOnSigterm() throws Exception {
        Process p = java("--port", "0", "--topic", "orders:3").redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            String ready = null;
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (line.startsWith(Main.READY_PREFIX)) {
                    ready = line;
                    break;
                }
            }
            assertThat(ready).as("output: %s", lines).isNotNull();
            String hostPort = ready.substring(Main.READY_PREFIX.length());
            int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
            assertThat(port).isPositive();
            String pem = lines.stream().filter(l -> l.contains("PEM")).findFirst().orElseThrow();
            Path pemPath = Path.of(pem.substring(pem.indexOf(": ") + 2));
            try (QuicTestClient c = QuicTestClient.connect(new InetSocketAddress("127.0.0.1", port), pemPath, null)) {
                MetadataResponse m = (MetadataResponse) c.request(new MetadataRequest(List.of()));
                assertThat(m.topicsMetadata()).hasSize(1);
            }
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isIn(0, 143);
            assertThat(pemPath).as("generated PEM removed by the shutdown hook").doesNotExist();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void badArgumentsExitWithTwoAndUsageOnStderr() throws Exception {
        Process p = java("--no-such-option").start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).contains("Usage:");
    }

    @Test
    void versionAndHelpComeFromTheJarAndExitZero() throws Exception {
        Process v = java("--version").start();
        assertThat(v.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(v.exitValue()).isZero();
        assertThat(new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .startsWith("rustmq-embedded-broker " + System.getProperty("project.version", ""));
        Process h = java("--help").start();
        assertThat(h.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(h.exitValue()).isZero();
        assertThat(new String(h.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("--log-dir=DIR", "--retention-bytes=SIZE", "Exit codes:");
    }
}
