package io.rustmq.it.liberty;

import io.rustmq.it.jakarta.AppArchive;
import io.rustmq.it.jakarta.JakartaEeScenarios;
import io.rustmq.it.jakarta.ServerWiring;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;

/**
 * The Jakarta EE scenarios on Open Liberty. The connection factory and the activation specs are configured in the
 * server's {@code server.xml} (src/test/liberty), as a Liberty user would; the application is unchanged.
 */
class LibertyJakartaEeIT extends JakartaEeScenarios {
    /**
     * The test application, deployed by the scenarios themselves.
     *
     * @return the EAR
     */
    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static EnterpriseArchive app() {
        return AppArchive.build(new ServerWiring() {
            @Override
            public String connectionFactoryLookup() {
                return "eis/rustmq";
            }
        });
    }
}
