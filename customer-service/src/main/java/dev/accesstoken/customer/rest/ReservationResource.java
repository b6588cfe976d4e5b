package dev.accesstoken.customer.rest;

import static dev.accesstoken.chassis.rest.DependsOn.Dependency.DATABASE;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.accesstoken.chassis.rest.DependsOn;
import dev.accesstoken.customer.model.Reservation;
import dev.accesstoken.customer.service.CustomerService;

/**
 * Settlement of orders whose credit decision was lost. Called by order-service's reconciler with a
 * {@code service} token of its own (client credentials), since no user is behind that work. A user's
 * token never gets here: users hold no {@code service} role.
 */
@Path("/reservations/{orderId}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("service")
@DependsOn(DATABASE)
public class ReservationResource {

    @Inject
    JsonWebToken caller;

    @Inject
    CustomerService customers;

    @GET
    @Operation(summary = "The reservation of an order (settlement clients only)",
            description = "403 also for a service token of a client that is not a settlement client.")
    @APIResponse(responseCode = "200", description = "The decision taken for this orderId")
    @APIResponse(responseCode = "404", description = "No reservation for this orderId")
    public Reservation get(@PathParam("orderId") @Size(max = 64) String orderId) {
        return customers.reservation(orderId, caller);
    }

    /** The reservation as it stands, or VOIDED if there was none: from then on this orderId cannot reserve. */
    @POST
    @Path("/settlement")
    @Operation(summary = "Settle an order whose credit decision was lost (settlement clients only)",
            description = "403 also for a service token of a client that is not a settlement client.")
    @APIResponse(responseCode = "200", description = "The decision, or VOIDED if none was ever taken: from then on this orderId cannot reserve")
    public Reservation settle(@PathParam("orderId") @Size(max = 64) String orderId) {
        return customers.settle(orderId, caller);
    }
}
