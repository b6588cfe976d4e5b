package dev.accesstoken.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.accesstoken.gateway.GatewayTestResources;
import dev.accesstoken.testsupport.TestKeys;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@GatewayTestResources
class JwksResourceTest {

    @Test
    void publishesThePublicHalfOfTheSigningKeyOnly() {
        RSAPublicKey key = (RSAPublicKey) TestKeys.trusted().keyPair().getPublic();
        String modulus = Base64.getUrlEncoder().withoutPadding().encodeToString(unsigned(key.getModulus()));
        given().get("/.well-known/jwks.json").then()
                .statusCode(200)
                .body("keys", hasSize(1))
                .body("keys[0].kty", equalTo("RSA"))
                .body("keys[0].kid", equalTo(TestKeys.trusted().kid()))
                .body("keys[0].use", equalTo("sig"))
                .body("keys[0].alg", equalTo("RS256"))
                .body("keys[0].n", equalTo(modulus))
                .body("keys[0].e", equalTo("AQAB"))
                .body("keys[0]", not(hasKey("d")))
                .body("keys[0]", not(hasKey("p")));
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
