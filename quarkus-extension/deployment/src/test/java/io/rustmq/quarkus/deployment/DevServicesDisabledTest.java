package io.rustmq.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;
import io.rustmq.quarkus.runtime.health.RustMQClientReadinessCheck;

/** devservices.enabled=false starts no broker even with no brokers set; health.enabled=false publishes no check. */
class DevServicesDisabledTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.rustmq.devservices.enabled", "false")
            .overrideConfigKey("quarkus.rustmq.health.enabled", "false");

    @Inject
    Config config;

    @Test
    void noBrokerIsStartedOrConfigured() {
        assertThat(config.getOptionalValue("quarkus.rustmq.brokers", String.class)).isEmpty();
        assertThat(config.getOptionalValue("quarkus.rustmq.tls.ca-cert", String.class)).isEmpty();
    }

    @Test
    void readinessHasNoRustMQCheck() {
        RestAssured.when().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.name", not(hasItem(RustMQClientReadinessCheck.NAME)));
    }
}
