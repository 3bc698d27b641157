package io.rustmq.client;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 4: a client loaded by an application's class loader, used with compression on the application's
 * thread and closed, leaves nothing that keeps that class loader alive (a redeploy in a container).
 *
 * <p>What held it before the fix, found by listing every thread's thread-locals after the probe: on the calling
 * thread, the Zstandard contexts that {@code Compression} cached in static {@code ThreadLocal}s (now pooled per
 * producer and consumer, freed on close), and Netty's {@code InternalThreadLocalMap}, which Netty puts in a JDK
 * {@code ThreadLocal} of any non-Netty thread that runs its code (here: building the QUIC TLS context in
 * {@code RustMQClient.create}; now removed again with {@code FastThreadLocal.removeAll()}). Netty's own statics
 * (allocators, {@code GlobalEventExecutor}) live in the application's loader and hold nothing from outside it; the
 * event-loop, timer and member threads the client made end on close.
 *
 * <p>Runs {@link RedeployCheck} in a JVM of its own: collecting the loader unloads the QUIC codec's native library,
 * which every loader in a JVM shares, and QUIC in the rest of that JVM stops working. (The same holds in a container
 * that runs two applications each bundling the codec: undeploying one breaks QUIC in the other; give such
 * applications the codec from a shared, server-level class loader.)
 */
class ClassLoaderLeakIT {
    @Test
    void aClosedClientUsedWithCompressionOnTheCallersThreadLeavesItsClassLoaderCollectable() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", classpath, RedeployCheck.class.getName(),
                classpath)).redirectErrorStream(true).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(output);
        }
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("the check ended").isTrue();
        String text = output.toString(StandardCharsets.UTF_8);
        assertThat(text).as("output of the redeploy check:%n%s", text).contains("intact messages: 40")
                .contains("COLLECTED");
        assertThat(p.exitValue()).isZero();
    }
}
