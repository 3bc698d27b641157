package io.rustmq.client;

import io.rustmq.broker.EmbeddedBroker;

import java.io.File;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The redeploy check that {@link ClassLoaderLeakIT} runs in a JVM of its own: it starts an embedded broker, loads
 * rustmq-client and its dependencies in a throwaway class loader, runs {@link RedeployProbe} there on the main
 * thread, drops the loader and collects garbage until the loader is gone or 60 s have passed. Prints
 * {@code COLLECTED} (exit 0) or {@code LEAKED} (exit 1).
 *
 * <p>Its own JVM because collecting the loader unloads the QUIC codec's native library, which the JVM's other
 * loaders share (the library is opened once per process): Netty QUIC in the rest of that JVM stops working, so this
 * must not run beside other tests.
 */
public final class RedeployCheck {
    /** rustmq-client, its dependencies, and the it module's test classes (for {@link RedeployProbe}). */
    private static final Pattern CLIENT_CLASSPATH;

    static {
        String notSep = "[^" + Pattern.quote(File.separator) + "]*";
        CLIENT_CLASSPATH = Pattern.compile(".*(rustmq-client" + notSep + "\\.jar|client-core.target.classes|netty-"
                + notSep + "\\.jar|zstd-jni" + notSep + "\\.jar|lz4-java" + notSep + "\\.jar|HdrHistogram" + notSep
                + "\\.jar|jackson-" + notSep + "\\.jar|(it|client).target.test-classes)" + Pattern.quote(File.separator) + "?");
    }

    private RedeployCheck() {
    }

    /**
     * Runs the check.
     *
     * @param args the class path to take the client from
     * @throws Exception if the probe fails
     */
    public static void main(String[] args) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : args[0].split(Pattern.quote(File.pathSeparator))) {
            if (CLIENT_CLASSPATH.matcher(entry).matches()) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        System.out.println("client class path: " + urls);
        WeakReference<ClassLoader> loader;
        try (EmbeddedBroker broker = EmbeddedBroker.builder().host("127.0.0.1").port(0).autoCreateTopics(true)
                .build().start()) {
            loader = runInThrowawayLoader(urls.toArray(new URL[0]), broker);
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (loader.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(200);
        }
        boolean collected = loader.get() == null;
        System.out.println(collected ? "COLLECTED" : "LEAKED");
        System.exit(collected ? 0 : 1);
    }

    /** Runs the probe in a fresh loader; returns only a weak reference, so nothing on this stack holds the loader. */
    private static WeakReference<ClassLoader> runInThrowawayLoader(URL[] urls, EmbeddedBroker broker)
            throws Exception {
        URLClassLoader loader = new URLClassLoader("redeployed-app", urls, ClassLoader.getPlatformClassLoader());
        Class<?> probe = Class.forName(RedeployProbe.class.getName(), true, loader);
        if (probe.getClassLoader() != loader) {
            throw new AssertionError("the probe came from " + probe.getClassLoader());
        }
        Object intact = probe.getMethod("run", String.class, String.class)
                .invoke(null, broker.bootstrap(), broker.certificatePem().toString());
        System.out.println("intact messages: " + intact);
        if (!Integer.valueOf(40).equals(intact)) {
            throw new AssertionError("expected 40 intact messages, got " + intact);
        }
        loader.close();
        return new WeakReference<>(loader);
    }
}
