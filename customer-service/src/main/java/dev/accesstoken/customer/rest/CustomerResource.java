package dev.accesstoken.customer.rest;

import static dev.accesstoken.chassis.rest.DependsOn.Dependency.DATABASE;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.accesstoken.chassis.model.Identity;
import dev.accesstoken.chassis.rest.DependsOn;
import dev.accesstoken.customer.model.Customer;
import dev.accesstoken.customer.model.Reservation;
import dev.accesstoken.customer.model.ReservationRequest;
import dev.accesstoken.customer.service.CustomerService;
import io.smallrye.common.annotation.NonBlocking;

/** Internal API: order-service and the gateway call it with the user's own token. */
@Path("/customers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CustomerResource {

    @Inject
    JsonWebToken caller;

    @Inject
    CustomerService customers;

    @GET
    @Path("/me")
    @RolesAllowed({ "user", "admin" })
    @DependsOn(DATABASE)
    @Operation(summary = "The caller's customer record")
    @APIResponse(responseCode = "200", description = "The caller's customer record")
    @APIResponse(responseCode = "404", description = "No customer record belongs to the caller")
    public Customer me() {
        return customers.me(caller);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ "user", "admin" })
    @DependsOn(DATABASE)
    @Operation(summary = "One customer: the caller's own, or any for an admin")
    @APIResponse(responseCode = "200", description = "The customer")
    @APIResponse(responseCode = "404", description = "No such customer, or another user's")
    public Customer get(@PathParam("id") String id) {
        return customers.get(id, caller);
    }

    @GET
    @RolesAllowed("admin")
    @DependsOn(DATABASE)
    @Operation(summary = "Every customer (admin only)")
    public List<Customer> all() {
        return customers.all();
    }

    @POST
    @Path("/{id}/reservations")
    @RolesAllowed("user")
    @DependsOn(DATABASE)
    @Operation(summary = "Reserve credit for an order, once per orderId",
            description = "The same orderId again reserves nothing more and answers the first decision. In exchange "
                    + "mode, 403 also for a token not exchanged by a reservation actor (customers.reservation-actors).")
    @APIResponse(responseCode = "200", description = "The decision: APPROVED, REJECTED, or VOIDED (settled without a reservation)")
    @APIResponse(responseCode = "404", description = "No such customer, or another user's")
    @APIResponse(responseCode = "409", description = "This orderId already holds a reservation for another amount or customer")
    public Reservation reserve(@PathParam("id") String id, @Valid @NotNull ReservationRequest request) {
        return customers.reserve(id, request, caller);
    }

    @GET
    @Path("/trace")
    @RolesAllowed({ "user", "admin" })
    @Operation(summary = "The token as this service saw it")
    @NonBlocking // no database work: answered on the event loop, like every hop of the trace
    public Map<String, Identity> trace() {
        return Map.of("customer-service", Identity.of(caller));
    }
}
