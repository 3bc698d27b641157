/**
 * The Jakarta EE scenarios every server module runs ({@link io.rustmq.it.jakarta.JakartaEeScenarios}), the broker
 * they run in the test JVM and the test application's archive.
 */
package io.rustmq.it.jakarta;
