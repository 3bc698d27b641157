package io.rustmq.client;

import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.File;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 */
class ClassLoaderLeakIT {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true).build();

    /** rustmq-client, its dependencies, and this module's test classes (for {@link RedeployProbe}). */
    private static final Pattern CLIENT_CLASSPATH = Pattern.compile(
            ".*(rustmq-client[^" + Pattern.quote(File.separator) + "]*\\.jar|client-core.target.classes"
                    + "|netty-[^" + Pattern.quote(File.separator) + "]*\\.jar|zstd-jni[^" + Pattern.quote(File.separator)
                    + "]*\\.jar|lz4-java[^" + Pattern.quote(File.separator) + "]*\\.jar|jackson-[^"
                    + Pattern.quote(File.separator) + "]*\\.jar|it.target.test-classes)"
                    + Pattern.quote(File.separator) + "?");

    private static URL[] clientClasspath() throws Exception {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : path.split(Pattern.quote(File.pathSeparator))) {
            if (CLIENT_CLASSPATH.matcher(entry).matches()) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        assertThat(urls).as("client class path in %s", path).hasSizeGreaterThanOrEqualTo(8);
        return urls.toArray(new URL[0]);
    }

    /** Runs the probe in a fresh loader; returns only a weak reference, so nothing on this stack holds the loader. */
    private static WeakReference<ClassLoader> runInThrowawayLoader(URL[] urls) throws Exception {
        URLClassLoader loader = new URLClassLoader("redeployed-app", urls, ClassLoader.getPlatformClassLoader());
        Class<?> probe = Class.forName(RedeployProbe.class.getName(), true, loader);
        assertThat(probe.getClassLoader()).isSameAs(loader);
        Object intact = probe.getMethod("run", String.class, String.class)
                .invoke(null, BROKER.bootstrap(), BROKER.certificatePem().toString());
        assertThat(intact).isEqualTo(40);
        loader.close();
        return new WeakReference<>(loader);
    }

    @Test
    void aClosedClientUsedWithCompressionOnTheCallersThreadLeavesItsClassLoaderCollectable() throws Exception {
        WeakReference<ClassLoader> loader = runInThrowawayLoader(clientClasspath());
        await("the throwaway class loader is garbage-collected").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250)).pollInSameThread().until(() -> {
                    System.gc();
                    return loader.get() == null;
                });
    }
}
