package dev.accesstoken.chassis.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.vertx.ext.web.RoutingContext;

class EndUserSpansTest {

    private final List<String> calls = new ArrayList<>();
    /** Records what is asked of it; no user is logged in. */
    private final RoutingContext routing = (RoutingContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] { RoutingContext.class }, (proxy, method, args) -> {
                calls.add(method.getName());
                return null;
            });

    @Test
    void aSpanThatIsNotRecordedCostsNoLookUp() {
        assertFalse(Span.current().isRecording());
        EndUserSpans.tag(routing);
        assertEquals(List.of(), calls);
    }

    @Test
    void aRecordedSpanLooksForTheCaller() {
        try (SdkTracerProvider tracing = SdkTracerProvider.builder().build()) {
            Span span = tracing.get("test").spanBuilder("request").startSpan();
            try (Scope ignored = span.makeCurrent()) {
                EndUserSpans.tag(routing);
            } finally {
                span.end();
            }
        }
        assertEquals(List.of("user"), calls);
    }
}
