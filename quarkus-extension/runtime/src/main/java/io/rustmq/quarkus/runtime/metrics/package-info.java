/** Micrometer binding of the extension, loaded only when {@code quarkus-micrometer} is present. */
package io.rustmq.quarkus.runtime.metrics;
