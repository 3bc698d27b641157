/**
 * The MicroProfile Reactive Messaging test application: an emitter bean that sends, an {@code @Incoming} bean that
 * records, and a servlet the test drives; it runs on the server's own SmallRye Reactive Messaging with the
 * {@code smallrye-rustmq} connector bundled in the war.
 */
package io.rustmq.it.jakarta.mp.app;
