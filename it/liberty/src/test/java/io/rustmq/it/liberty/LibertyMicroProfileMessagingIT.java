package io.rustmq.it.liberty;

import io.rustmq.it.jakarta.TestBroker;
import io.rustmq.it.jakarta.mp.MicroProfileMessagingScenarios;
import io.rustmq.it.jakarta.mp.MpArchive;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The MicroProfile Reactive Messaging war (the one WildFly runs, {@link MicroProfileMessagingScenarios}) on Open
 * Liberty's {@code mpReactiveMessaging-3.0} feature (server {@code rustmq-mp}, src/test/liberty-mp). Liberty refuses
 * it: the feature exposes to applications only the MicroProfile packages
 * ({@code org.eclipse.microprofile.reactive.messaging} and {@code .spi}, its {@code IBM-API-Package}); SmallRye's
 * connector API ({@code io.smallrye.reactive.messaging.connector.InboundConnector} and the rest) stays inside the
 * feature even with {@code apiTypeVisibility="+third-party"}, so the bundled connector is not a connector to
 * Liberty's SmallRye and the deployment fails with the server's own error. This test pins that error, so that a
 * Liberty that starts accepting application connectors shows up here.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LibertyMicroProfileMessagingIT {
    /** The name of the deployment. */
    static final String DEPLOYMENT = MicroProfileMessagingScenarios.DEPLOYMENT;

    @ArquillianResource
    private Deployer deployer;

    /**
     * The war, deployed by the test itself.
     *
     * @return the war
     */
    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static WebArchive app() {
        return MpArchive.build(new TestBroker(Map.of()), MicroProfileMessagingScenarios.TOPIC,
                MicroProfileMessagingScenarios.GROUP);
    }

    @Test
    void mpReactiveMessagingRefusesAConnectorSuppliedByTheApplication() {
        assertThatThrownBy(() -> deployer.deploy(DEPLOYMENT))
                .hasMessageContaining("SRMSG00072: Unknown connector for `from-rustmq`.");
    }
}
