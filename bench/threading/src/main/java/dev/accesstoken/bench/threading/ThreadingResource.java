package dev.accesstoken.bench.threading;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.accesstoken.chassis.model.Identity;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.smallrye.mutiny.Uni;

/**
 * BENCHMARK ONLY. The 3-hop trace of {@code /api/trace} in three threading models, the same work in each:
 * verify the token, record who this hop saw, call the next hop with the token. {@code worker} is a blocking
 * endpoint on a worker thread (what the services' database endpoints do), {@code virtual} runs the same code on
 * a virtual thread, {@code reactive} is a Uni endpoint on the event loop with a Uni client (what every hop of
 * /api/trace does), and {@code edge} is a reactive first hop (the gateway, which only relays) over worker-thread
 * hops behind it (what /api/orders/{id} does). The last hop
 * ({@code bench.threading.last-hop=true}) answers for itself.
 */
@Path("/bench/threading")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class ThreadingResource {

    @Inject
    JsonWebToken caller;

    @RestClient
    NextHop next;

    @ConfigProperty(name = "quarkus.application.name")
    String service;

    @ConfigProperty(name = "bench.threading.last-hop", defaultValue = "false")
    boolean lastHop;

    @GET
    @Path("/worker/trace")
    public Map<String, Identity> worker() {
        return lastHop ? here() : with(next.trace("worker"));
    }

    @GET
    @Path("/virtual/trace")
    @RunOnVirtualThread
    public Map<String, Identity> virtual() {
        return lastHop ? here() : with(next.trace("virtual"));
    }

    @GET
    @Path("/reactive/trace")
    public Uni<Map<String, Identity>> reactive() {
        return lastHop ? Uni.createFrom().item(here()) : next.traceAsync("reactive").map(this::with);
    }

    /** Reactive here, worker threads behind: the next hops are asked for their {@code worker} trace. */
    @GET
    @Path("/edge/trace")
    public Uni<Map<String, Identity>> edge() {
        return lastHop ? Uni.createFrom().item(here()) : next.traceAsync("worker").map(this::with);
    }

    private Map<String, Identity> here() {
        return with(Map.of());
    }

    private Map<String, Identity> with(Map<String, Identity> downstream) {
        Map<String, Identity> hops = new LinkedHashMap<>();
        hops.put(service, Identity.of(caller));
        hops.putAll(downstream);
        return hops;
    }
}
