package io.rustmq.client.tracing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Micrometer and OpenTelemetry are optional dependencies: only the binder package and
 * {@link OpenTelemetryTracer} (with its nested classes) may refer to them, so that no other class of the client
 * links them. Reads the constant pool text of every compiled main class.
 */
class OptionalDependenciesTest {
    private static boolean mayUseOptionalLibraries(Path root, Path classFile) {
        String name = root.relativize(classFile).toString().replace('\\', '/');
        return name.startsWith("io/rustmq/client/metrics/micrometer/")
                || name.startsWith("io/rustmq/client/tracing/OpenTelemetryTracer");
    }

    @Test
    void onlyTheBinderAndTheOpenTelemetryTracerReferToMicrometerOrOpenTelemetry()
            throws IOException, URISyntaxException {
        Path root = Path.of(Tracing.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> classes;
        try (Stream<Path> files = Files.walk(root)) {
            classes = files.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertThat(classes).as("compiled classes under %s", root).hasSizeGreaterThan(100);
        List<Path> linking = classes.stream().filter(p -> !mayUseOptionalLibraries(root, p)).filter(p -> {
            try {
                String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                return text.contains("io/micrometer/") || text.contains("io/opentelemetry/");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
        assertThat(linking).as("classes outside the optional parts that refer to Micrometer or OpenTelemetry")
                .isEmpty();
        assertThat(classes).as("the check sees the references of the optional parts")
                .filteredOn(p -> p.endsWith("RustMQClientMetrics.class") || p.endsWith("OpenTelemetryTracer.class"))
                .hasSize(2).allSatisfy(p -> assertThat(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1))
                        .containsAnyOf("io/micrometer/", "io/opentelemetry/"));
    }
}
