package dev.accesstoken.chassis.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.accesstoken.chassis.model.Problem;

class ProblemTest {

    final ObjectMapper json = new ObjectMapper();

    @Test
    void extensionMembersAreTopLevelAndEmptyPartsAreLeftOut() throws Exception {
        JsonNode problem = json.valueToTree(Problem.of(503, "No decision yet").with("orderId", "o-1"));
        assertEquals("about:blank", problem.get("type").asText());
        assertEquals("Service Unavailable", problem.get("title").asText());
        assertEquals(503, problem.get("status").asInt());
        assertEquals("o-1", problem.get("orderId").asText());
        assertFalse(problem.has("extensions"));
        assertFalse(problem.has("violations"));
    }

    @Test
    void violationsAreListed() throws Exception {
        JsonNode problem = json.valueToTree(Problem.of(400, "bad")
                .withViolations(List.of(new Problem.Violation("amount", "must be greater than 0"))));
        assertEquals("amount", problem.at("/violations/0/field").asText());
    }

    @Test
    void statusesJaxRsDoesNotNameStillGetATitle() {
        assertEquals("Unprocessable Content", Problem.of(422, "x").title());
        assertEquals("Too Many Requests", Problem.of(429, "x").title());
    }
}
