package io.rustmq.it.jakarta;

import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;

/** What differs between servers in the test application: where the connection factory is and how beans bind. */
public interface ServerWiring {
    /**
     * The JNDI name under which the server binds the connection factory.
     *
     * @return the lookup name for the application's resource reference
     */
    String connectionFactoryLookup();

    /**
     * Adds server-specific descriptors to the resource adapter archive (for example WildFly's ironjacamar.xml).
     *
     * @param rar the archive
     */
    default void customizeRar(ResourceAdapterArchive rar) {
    }

    /**
     * Adds server-specific descriptors to the EJB module (for example WildFly's jboss-ejb3.xml).
     *
     * @param ejb the module
     */
    default void customizeEjb(JavaArchive ejb) {
    }
}
