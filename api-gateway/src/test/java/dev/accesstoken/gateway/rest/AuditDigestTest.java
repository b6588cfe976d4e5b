package dev.accesstoken.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import dev.accesstoken.gateway.GatewayTestResources;

/**
 * A password typed into the username field must not land in the audit log: an unknown username is audited as the
 * first 16 hex digits of its SHA-256. In-process only (it listens to the audit logger of this JVM).
 */
@QuarkusTest
@GatewayTestResources
class AuditDigestTest {

    @Test
    void anUnknownUsernameIsAuditedAsADigestAndAKnownOneByName() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger audit = Logger.getLogger("audit");
        audit.addHandler(capture);
        try {
            String typedPassword = "Tr0ub4dor&3-" + System.nanoTime();
            given().contentType(ContentType.JSON).body(Map.of("username", typedPassword, "password", "x"))
                    .post("/auth/login").then().statusCode(401);
            given().contentType(ContentType.JSON).body(Map.of("username", "bob", "password", "wrong"))
                    .post("/auth/login").then().statusCode(401);
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(typedPassword.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"who\":\"unknown:" + digest + "\"")), lines.toString());
            assertFalse(lines.stream().anyMatch(l -> l.contains(typedPassword)), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"who\":\"bob\"")), lines.toString());
        } finally {
            audit.removeHandler(capture);
        }
    }
}
