package dev.accesstoken.order.rest;

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
import org.jboss.resteasy.reactive.RestResponse;

import dev.accesstoken.chassis.model.Identity;
import dev.accesstoken.chassis.rest.IdempotencyKeys;
import dev.accesstoken.order.model.Order;
import dev.accesstoken.order.model.OrderDetails;
import dev.accesstoken.order.model.OrderRequest;
import dev.accesstoken.order.service.OrderService;
import io.quarkus.security.Authenticated;

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
    public RestResponse<List<Order>> list(
            @QueryParam("limit") @DefaultValue("100") @Pattern(regexp = LIMIT, message = "must be 1 to 100") String limitParam,
            @QueryParam("after") @Size(max = 200) String after, UriInfo uri) {
        int limit = Integer.parseInt(limitParam);
        OrderService.OrderPage page = orders.list(caller, limit, after);
        RestResponse.ResponseBuilder<List<Order>> ok = RestResponse.ResponseBuilder.ok(page.orders());
        page.next().ifPresent(next -> ok.link(uri.getAbsolutePathBuilder().queryParam("limit", limit)
                .queryParam("after", next.encode()).build(), "next"));
        return ok.build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ "user", "admin" })
    public OrderDetails get(@PathParam("id") String id) {
        return orders.get(id, caller);
    }

    @GET
    @Path("/trace")
    @Authenticated
    public Map<String, Identity> trace() {
        return orders.trace(caller);
    }
}
