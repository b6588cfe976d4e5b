package dev.accesstoken.customer.rest;

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

import dev.accesstoken.chassis.model.Identity;
import dev.accesstoken.customer.model.Customer;
import dev.accesstoken.customer.model.Reservation;
import dev.accesstoken.customer.model.ReservationRequest;
import dev.accesstoken.customer.service.CustomerService;

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
    public Customer me() {
        return customers.me(caller);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ "user", "admin" })
    public Customer get(@PathParam("id") String id) {
        return customers.get(id, caller);
    }

    @GET
    @RolesAllowed("admin")
    public List<Customer> all() {
        return customers.all();
    }

    @POST
    @Path("/{id}/reservations")
    @RolesAllowed("user")
    public Reservation reserve(@PathParam("id") String id, @Valid @NotNull ReservationRequest request) {
        return customers.reserve(id, request, caller);
    }

    @GET
    @Path("/trace")
    @RolesAllowed({ "user", "admin" })
    public Map<String, Identity> trace() {
        return Map.of("customer-service", Identity.of(caller));
    }
}
