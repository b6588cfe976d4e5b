package dev.accesstoken.gateway.rest;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Link;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;

import dev.accesstoken.chassis.model.Identity;
import dev.accesstoken.chassis.rest.IdempotencyKeys;
import dev.accesstoken.gateway.client.CustomerClient;
import dev.accesstoken.gateway.client.OrderClient;
import dev.accesstoken.gateway.model.OrderRequest;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * The public API. The gateway checks the token and the role here, and the services behind it check
 * both again for themselves: this check alone is never relied upon. Every endpoint here only relays, so it
 * returns a {@code Uni} and runs on the event loop, with non-blocking clients: the fastest of the threading
 * models measured on the 3-hop chain (BENCHMARKS.md). Nothing here may block.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class ApiResource {

    /** 1 to 100, as text: a malformed number must be a 400, not JAX-RS's 404 for an unconvertible query param. */
    static final String LIMIT = "[1-9][0-9]?|100";


    @Inject
    JsonWebToken caller;

    @RestClient
    OrderClient orders;

    @RestClient
    CustomerClient customers;

    @POST
    @Path("/orders")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("user")
    public Uni<RestResponse<JsonNode>> placeOrder(@Valid @NotNull OrderRequest request, UriInfo uri, HttpHeaders headers) {
        return orders.place(IdempotencyKeys.of(headers), request).map(placed -> {
            JsonNode order = placed.getEntity();
            URI location = uri.getBaseUriBuilder().path("api/orders").path(order.path("id").asText()).build();
            // 200 when an earlier request with the same Idempotency-Key made the order: nothing new was created.
            return placed.getStatus() == RestResponse.StatusCode.CREATED
                    ? RestResponse.ResponseBuilder.<JsonNode> created(location).entity(order).build()
                    : RestResponse.ResponseBuilder.<JsonNode> ok(order).header(HttpHeaders.CONTENT_LOCATION, location).build();
        });
    }

    /** A page of orders, oldest first; order-service's {@code Link: rel="next"} is rewritten to point here. */
    @GET
    @Path("/orders")
    @RolesAllowed({ "user", "admin" })
    public Uni<RestResponse<JsonNode>> listOrders(
            @QueryParam("limit") @DefaultValue("100") @Pattern(regexp = LIMIT, message = "must be 1 to 100") String limitParam,
            @QueryParam("after") @Size(max = 200) String after, UriInfo uri) {
        return orders.list(Integer.parseInt(limitParam), after).map(page -> {
            RestResponse.ResponseBuilder<JsonNode> ok = RestResponse.ResponseBuilder.ok(page.getEntity());
            Link next = page.getLink("next");
            if (next != null) { // same query (limit, after), our path
                ok.link(uri.getBaseUriBuilder().path("api/orders").replaceQuery(next.getUri().getRawQuery()).build(), "next");
            }
            return ok.build();
        });
    }

    @GET
    @Path("/orders/{id}")
    @RolesAllowed({ "user", "admin" })
    public Uni<JsonNode> getOrder(@PathParam("id") String id) {
        return orders.get(id);
    }

    @GET
    @Path("/customers/me")
    @RolesAllowed({ "user", "admin" })
    public Uni<JsonNode> me() {
        return customers.me();
    }

    /** The identity as each hop saw it: gateway, then order-service, then customer-service. */
    @GET
    @Path("/trace")
    @Authenticated
    public Uni<Map<String, Identity>> trace() {
        Identity here = Identity.of(caller);
        return orders.trace().map(downstream -> {
            Map<String, Identity> hops = new LinkedHashMap<>();
            hops.put("api-gateway", here);
            hops.putAll(downstream);
            return hops;
        });
    }
}
