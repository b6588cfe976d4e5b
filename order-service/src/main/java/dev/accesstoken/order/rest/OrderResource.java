package dev.accesstoken.order.rest;

import static dev.accesstoken.chassis.rest.DependsOn.Dependency.DATABASE;
import static dev.accesstoken.chassis.rest.DependsOn.Dependency.DOWNSTREAM;

import java.net.URI;
import java.util.List;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

import dev.accesstoken.chassis.model.Identity;
import dev.accesstoken.chassis.rest.DependsOn;
import dev.accesstoken.chassis.rest.IdempotencyKeys;
import dev.accesstoken.order.model.Order;
import dev.accesstoken.order.model.OrderDetails;
import dev.accesstoken.order.model.OrderRequest;
import dev.accesstoken.order.service.OrderService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Internal API: the gateway calls it with the user's own token, and passes the Idempotency-Key on. */
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OrderResource {

    /** 1 to 100, as text: a malformed number must be a 400, not JAX-RS's 404 for an unconvertible query param. */
    static final String LIMIT = "[1-9][0-9]?|100";

    @Inject
    JsonWebToken caller;

    @Inject
    OrderService orders;

    @POST
    @RolesAllowed("user")
    @DependsOn({ DATABASE, DOWNSTREAM })
    @Operation(summary = "Place an order: stored PENDING, then its credit reserved at customer-service",
            description = "A 503 or 504 whose problem has an orderId names a PENDING order whose credit decision was lost: "
                    + "the reconciler settles it. In exchange mode, customer-service's 403 for an actor it does not "
                    + "accept is relayed.")
    @Parameter(name = IdempotencyKeys.HEADER, in = ParameterIn.HEADER, description = "Optional, scoped to the user",
            schema = @Schema(type = SchemaType.STRING, pattern = "^[\\x21-\\x7E]{1,255}$"))
    @APIResponse(responseCode = "201", description = "Placed: APPROVED, or REJECTED for insufficient credit",
            headers = @Header(name = HttpHeaders.LOCATION, schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Order.class)))
    @APIResponse(responseCode = "200", description = "The order an earlier request with this Idempotency-Key made",
            headers = @Header(name = HttpHeaders.CONTENT_LOCATION, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "Invalid amount or description, or a malformed Idempotency-Key")
    @APIResponse(responseCode = "404", description = "The caller has no customer record")
    @APIResponse(responseCode = "409", description = "The first request with this Idempotency-Key is still being processed")
    @APIResponse(responseCode = "422", description = "This Idempotency-Key was already used with another body")
    public RestResponse<Order> place(@Valid @NotNull OrderRequest request, UriInfo uri, HttpHeaders headers) {
        OrderService.Placement placement = orders.place(request, IdempotencyKeys.of(headers), caller);
        Order order = placement.order();
        URI location = uri.getAbsolutePathBuilder().path(order.id()).build();
        // 200: an earlier request with the same Idempotency-Key made this order, and nothing new was created.
        return placement.created()
                ? RestResponse.ResponseBuilder.<Order> created(location).entity(order).build()
                : RestResponse.ResponseBuilder.<Order> ok(order).header(HttpHeaders.CONTENT_LOCATION, location).build();
    }


    /** Oldest first; {@code Link: <…?after=…>; rel="next"} while there are more. */
    @GET
    @RolesAllowed({ "user", "admin" })
    @DependsOn(DATABASE)
    @Operation(summary = "The caller's orders (an admin's: everyone's), oldest first")
    @APIResponse(responseCode = "200", description = "A page of orders",
            headers = @Header(name = "Link", description = "rel=\"next\" while there are more", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "A limit out of 1 to 100, or a cursor this service did not give out")
    public RestResponse<List<Order>> list(
            @QueryParam("limit") @DefaultValue("100") @Pattern(regexp = LIMIT, message = "must be 1 to 100") String limit,
            @QueryParam("after") @Size(max = 200) String after, UriInfo uri) {
        // The parameter is named as the client sends it: a violation names the Java parameter.
        int size = Integer.parseInt(limit);
        OrderService.OrderPage page = orders.list(caller, size, after);
        RestResponse.ResponseBuilder<List<Order>> ok = RestResponse.ResponseBuilder.ok(page.orders());
        page.next().ifPresent(next -> ok.link(uri.getAbsolutePathBuilder().queryParam("limit", size)
                .queryParam("after", next).build(), "next"));
        return ok.build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ "user", "admin" })
    @DependsOn({ DATABASE, DOWNSTREAM })
    @Operation(summary = "One order, with its customer read from customer-service")
    @APIResponse(responseCode = "200", description = "The order and its customer")
    @APIResponse(responseCode = "404", description = "No such order, or another user's")
    public OrderDetails get(@PathParam("id") String id) {
        return orders.get(id, caller);
    }

    @GET
    @Path("/trace")
    @Authenticated
    @DependsOn(DOWNSTREAM)
    @Operation(summary = "The token as this service and customer-service saw it")
    public Uni<Map<String, Identity>> trace() {
        return orders.trace(caller);
    }
}
