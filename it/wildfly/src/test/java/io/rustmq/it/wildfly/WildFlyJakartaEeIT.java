package io.rustmq.it.wildfly;

import io.rustmq.it.jakarta.AppArchive;
import io.rustmq.it.jakarta.JakartaEeScenarios;
import io.rustmq.it.jakarta.ServerWiring;
import io.rustmq.it.jakarta.TestBroker;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;

import java.util.Map;

/**
 * The Jakarta EE scenarios on WildFly (standalone-full). The adapter and its connection factory are configured by an
 * {@code ironjacamar.xml} added to the .rar (the same settings as the {@code resource-adapters} subsystem shown in the
 * README), and the MDBs are bound to the adapter by {@code jboss-ejb3.xml}.
 */
class WildFlyJakartaEeIT extends JakartaEeScenarios {
    /** Where WildFly binds the connection factory. */
    static final String CF_JNDI = "java:/eis/rustmq";

    /**
     * The test application, deployed by the scenarios themselves.
     *
     * @return the EAR
     */
    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static EnterpriseArchive app() {
        TestBroker addresses = new TestBroker(Map.of());
        return AppArchive.build(new ServerWiring() {
            @Override
            public String connectionFactoryLookup() {
                return CF_JNDI;
            }

            @Override
            public void customizeRar(ResourceAdapterArchive rar) {
                rar.addAsManifestResource(new StringAsset("""
                        <?xml version="1.0" encoding="UTF-8"?>
                        <ironjacamar xmlns="http://www.ironjacamar.org/doc/schema"
                                     xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                                     xsi:schemaLocation="http://www.ironjacamar.org/doc/schema http://www.ironjacamar.org/doc/schema/ironjacamar_1_1.xsd">
                          <config-property name="brokers">%s</config-property>
                          <config-property name="tlsCaCert">%s</config-property>
                          <transaction-support>NoTransaction</transaction-support>
                          <connection-definitions>
                            <connection-definition class-name="io.rustmq.jca.outbound.RustMQManagedConnectionFactory"
                                                   jndi-name="%s" pool-name="rustmq">
                              <config-property name="connectTimeout">2000</config-property>
                              <config-property name="requestTimeout">3000</config-property>
                              <config-property name="maxRetries">1</config-property>
                              <config-property name="deliveryTimeout">5000</config-property>
                              <pool>
                                <min-pool-size>0</min-pool-size>
                                <max-pool-size>10</max-pool-size>
                              </pool>
                              <validation>
                                <!-- IronJacamar turns validate-on-match on for a validating factory, which costs a
                                     broker round trip per createConnection(); a broken connection is reported by
                                     its handle (CONNECTION_ERROR_OCCURRED) and idle ones are checked here -->
                                <validate-on-match>false</validate-on-match>
                                <background-validation>true</background-validation>
                                <background-validation-millis>30000</background-validation-millis>
                              </validation>
                            </connection-definition>
                          </connection-definitions>
                        </ironjacamar>
                        """.formatted(addresses.bootstrap(), addresses.certificate().toAbsolutePath(), CF_JNDI)),
                        "ironjacamar.xml");
            }

            @Override
            public void customizeEjb(JavaArchive ejb) {
                ejb.addAsManifestResource(new StringAsset("""
                        <?xml version="1.0" encoding="UTF-8"?>
                        <jboss:ejb-jar xmlns:jboss="http://www.jboss.com/xml/ns/javaee"
                                       xmlns="http://java.sun.com/xml/ns/javaee"
                                       xmlns:mdb="urn:resource-adapter-binding"
                                       version="3.1" impl-version="2.0">
                          <assembly-descriptor>
                            <mdb:resource-adapter-binding>
                              <ejb-name>*</ejb-name>
                              <mdb:resource-adapter-name>%s.ear#%s</mdb:resource-adapter-name>
                            </mdb:resource-adapter-binding>
                          </assembly-descriptor>
                        </jboss:ejb-jar>
                        """.formatted(AppArchive.APP, AppArchive.RAR)), "jboss-ejb3.xml");
            }
        });
    }
}
