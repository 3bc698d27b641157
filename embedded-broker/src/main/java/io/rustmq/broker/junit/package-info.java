/** A JUnit 5 extension that runs an embedded broker for a test class or for each test. */
package io.rustmq.broker.junit;
