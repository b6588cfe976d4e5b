package dev.accesstoken.chassis.config;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Bounds what a request body may make Jackson do: nesting depth, and the length of one string or number.
 * A body beyond them is refused as unreadable JSON (400 problem+json), before any of it is used. The body
 * as a whole is bounded by {@code quarkus.http.limits.max-body-size}.
 */
@Singleton
public class JsonLimits implements ObjectMapperCustomizer {

    private final int maxNestingDepth;
    private final int maxStringLength;

    public JsonLimits(AccessTokenConfig config) {
        this.maxNestingDepth = config.json().maxNestingDepth();
        this.maxStringLength = config.json().maxStringLength();
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(maxNestingDepth)
                .maxStringLength(maxStringLength)
                .maxNumberLength(100)
                .build());
    }
}
