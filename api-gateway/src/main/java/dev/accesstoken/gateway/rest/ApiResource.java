package dev.accesstoken.gateway.rest;

import static dev.accesstoken.chassis.rest.DependsOn.Dependency.DOWNSTREAM;

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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;

import dev.accesstoken.chassis.model.Identity;
import dev.accesstoken.chassis.model.Problem;
import dev.accesstoken.chassis.rest.DependsOn;
import dev.accesstoken.chassis.rest.IdempotencyKeys;
import dev.accesstoken.gateway.client.CustomerClient;
import dev.accesstoken.gateway.client.OrderClient;
import dev.accesstoken.gateway.model.Customer;
import dev.accesstoken.gateway.model.Order;
import dev.accesstoken.gateway.model.OrderDetails;
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
@Tag(name = "api", description = "Orders and customers, with the caller's token")
@DependsOn(DOWNSTREAM)
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
    @Operation(summary = "Place an order", description = "order-service stores it as PENDING, reserves its amount from the "
            + "caller's credit at customer-service, and answers APPROVED, or REJECTED for insufficient credit. With an "
            + "Idempotency-Key, the same request sent again never makes a second order.")
    @Parameter(name = IdempotencyKeys.HEADER, in = ParameterIn.HEADER, example = "<a UUID you choose>", description = "Optional, "
            + "scoped to the caller: a retry with the same key and body answers the order made first (200)",
            schema = @Schema(type = SchemaType.STRING, pattern = "^[\\x21-\\x7E]{1,255}$"))
    @APIResponse(responseCode = "201", description = "Placed: APPROVED, or REJECTED with INSUFFICIENT_CREDIT",
            headers = @Header(name = HttpHeaders.LOCATION, description = "/api/orders/{id}", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Order.class)))
    @APIResponse(responseCode = "200", description = "An earlier request with this Idempotency-Key and the same body made "
            + "the order: it as it stands now; nothing new was created or reserved",
            headers = @Header(name = HttpHeaders.CONTENT_LOCATION, description = "/api/orders/{id}",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Order.class)))
    @APIResponse(responseCode = "400", description = "amount not above 0, with more than 2 decimals or above 1000000; "
            + "description over 200 characters; not JSON; a malformed Idempotency-Key")
    @APIResponse(responseCode = "404", description = "The caller has no customer record")
    @APIResponse(responseCode = "409", description = "The first request with this Idempotency-Key is still being processed; retry later")
    @APIResponse(responseCode = "422", description = "This Idempotency-Key was already used with another request body")
    @APIResponse(responseCode = "503", description = "A service behind is unavailable. If the order was stored before "
            + "its credit decision was lost, orderId names it: it stays PENDING and is settled automatically",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "credit decision lost", value = """
                            {"type":"about:blank","title":"Service Unavailable","status":503,\
                            "detail":"No credit decision for order 1b4e28ba-2fa1-11d2-883f-0016d3cca427 yet; it stays PENDING and is settled automatically",\
                            "orderId":"1b4e28ba-2fa1-11d2-883f-0016d3cca427"}""")))
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
    @Operation(summary = "List orders, oldest first", description = "The caller's orders; an admin's: everyone's. "
            + "Keyset pagination: follow the Link rel=\"next\" while there is one.")
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "1 to 100", example = "20")
    @Parameter(name = "after", in = ParameterIn.QUERY, description = "The opaque cursor of a Link rel=\"next\"")
    @APIResponse(responseCode = "200", description = "A page of orders",
            headers = @Header(name = "Link", description = "</api/orders?limit=…&after=…>; rel=\"next\" while there are more",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = Order.class)))
    @APIResponse(responseCode = "400", description = "A limit out of range, or a cursor the service did not give out")
    public Uni<RestResponse<JsonNode>> listOrders(
            @QueryParam("limit") @DefaultValue("100") @Pattern(regexp = LIMIT, message = "must be 1 to 100") String limit,
            @QueryParam("after") @Size(max = 200) String after, UriInfo uri) {
        // Named as the client sends it: a violation names the Java parameter.
        return orders.list(Integer.parseInt(limit), after).map(page -> {
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
    @Operation(summary = "One order, with its customer", description = "order-service reads the customer from "
            + "customer-service: three hops with the same token.")
    @Parameter(name = "id", in = ParameterIn.PATH, description = "The order's id", example = "1b4e28ba-2fa1-11d2-883f-0016d3cca427")
    @APIResponse(responseCode = "200", description = "The order and its customer",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OrderDetails.class)))
    @APIResponse(responseCode = "404", description = "No such order, or another user's: the same answer")
    public Uni<JsonNode> getOrder(@PathParam("id") String id) {
        return orders.get(id);
    }

    @GET
    @Path("/customers/me")
    @RolesAllowed({ "user", "admin" })
    @Operation(summary = "The caller's customer record", description = "Read from customer-service with the caller's token.")
    @APIResponse(responseCode = "200", description = "The caller's customer record",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Customer.class)))
    @APIResponse(responseCode = "404", description = "The caller has no customer record (admin has none)")
    public Uni<JsonNode> me() {
        return customers.me();
    }

    /** The identity as each hop saw it: gateway, then order-service, then customer-service. */
    @GET
    @Path("/trace")
    @Authenticated
    @Operation(summary = "The token as each hop saw it", description = "The gateway, then order-service, then "
            + "customer-service: subject, roles, token id, audience and actor at each hop.")
    @APIResponse(responseCode = "200", description = "One identity per hop, in call order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.OBJECT, additionalProperties = Identity.class),
                    examples = @ExampleObject(name = "forward", value = """
                            {"api-gateway":{"subject":"alice","username":"alice","groups":["user"],"tokenId":"9f2c2d4e-5b7a-4c1e-9d0f-2a6b8c3e1f47",\
                            "audience":["customer-service","order-service"],"actor":null},\
                            "order-service":{"subject":"alice","username":"alice","groups":["user"],"tokenId":"9f2c2d4e-5b7a-4c1e-9d0f-2a6b8c3e1f47",\
                            "audience":["customer-service","order-service"],"actor":null},\
                            "customer-service":{"subject":"alice","username":"alice","groups":["user"],"tokenId":"9f2c2d4e-5b7a-4c1e-9d0f-2a6b8c3e1f47",\
                            "audience":["customer-service","order-service"],"actor":null}}""")))
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
