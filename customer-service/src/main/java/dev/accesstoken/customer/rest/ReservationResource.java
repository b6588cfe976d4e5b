package dev.accesstoken.customer.rest;

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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

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
@SecurityRequirement(name = ApiDocument.BEARER)
public class ReservationResource {

    @Inject
    JsonWebToken caller;

    @Inject
    CustomerService customers;

    @GET
    @Operation(summary = "The reservation of an order (settlement clients only)")
    @APIResponse(responseCode = "200", description = "The decision taken for this orderId")
    @APIResponse(responseCode = "400", description = "An orderId over 64 characters")
    @APIResponse(responseCode = "401", description = "No valid bearer token")
    @APIResponse(responseCode = "403", description = "Not a service token of a settlement client")
    @APIResponse(responseCode = "404", description = "No reservation for this orderId")
    @APIResponse(responseCode = "503", description = "Its database is unavailable (Retry-After)")
    public Reservation get(@PathParam("orderId") @Size(max = 64) String orderId) {
        return customers.reservation(orderId, caller);
    }

    /** The reservation as it stands, or VOIDED if there was none: from then on this orderId cannot reserve. */
    @POST
    @Path("/settlement")
    @Operation(summary = "Settle an order whose credit decision was lost (settlement clients only)")
    @APIResponse(responseCode = "200", description = "The decision, or VOIDED if none was ever taken: from then on this orderId cannot reserve")
    @APIResponse(responseCode = "400", description = "An orderId over 64 characters")
    @APIResponse(responseCode = "401", description = "No valid bearer token")
    @APIResponse(responseCode = "403", description = "Not a service token of a settlement client")
    @APIResponse(responseCode = "503", description = "Its database is unavailable (Retry-After)")
    public Reservation settle(@PathParam("orderId") @Size(max = 64) String orderId) {
        return customers.settle(orderId, caller);
    }
}
