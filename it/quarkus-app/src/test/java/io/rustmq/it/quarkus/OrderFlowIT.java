package io.rustmq.it.quarkus;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same flow against the packaged application ({@code java -jar target/quarkus-app/quarkus-run.jar}). */
@QuarkusIntegrationTest
class OrderFlowIT extends OrderFlowTest {
}
