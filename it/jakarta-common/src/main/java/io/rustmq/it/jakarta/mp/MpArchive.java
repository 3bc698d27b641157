package io.rustmq.it.jakarta.mp;

import io.rustmq.it.jakarta.TestBroker;
import io.rustmq.it.jakarta.mp.app.MpReceiver;
import io.rustmq.it.jakarta.mp.app.MpSender;
import io.rustmq.it.jakarta.mp.app.MpServlet;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ExplodedImporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The MicroProfile test application as {@code rustmq-mp.war}: the beans and the servlet, a
 * {@code microprofile-config.properties} with both channels on the {@code smallrye-rustmq} connector, and in
 * {@code WEB-INF/lib} the connector with the client and its own Netty, Jackson and compression libraries (taken from
 * this JVM's class path). The Reactive Messaging API and Mutiny are not bundled: the server provides them.
 */
public final class MpArchive {
    /** The war's name and context root. */
    public static final String APP = "rustmq-mp";
    /** The jar-name prefixes of what the war bundles: the connector and the client's runtime dependencies. */
    static final List<String> BUNDLED = List.of("rustmq-mp-messaging-connector-", "rustmq-client-", "netty-",
            "HdrHistogram-", "lz4-java-", "zstd-jni-", "jackson-");
    /** Reactor module directories whose classes directory stands for the jar when the build has not packaged it. */
    private static final List<String> MODULE_DIRS = List.of("mp-messaging-connector", "client-core");

    private MpArchive() {
    }

    /**
     * Builds the war.
     *
     * @param broker the broker both channels use
     * @param topic the topic the emitter sends to and the receiver reads
     * @param group the receiver's consumer group
     * @return the archive, to which a server may add its own descriptors
     */
    public static WebArchive build(TestBroker broker, String topic, String group) {
        String config = String.join("\n",
                "mp.messaging.outgoing." + MpSender.CHANNEL + ".connector=smallrye-rustmq",
                "mp.messaging.outgoing." + MpSender.CHANNEL + ".brokers=" + broker.bootstrap(),
                "mp.messaging.outgoing." + MpSender.CHANNEL + ".tls.ca-cert=" + broker.certificate().toAbsolutePath(),
                "mp.messaging.outgoing." + MpSender.CHANNEL + ".topic=" + topic,
                "mp.messaging.incoming." + MpReceiver.CHANNEL + ".connector=smallrye-rustmq",
                "mp.messaging.incoming." + MpReceiver.CHANNEL + ".brokers=" + broker.bootstrap(),
                "mp.messaging.incoming." + MpReceiver.CHANNEL + ".tls.ca-cert=" + broker.certificate().toAbsolutePath(),
                "mp.messaging.incoming." + MpReceiver.CHANNEL + ".topic=" + topic,
                "mp.messaging.incoming." + MpReceiver.CHANNEL + ".consumer-group=" + group,
                "mp.messaging.incoming." + MpReceiver.CHANNEL + ".start-position=earliest", "");
        WebArchive war = ShrinkWrap.create(WebArchive.class, APP + ".war")
                .addClasses(MpSender.class, MpReceiver.class, MpServlet.class)
                .addAsWebInfResource(new StringAsset("""
                        <?xml version="1.0" encoding="UTF-8"?>
                        <beans xmlns="https://jakarta.ee/xml/ns/jakartaee" version="4.0" bean-discovery-mode="annotated"/>
                        """), "beans.xml")
                .addAsResource(new StringAsset(config), "META-INF/microprofile-config.properties");
        for (JavaArchive lib : libraries()) {
            war.addAsLibrary(lib);
        }
        return war;
    }

    /**
     * The connector and the client's runtime libraries, from this JVM's class path.
     *
     * @return the jars
     * @throws IllegalStateException if the connector or the client is not on the class path
     */
    static List<JavaArchive> libraries() {
        List<JavaArchive> libs = new ArrayList<>();
        boolean connector = false;
        boolean client = false;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.getFileName().toString();
            if (Files.isDirectory(p) && p.getParent() != null && p.getParent().getParent() != null
                    && MODULE_DIRS.contains(p.getParent().getParent().getFileName().toString())) {
                String module = p.getParent().getParent().getFileName().toString();
                connector |= module.equals("mp-messaging-connector");
                client |= module.equals("client-core");
                libs.add(ShrinkWrap.create(ExplodedImporter.class, "rustmq-" + module + ".jar").importDirectory(p.toFile())
                        .as(JavaArchive.class));
            } else if (name.endsWith(".jar") && BUNDLED.stream().anyMatch(name::startsWith)) {
                connector |= name.startsWith("rustmq-mp-messaging-connector-");
                client |= name.startsWith("rustmq-client-");
                libs.add(ShrinkWrap.createFromZipFile(JavaArchive.class, p.toFile()));
            }
        }
        if (!connector || !client) {
            throw new IllegalStateException("the class path lacks the connector or the client (connector: " + connector
                    + ", client: " + client + ")");
        }
        return libs;
    }
}
