package dev.accesstoken.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.accesstoken.chassis.rest.ProblemMappers;
import dev.accesstoken.testsupport.StoppablePostgresResource;
import dev.accesstoken.testsupport.StoppablePostgresResource.InjectServer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * The gateway's database fails as the other services' do: out of reach is a 503 with Retry-After (logged as a
 * warning), a statement that fails for any other reason is a 500 whose stack trace is logged and never answered.
 * In-process only (it listens to the mapper's logger of this JVM).
 */
@QuarkusTest
@TestProfile(StoppablePostgresResource.OwnServer.class)
class DatabaseFailureTest {

    static final String PROBLEM = "application/problem+json";

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @InjectServer
    StoppablePostgresResource.Server postgres;

    final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    final Logger mapperLog = Logger.getLogger(ProblemMappers.class.getName());

    @BeforeEach
    void databaseUpAndLogHeard() {
        postgres.startAndAwaitService(ready.toString());
        mapperLog.addHandler(capture);
    }

    @AfterEach
    void databaseBack() {
        mapperLog.removeHandler(capture);
        postgres.start();
    }

    static ValidatableResponse login(String user) {
        return given().contentType(ContentType.JSON).body(Map.of("username", user, "password", user))
                .post("/auth/login").then();
    }

    @Test
    void aStoppedDatabaseIs503WithRetryAfterAndLoginWorksWhenItIsBack() {
        String refreshToken = login("bob").statusCode(200).extract().path("refresh_token");

        postgres.stop();

        login("alice").statusCode(503).contentType(PROBLEM)
                .body("status", equalTo(503))
                .body("detail", equalTo("A database this service depends on is unavailable"))
                .header("Retry-After", matchesPattern("[1-9][0-9]?"));
        given().contentType(ContentType.URLENC).formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refreshToken).post("/auth/token").then()
                .statusCode(503).header("Retry-After", matchesPattern("[1-9][0-9]?"));
        // An outage is expected weather, not a bug: a warning with the reason, no ERROR and no stack trace.
        assertFalse(logged.stream().anyMatch(r -> r.getLevel().intValue() >= Level.SEVERE.intValue()), messages());

        postgres.startAndAwaitService(ready.toString());
        login("alice").statusCode(200);
    }

    @Test
    void aStatementThatFailsForAnotherReasonIs500WithTheStackInTheLogAndNoneInTheAnswer() {
        // A schema that is not what the code expects (SQLState 42P01, undefined table): the database is up.
        postgres.database().execute("ALTER TABLE login_throttle RENAME TO login_throttle_elsewhere");
        String body;
        try {
            body = login("alice").statusCode(500).contentType(PROBLEM)
                    .body("status", equalTo(500))
                    .body("detail", equalTo("An unexpected error occurred"))
                    .header("Retry-After", nullValue())
                    .extract().asString();
        } finally {
            postgres.database().execute("ALTER TABLE login_throttle_elsewhere RENAME TO login_throttle");
        }
        for (String leak : List.of("login_throttle", "SQL", "Exception", "relation", "at dev.", "42P01")) {
            assertFalse(body.contains(leak), leak + " in " + body);
        }
        assertTrue(logged.stream().anyMatch(r -> r.getLevel().intValue() >= Level.SEVERE.intValue()
                && undefinedTable(r.getThrown())), messages());

        login("alice").statusCode(200); // restored: nothing of the failure is left behind
    }

    private static boolean undefinedTable(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "42P01".equals(sql.getSQLState()) && t.getStackTrace().length > 0) {
                return true;
            }
        }
        return false;
    }

    private String messages() {
        return logged.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList().toString();
    }
}
