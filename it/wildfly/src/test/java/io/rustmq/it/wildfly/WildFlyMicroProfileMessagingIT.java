package io.rustmq.it.wildfly;

import io.rustmq.it.jakarta.TestBroker;
import io.rustmq.it.jakarta.mp.MicroProfileMessagingScenarios;
import io.rustmq.it.jakarta.mp.MpArchive;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.util.Map;

/**
 * The MicroProfile Reactive Messaging war on WildFly's own SmallRye Reactive Messaging ({@code standalone-microprofile.xml}
 * plus the {@code microprofile-reactive-messaging-smallrye} subsystem, written by the build as
 * {@code standalone-rustmq-mp.xml}). The war bundles the connector, the client and its Netty; a
 * {@code jboss-deployment-structure.xml} adds WildFly's {@code io.smallrye.common.annotation} module and keeps
 * WildFly's own Netty module off the war's class path. The server runs with
 * {@code -Djboss.as.reactive.messaging.experimental=true} (arquillian.xml), without which WildFly refuses the
 * connector's SmallRye annotations.
 */
class WildFlyMicroProfileMessagingIT extends MicroProfileMessagingScenarios {
    /**
     * The war, deployed by the scenario itself.
     *
     * @return the war
     */
    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static WebArchive app() {
        return MpArchive.build(new TestBroker(Map.of()), TOPIC, GROUP).addAsWebInfResource(new StringAsset("""
                <?xml version="1.0" encoding="UTF-8"?>
                <jboss-deployment-structure xmlns="urn:jboss:deployment-structure:1.3">
                  <deployment>
                    <dependencies>
                      <!-- @Identifier, which the connector uses to look up a ClientConfig bean; WildFly's Reactive
                           Messaging subsystem does not add it to deployments -->
                      <module name="io.smallrye.common.annotation"/>
                    </dependencies>
                    <exclusions>
                      <module name="io.netty"/>
                    </exclusions>
                  </deployment>
                </jboss-deployment-structure>
                """), "jboss-deployment-structure.xml");
    }
}
