/**
 * The MicroProfile Reactive Messaging scenario every server module runs: a war that bundles the
 * {@code smallrye-rustmq} connector, deployed on the server's own Reactive Messaging implementation.
 */
package io.rustmq.it.jakarta.mp;
