package dev.accesstoken.chassis.security;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.accesstoken.chassis.rest.RequestIds;

/**
 * The audit log of security decisions: one JSON object per line on the logger category {@code audit}, each
 * saying who (a {@code sub}, or a client address), what, why, in which service and for which request id.
 * Callers pass names, ids, addresses and reasons only: never a token, a password, a hash or a key.
 */
@ApplicationScoped
public class Audit {

    private static final Logger LOG = Logger.getLogger("audit");

    private final ObjectMapper json;
    private final String service;

    public Audit(ObjectMapper json, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.json = json;
        this.service = service;
    }

    /** {@code event} is dotted ({@code login.failure}, {@code token.refused}, ...); details may be empty. */
    public void record(String event, String who, String why, Map<String, ?> details) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("audit", event);
        line.put("service", service);
        line.put("who", who);
        line.put("why", why);
        line.put("requestId", RequestIds.current());
        line.putAll(details);
        try {
            LOG.info(json.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            LOG.errorf("audit event %s could not be written", event);
        }
    }

    public void record(String event, String who, String why) {
        record(event, who, why, Map.of());
    }

    /** {@code token.refused}: why is the reason's phrase, the same one the client and the metric are given. */
    public void tokenRefused(String who, RefusalReason reason, Map<String, ?> details) {
        record("token.refused", who, reason.phrase(), details);
    }
}
