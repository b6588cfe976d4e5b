package dev.accesstoken.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import dev.accesstoken.gateway.GatewayTestResources;

/**
 * The web console's static files: served without a token (the gateway denies unannotated JAX-RS endpoints,
 * which static files are not), with a strict CSP, and written so that this CSP holds: no inline script or
 * style, nothing from another origin, no HTML built from strings, no token kept in web storage. The browser
 * test (e2e-tests ConsoleIT) drives the page itself. Black-box, so that {@link ConsoleResourcesIT} repeats it
 * against the built artifact.
 */
@QuarkusTest
@GatewayTestResources
class ConsoleResourcesTest {

    @ParameterizedTest
    @ValueSource(strings = { "/", "/console/", "/console/console.js", "/console/console.css", "/console/favicon.svg" })
    void servedWithoutATokenUnderAStrictPolicy(String path) {
        given().get(path).then()
                .statusCode(200)
                .header("Content-Security-Policy", allOf(
                        containsString("default-src 'none'"),
                        containsString("script-src 'self';"),
                        containsString("style-src 'self';"),
                        containsString("connect-src 'self';"),
                        containsString("form-action 'none'"),
                        containsString("frame-ancestors 'none'"),
                        containsString("require-trusted-types-for 'script'")))
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", equalTo("no-cache"));
    }

    @Test
    void theDemoHintIsHiddenUnlessTheServerSaysTheDemoProfileIsOn() {
        // The test profile inherits the demo profile; ProdProfileTest checks the prod profile's answer.
        given().get("/console/settings.json").then().statusCode(200).contentType(startsWith("application/json"))
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .body("demo", equalTo(true));
        String html = given().get("/console/").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<p id=\"demo-hint\" class=\"hint\" hidden>Demo users: alice / alice"), "hidden by default");
        assertFalse(html.contains("value=\"alice\""), "no demo username filled in by the page itself");
        String js = given().get("/console/console.js").then().statusCode(200).extract().asString();
        assertTrue(js.contains("fetch('/console/settings.json'") && js.contains("show($('demo-hint'))"), "shown on the server's word");
    }

    @Test
    void theStartPageLinksToTheConsole() {
        given().get("/").then().statusCode(200).contentType(startsWith("text/html"))
                .body(containsString("href=\"/console/\""));
    }

    @Test
    void theConsoleLoadsOneModuleFromItsOwnOriginAndNothingInline() {
        String html = given().get("/console/").then().statusCode(200).contentType(startsWith("text/html"))
                .body(containsString("<script type=\"module\" src=\"console.js\"></script>"))
                .extract().asString();
        assertEquals(1, count(html, "<script"), "one script element");
        assertFalse(Pattern.compile("<script(?![^>]*\\ssrc=)").matcher(html).find(), "an inline script");
        assertFalse(Pattern.compile("\\sstyle=|<style", Pattern.CASE_INSENSITIVE).matcher(html).find(), "an inline style");
        assertFalse(Pattern.compile("\\son[a-z]+=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "an inline event handler");
        assertFalse(Pattern.compile("https?://[A-Za-z0-9]").matcher(html).find(), "a resource from another origin");
    }

    @Test
    void theScriptBuildsNoHtmlFromStringsAndKeepsTheTokenInMemory() {
        String js = given().get("/console/console.js").then().statusCode(200)
                .contentType(containsString("javascript")).extract().asString();
        for (String forbidden : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                "localStorage.", "sessionStorage.", "document.cookie", "eval(", "new Function")) {
            assertFalse(js.contains(forbidden), "console.js uses " + forbidden);
        }
        assertFalse(Pattern.compile("https?://[A-Za-z0-9]").matcher(js).find(), "console.js names another origin");
        // The signature is checked in the page, with WebCrypto, against the gateway's JWKS.
        assertTrue(js.contains("crypto.subtle.importKey('jwk'") && js.contains("crypto.subtle.verify(")
                && js.contains("RSASSA-PKCS1-v1_5") && js.contains("'/.well-known/jwks.json'"), "the WebCrypto check");
        assertTrue(js.contains("'Idempotency-Key'") && js.contains("crypto.randomUUID()"), "the Idempotency-Key");
    }

    @Test
    void bothPagesNameAnSvgFaviconSoThatBrowsersDoNotAskForAMissingFaviconIco() {
        // Without a <link rel="icon"> a browser asks for /favicon.ico on every load: a 404 each time.
        assertTrue(given().get("/console/").then().extract().asString()
                .contains("<link rel=\"icon\" href=\"favicon.svg\" type=\"image/svg+xml\">"), "the console names it");
        assertTrue(given().get("/").then().extract().asString()
                .contains("<link rel=\"icon\" href=\"/console/favicon.svg\" type=\"image/svg+xml\">"), "the start page names it");
        // An SVG can carry script: this one is plain shapes, and img-src 'self' lets the pages show it.
        given().get("/console/favicon.svg").then().statusCode(200).contentType(startsWith("image/svg+xml"))
                .header("Content-Security-Policy", containsString("img-src 'self'"))
                .body(not(containsString("<script")), not(containsString("href")), not(containsString(" on")));
    }

    @Test
    void theStyleSheetLoadsNothingFromElsewhere() {
        given().get("/console/console.css").then().statusCode(200).contentType(startsWith("text/css"))
                .body(not(containsString("@import")), not(containsString("url(")));
    }

    @Test
    void aMissingFileIsNotFoundAndTheApiStillWantsAToken() {
        given().get("/console/missing.js").then().statusCode(404);
        given().get("/api/trace").then().statusCode(401);
        given().get("/api/orders").then().statusCode(401);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }
}
