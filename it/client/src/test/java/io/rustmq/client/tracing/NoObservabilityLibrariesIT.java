package io.rustmq.client.tracing;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 16: Micrometer and OpenTelemetry are optional. The client runs with neither: {@link NoObservabilityProbe}
 * is loaded, with the client, by a class loader over this test's class path minus every {@code micrometer} and
 * {@code opentelemetry} jar (parent: the platform loader), produces, streams and consumes with tracing on by
 * default, and no trace header appears.
 */
class NoObservabilityLibrariesIT {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true).build();

    private static URL[] classPathWithoutObservability() throws Exception {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        int excluded = 0;
        for (String entry : path.split(Pattern.quote(File.pathSeparator))) {
            if (entry.isBlank()) {
                continue;
            }
            String name = new File(entry).getName();
            if (name.contains("micrometer") || name.contains("opentelemetry")) {
                excluded++;
            } else {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        assertThat(excluded).as("the test class path has the libraries to hide: %s", path).isGreaterThanOrEqualTo(2);
        return urls.toArray(new URL[0]);
    }

    @Test
    void clientProducesStreamsAndConsumesWithoutMicrometerOrOpenTelemetryAndAddsNoTraceHeader() throws Exception {
        try (URLClassLoader loader = new URLClassLoader("no-observability-app", classPathWithoutObservability(),
                ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry", false, loader))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> Class.forName("io.opentelemetry.api.OpenTelemetry", false, loader))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> tracing = Class.forName(Tracing.class.getName(), true, loader);
            assertThat(tracing.getClassLoader()).isSameAs(loader);
            assertThat(tracing.getMethod("openTelemetryPresent").invoke(null)).isEqualTo(false);

            Class<?> probe = Class.forName(NoObservabilityProbe.class.getName(), true, loader);
            assertThat(probe.getClassLoader()).isSameAs(loader);
            Object result = probe.getMethod("run", String.class, String.class)
                    .invoke(null, BROKER.bootstrap(), BROKER.certificatePem().toString());
            assertThat(result).as("the output arrives, with the application's header and no trace header")
                    .isEqualTo("plain!|app");
        }
    }
}
