package io.rustmq.it.quarkus;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * On Dev Services (an embedded broker in the test JVM): orders flow REST → Emitter → processor → batch consumer; the
 * CDI client's {@code rustmq.*} meters are on {@code /q/metrics}.
 */
@QuarkusTest
class OrderFlowTest {

    @Test
    void thousandOrdersFlowEndToEnd() {
        given().when().post("/orders/generate/1000").then().statusCode(200).body(equalTo("1000"));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(
                () -> given().when().get("/orders/confirmed").then().statusCode(200).extract().asString(),
                "1000"::equals);
    }

    @Test
    void singleJsonOrderIsAcknowledged() {
        given().contentType(ContentType.JSON).body("{\"id\":\"single-1\",\"product\":\"gadget\",\"quantity\":2}")
                .when().post("/orders").then().statusCode(200).body(equalTo("single-1"));
    }

    @Test
    void readinessReportsTheChannelsUp() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().when().get("/q/health/ready").then().statusCode(200)
                        .body("status", equalTo("UP"))
                        .body(containsString("orders-in"))
                        .body(containsString("confirmations-in"))
                        .body(containsString("RustMQ client")));
    }

    @Test
    void metricsEndpointListsTheClientsRustMQMeters() {
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("rustmq_client_connections_active{"))
                .body(containsString("rustmq_client_requests_sent_total{"))
                .body(containsString("client_id=\"rustmq-java-client\""));
    }
}
