package io.rustmq.it.jakarta;

import io.rustmq.it.jakarta.app.AppServlet;
import io.rustmq.it.jakarta.app.OrderedMdb;
import io.rustmq.it.jakarta.app.PoisonMdb;
import io.rustmq.it.jakarta.app.Recorder;
import io.rustmq.it.jakarta.app.Records;
import io.rustmq.it.jakarta.app.RedeployMdb;
import io.rustmq.it.jakarta.app.RoundTripMdb;
import io.rustmq.it.jakarta.app.Sender;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;

/**
 * The test application as {@code rustmq-it.ear}: the resource adapter built by this project ({@code rustmq.rar},
 * taken from the file the build copied, {@code rustmq.rar} system property), an EJB module with the sender, the
 * recorder and the MDBs, and a web module with the servlet at {@code /rustmq-it}.
 */
public final class AppArchive {
    /** The application's name (the EAR's name without extension). */
    public static final String APP = "rustmq-it";
    /** The EJB module's name. */
    public static final String EJB_MODULE = "rustmq-it-ejb";
    /** The resource adapter module's file name. */
    public static final String RAR = "rustmq.rar";

    private AppArchive() {
    }

    /**
     * Builds the EAR.
     *
     * @param wiring the server's specifics
     * @return the archive
     */
    public static EnterpriseArchive build(ServerWiring wiring) {
        String rarPath = System.getProperty("rustmq.rar");
        if (rarPath == null || !new File(rarPath).isFile()) {
            throw new IllegalStateException("system property rustmq.rar must name the built .rar, got " + rarPath);
        }
        ResourceAdapterArchive rar = ShrinkWrap.create(ZipImporter.class, RAR).importFrom(new File(rarPath))
                .as(ResourceAdapterArchive.class);
        wiring.customizeRar(rar);
        JavaArchive ejb = ShrinkWrap.create(JavaArchive.class, EJB_MODULE + ".jar")
                .addClasses(Sender.class, Recorder.class, Records.class, RoundTripMdb.class, OrderedMdb.class,
                        PoisonMdb.class, RedeployMdb.class)
                .addAsManifestResource(new StringAsset(ejbJarXml(wiring.connectionFactoryLookup())), "ejb-jar.xml");
        wiring.customizeEjb(ejb);
        WebArchive web = ShrinkWrap.create(WebArchive.class, APP + "-web.war").addClass(AppServlet.class);
        return ShrinkWrap.create(EnterpriseArchive.class, APP + ".ear")
                .addAsModule(rar).addAsModule(ejb).addAsModule(web)
                .setApplicationXML(new StringAsset(applicationXml()));
    }

    private static String applicationXml() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <application xmlns="https://jakarta.ee/xml/ns/jakartaee" version="10">
                  <application-name>%s</application-name>
                  <module><connector>%s</connector></module>
                  <module><ejb>%s.jar</ejb></module>
                  <module><web><web-uri>%s-web.war</web-uri><context-root>%s</context-root></web></module>
                </application>
                """.formatted(APP, RAR, EJB_MODULE, APP, APP);
    }

    private static String ejbJarXml(String lookup) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <ejb-jar xmlns="https://jakarta.ee/xml/ns/jakartaee" version="4.0">
                  <module-name>%s</module-name>
                  <enterprise-beans>
                    <session>
                      <ejb-name>Sender</ejb-name>
                      <resource-ref>
                        <res-ref-name>rustmq/cf</res-ref-name>
                        <res-type>io.rustmq.jca.api.RustMQConnectionFactory</res-type>
                        <lookup-name>%s</lookup-name>
                      </resource-ref>
                    </session>
                  </enterprise-beans>
                </ejb-jar>
                """.formatted(EJB_MODULE, lookup);
    }
}
