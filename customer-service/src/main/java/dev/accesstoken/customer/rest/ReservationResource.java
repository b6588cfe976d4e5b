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
public class ReservationResource {

    @Inject
    JsonWebToken caller;

    @Inject
    CustomerService customers;

    @GET
    public Reservation get(@PathParam("orderId") @Size(max = 64) String orderId) {
        return customers.reservation(orderId, caller);
    }

    /** The reservation as it stands, or VOIDED if there was none: from then on this orderId cannot reserve. */
    @POST
    @Path("/settlement")
    public Reservation settle(@PathParam("orderId") @Size(max = 64) String orderId) {
        return customers.settle(orderId, caller);
    }
}
