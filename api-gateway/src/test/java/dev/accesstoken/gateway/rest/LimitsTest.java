package dev.accesstoken.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import dev.accesstoken.gateway.GatewayTestResources;

/** What one request may cost: body size, header size, JSON nesting. Black-box, so LimitsIT reruns it on the jar. */
@QuarkusTest
@GatewayTestResources
class LimitsTest {

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsRead() {
        String big = "{\"username\":\"alice\",\"password\":\"" + "x".repeat(70 * 1024) + "\"}";
        // Quarkus's HTTP layer answers before routing, so this one 413 has no problem+json body.
        given().contentType(ContentType.JSON).body(big).post("/auth/login").then().statusCode(413);
    }

    @Test
    void headersOverTheLimitAreRefused() {
        given().header("X-Padding", "x".repeat(20 * 1024)).contentType(ContentType.JSON)
                .body("{\"username\":\"alice\",\"password\":\"alice\"}").post("/auth/login").then().statusCode(431);
    }

    @Test
    void jsonNestedDeeperThanTheLimitIsAProblemEvenWhereTheValueWouldBeIgnored() {
        // An unknown member is skipped, yet it is still parsed: past 32 levels that parse is refused.
        given().contentType(ContentType.JSON).body(login("[".repeat(40) + "]".repeat(40)))
                .post("/auth/login").then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400));
        given().contentType(ContentType.JSON).body(login("[".repeat(20) + "]".repeat(20)))
                .post("/auth/login").then().statusCode(200);
    }

    static String login(String extra) {
        return "{\"username\":\"alice\",\"password\":\"alice\",\"extra\":" + extra + "}";
    }
}
